import { ConnectionArgs } from '@kartoteka/kit';
import { ArrayMaxSize, IsEnum, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { MailingRecipientStatus } from './mailing-recipient.entity';
import { MailingStatus } from './mailing.entity';

/** Longest MJML source accepted (a template with inline styles is tens of KiB). */
export const MAX_BODY_MJML = 200_000;

@InputType({ description: 'Which counterparties\' consenting contacts receive the mailing; omitted lists mean "any". With only counterpartyIds, exactly those.' })
export class MailingAudienceFilterInput {
  @Field(() => [String], { nullable: true, description: 'Counterparty statuses (PROSPECT, CLIENT, SUPPLIER, PARTNER)' })
  @IsOptional()
  @ArrayMaxSize(20)
  statuses?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Counterparties having any of these tags' })
  @IsOptional()
  @ArrayMaxSize(100)
  tags?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Counterparties of these responsible managers' })
  @IsOptional()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true, message: 'Not a valid user id' })
  responsibleManagerIds?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Lowest reliability rating score, 0..100' })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'The rating score is 0..100' })
  @Max(100, { message: 'The rating score is 0..100' })
  minRatingScore?: number | null;

  @Field(() => [ID], { nullable: true, description: 'Counterparties picked explicitly, added to the filter\'s result' })
  @IsOptional()
  @ArrayMaxSize(5000)
  @IsUUID('all', { each: true, message: 'Not a valid counterparty id' })
  counterpartyIds?: string[] | null;
}

@InputType()
export class CreateMailingInput {
  @Field({ description: 'E.g. «КП: весенняя акция»' })
  @IsString()
  @MaxLength(200, { message: 'The name must be at most 200 characters long' })
  name!: string;

  @Field({ description: 'May contain {{contact.name}}, {{company.name}}, {{company.shortName}}, {{manager.name}}' })
  @IsString()
  @MaxLength(500, { message: 'The subject must be at most 500 characters long' })
  subject!: string;

  @Field({ description: 'MJML source; sanitized on save; placeholders as in the subject, plus {{unsubscribeUrl}}' })
  @IsString()
  @MaxLength(MAX_BODY_MJML, { message: `The template must be at most ${MAX_BODY_MJML} characters long` })
  bodyMjml!: string;

  @Field(() => MailingAudienceFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  audience?: MailingAudienceFilterInput | null;

  @Field(() => Int, { nullable: true, description: 'Most messages per minute (1..10000); 60 when omitted' })
  @IsOptional()
  @IsInt()
  ratePerMinute?: number | null;

  @Field(() => Int, { nullable: true, description: 'Most messages per hour (1..100000); 1000 when omitted' })
  @IsOptional()
  @IsInt()
  ratePerHour?: number | null;
}

@InputType({ description: 'Changes a DRAFT or REJECTED mailing (a REJECTED one goes back to DRAFT); omitted fields stay' })
export class UpdateMailingInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not a valid mailing id' })
  id!: string;

  @Field(() => Int, { description: 'The version you edited; a stale one fails with CONFLICT' })
  @IsInt()
  @Min(1)
  version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'The name must be at most 200 characters long' })
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500, { message: 'The subject must be at most 500 characters long' })
  subject?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_BODY_MJML, { message: `The template must be at most ${MAX_BODY_MJML} characters long` })
  bodyMjml?: string | null;

  @Field(() => MailingAudienceFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  audience?: MailingAudienceFilterInput | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  ratePerMinute?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  ratePerHour?: number | null;
}

@InputType({ description: 'Content to preview, rendered and sanitized as it would be sent' })
export class RenderMailingInput {
  @Field()
  @IsString()
  @MaxLength(500, { message: 'The subject must be at most 500 characters long' })
  subject!: string;

  @Field()
  @IsString()
  @MaxLength(MAX_BODY_MJML, { message: `The template must be at most ${MAX_BODY_MJML} characters long` })
  bodyMjml!: string;

  @Field(() => ID, { nullable: true, description: 'Personalise for this counterparty (its first consenting contact); sample values when omitted' })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid counterparty id' })
  counterpartyId?: string | null;
}

@InputType()
export class MailingIdInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not a valid mailing id' })
  id!: string;
}

@ArgsType()
export class MailingsArgs extends ConnectionArgs {
  @Field(() => MailingStatus, { nullable: true })
  @IsOptional()
  @IsEnum(MailingStatus)
  status?: MailingStatus | null;

  @Field(() => String, { nullable: true, description: 'Part of the name or subject' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string | null;
}

@ArgsType()
export class MailingRecipientsArgs extends ConnectionArgs {
  @Field(() => MailingRecipientStatus, { nullable: true })
  @IsOptional()
  @IsEnum(MailingRecipientStatus)
  status?: MailingRecipientStatus | null;
}
