import { ConnectionArgs, OptionalAmountMinorField, OptionalCurrencyField, OptionalIsoDateField } from '@kartoteka/kit';
import { IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { DocumentStatus, DocumentType } from './document.entity';

@InputType()
export class CreateDocumentInput {
  @Field(() => DocumentType)
  type!: DocumentType;

  @Field(() => ID)
  @IsUUID('all', { message: 'Choose a counterparty' })
  counterpartyId!: string;

  @Field({ description: 'E.g. «Договор поставки № 15/24-П»' })
  @IsString()
  @MaxLength(500, { message: 'Title must be at most 500 characters long' })
  title!: string;

  @OptionalIsoDateField('Date of the document, YYYY-MM-DD')
  date?: string | null;

  @Field(() => String, { nullable: true, description: 'Registration number, if already known' })
  @IsOptional()
  @IsString()
  @MaxLength(100, { message: 'Number must be at most 100 characters long' })
  number?: string | null;

  @OptionalAmountMinorField()
  amountMinor?: number | null;

  @OptionalCurrencyField()
  currency?: string | null;

  @Field(() => ID, { nullable: true, description: 'The deal this document belongs to' })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid deal id' })
  dealId?: string | null;
}

@ArgsType()
export class DocumentsArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid counterparty id' })
  counterpartyId?: string | null;

  @Field(() => DocumentType, { nullable: true })
  @IsOptional()
  @IsEnum(DocumentType)
  type?: DocumentType | null;

  @Field(() => DocumentStatus, { nullable: true })
  @IsOptional()
  @IsEnum(DocumentStatus)
  status?: DocumentStatus | null;
}
