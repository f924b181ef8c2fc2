import { ConnectionArgs } from '@kartoteka/kit';
import { IsEnum, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import { SafeIntResolver } from 'graphql-scalars';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { DocumentStatus, DocumentType } from './document.entity';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = 'Enter the date as YYYY-MM-DD, e.g. 2025-03-31';

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

  @Field(() => String, { nullable: true, description: 'Date of the document, YYYY-MM-DD' })
  @IsOptional()
  @Matches(ISO_DATE, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: 'This date does not exist' })
  date?: string | null;

  @Field(() => String, { nullable: true, description: 'Registration number, if already known' })
  @IsOptional()
  @IsString()
  @MaxLength(100, { message: 'Number must be at most 100 characters long' })
  number?: string | null;

  @Field(() => SafeIntResolver, { nullable: true, description: 'Amount in minor units (kopecks), >= 0' })
  @IsOptional()
  @Min(0, { message: 'Amount cannot be negative' })
  amountMinor?: number | null;

  @Field(() => String, { nullable: true, description: 'ISO 4217 code of the amount; RUB when omitted' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'Currency must be an ISO 4217 code of three capital letters, e.g. RUB' })
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
