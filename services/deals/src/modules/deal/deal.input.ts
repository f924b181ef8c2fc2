import { ConnectionArgs, OptionalAmountMinorField, OptionalCurrencyField, OptionalIsoDateField } from '@kartoteka/kit';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';

@InputType()
export class CreateDealInput {
  @Field({ description: 'E.g. «Поставка серверного оборудования»' })
  @IsString()
  @MaxLength(500, { message: 'Title must be at most 500 characters long' })
  title!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'Choose a counterparty' })
  counterpartyId!: string;

  @OptionalAmountMinorField('Expected amount in minor units (kopecks), >= 0')
  amountMinor?: number | null;

  @OptionalCurrencyField()
  currency?: string | null;

  @Field(() => String, { nullable: true, description: 'Stage code; lead when omitted' })
  @IsOptional()
  @IsString()
  stage?: string | null;

  @Field(() => ID, { nullable: true, description: 'Responsible staff member; the creator when omitted' })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid user id' })
  ownerId?: string | null;

  @OptionalIsoDateField('Expected close date, YYYY-MM-DD')
  expectedCloseDate?: string | null;
}

@ArgsType()
export class DealsArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid counterparty id' })
  counterpartyId?: string | null;

  @Field(() => String, { nullable: true, description: 'Stage code' })
  @IsOptional()
  @IsString()
  stage?: string | null;
}
