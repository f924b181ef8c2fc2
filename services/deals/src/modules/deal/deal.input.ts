import { ConnectionArgs } from '@kartoteka/kit';
import { IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import { SafeIntResolver } from 'graphql-scalars';
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

  @Field(() => SafeIntResolver, { nullable: true, description: 'Expected amount in minor units (kopecks), >= 0' })
  @IsOptional()
  @Min(0, { message: 'Amount cannot be negative' })
  amountMinor?: number | null;

  @Field(() => String, { nullable: true, description: 'ISO 4217 code of the amount; RUB when omitted' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'Currency must be an ISO 4217 code of three capital letters, e.g. RUB' })
  currency?: string | null;

  @Field(() => String, { nullable: true, description: 'Stage code; lead when omitted' })
  @IsOptional()
  @IsString()
  stage?: string | null;

  @Field(() => ID, { nullable: true, description: 'Responsible staff member; the creator when omitted' })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid user id' })
  ownerId?: string | null;

  @Field(() => String, { nullable: true, description: 'Expected close date, YYYY-MM-DD' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'Enter the date as YYYY-MM-DD, e.g. 2025-03-31' })
  @IsISO8601({ strict: true }, { message: 'This date does not exist' })
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
