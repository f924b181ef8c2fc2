import { ConnectionArgs, JsonObjectField, SortDirection, OptionalAmountMinorField, OptionalCurrencyField, OptionalIsoDateField } from '@kartoteka/kit';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { DealStatus } from './deal.entity';

@InputType()
export class CreateDealInput {
  @Field({ description: 'E.g. «Поставка серверного оборудования»' })
  @IsString()
  @MaxLength(500, { message: 'Title must be at most 500 characters long' })
  title!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'Choose a counterparty' })
  counterpartyId!: string;

  @Field(() => ID, { nullable: true, description: 'Start on the latest version of this template; the default template «Продажа» when neither this nor templateVersionId is given' })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid template id' })
  templateId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Start on this template version' })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid template version id' })
  templateVersionId?: string | null;

  @OptionalAmountMinorField('Expected amount in minor units (kopecks), >= 0')
  amountMinor?: number | null;

  @OptionalCurrencyField()
  currency?: string | null;

  @Field(() => String, { nullable: true, description: 'Stage to start in; the template\'s first open stage when omitted' })
  @IsOptional()
  @IsString()
  stage?: string | null;

  @Field(() => ID, { nullable: true, description: 'Responsible staff member; the creator when omitted' })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid user id' })
  ownerId?: string | null;

  @OptionalIsoDateField('Expected close date, YYYY-MM-DD')
  expectedCloseDate?: string | null;

  @JsonObjectField({ nullable: true, description: 'Form values, keyed by field key; validated against the version\'s jsonSchema', message: 'The form data must be an object' })
  formData?: Record<string, unknown> | null;
}

@InputType()
export class UpdateDealInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not a valid deal id' })
  id!: string;

  @Field(() => Int, { description: 'The version you edited; a stale one fails with CONFLICT' })
  @IsInt()
  @Min(1)
  version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500, { message: 'Title must be at most 500 characters long' })
  title?: string | null;

  @Field(() => ID, { nullable: true, description: 'The new owner; null leaves the deal without one' })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid user id' })
  ownerId?: string | null;

  @OptionalAmountMinorField('Amount in minor units (kopecks), >= 0; null clears it')
  amountMinor?: number | null;

  @OptionalCurrencyField()
  currency?: string | null;

  @OptionalIsoDateField('Expected close date, YYYY-MM-DD; null clears it')
  expectedCloseDate?: string | null;

  @JsonObjectField({ nullable: true, description: 'Form values to change, keyed by field key (null clears a field); the others stay', message: 'The form data must be an object' })
  formData?: Record<string, unknown> | null;
}

@InputType()
export class MoveDealInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not a valid deal id' })
  id!: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  version!: number;

  @Field({ description: 'Key of the stage to move to' })
  @IsString()
  @Matches(/\S/, { message: 'Choose a stage' })
  stageKey!: string;

  @Field(() => String, { nullable: true, description: 'Why the deal was lost (required for a lost stage), or a note on winning' })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'The reason must be at most 2000 characters long' })
  closeReason?: string | null;
}

@InputType()
export class CompleteDealActionInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not a valid action id' })
  id!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'The comment must be at most 2000 characters long' })
  comment?: string | null;
}

/** Columns the deals list sorts by (what the list shows). */
export enum DealSort {
  TITLE = 'TITLE',
  AMOUNT = 'AMOUNT',
  STAGE = 'STAGE',
  EXPECTED_CLOSE = 'EXPECTED_CLOSE',
  UPDATED = 'UPDATED',
  CREATED = 'CREATED',
}

registerEnumType(DealSort, {
  name: 'DealSort',
  description: 'Column of the deals list\'s order; ties are broken by id, empty values come last',
  valuesConfig: {
    TITLE: { description: 'By title; A→Z by default' },
    AMOUNT: { description: 'By amount in minor units (currencies are not converted); largest first by default' },
    STAGE: { description: 'By the stage\'s position in the funnel of the deal\'s template version; the first stages first by default' },
    EXPECTED_CLOSE: { description: 'By the expected close date; the soonest first by default' },
    UPDATED: { description: 'By the time of the last change; the latest first by default' },
    CREATED: { description: 'By the time the deal was opened; the newest first by default' },
  },
});

@ArgsType()
export class DealsArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid template id' })
  templateId?: string | null;

  @Field(() => String, { nullable: true, description: 'Key of the current stage' })
  @IsOptional()
  @IsString()
  stageKey?: string | null;

  @Field(() => DealStatus, { nullable: true })
  @IsOptional()
  @IsEnum(DealStatus)
  status?: DealStatus | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid user id' })
  ownerId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid counterparty id' })
  counterpartyId?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the title, case-insensitive' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string | null;

  @Field(() => String, { nullable: true, deprecationReason: 'Use stageKey', description: 'Stage code of the default template' })
  @IsOptional()
  @IsString()
  stage?: string | null;

  @Field(() => DealSort, { nullable: true, description: 'Sort column (empty values last, ties by id); the newest deals first when omitted' })
  @IsOptional()
  @IsEnum(DealSort)
  sort?: DealSort | null;

  @Field(() => SortDirection, { nullable: true, description: 'Direction with `sort`; the column\'s own default when omitted (see DealSort)' })
  @IsOptional()
  @IsEnum(SortDirection)
  direction?: SortDirection | null;
}

@ArgsType()
export class DealHistoryArgs extends ConnectionArgs {}
