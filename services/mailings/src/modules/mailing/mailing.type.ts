import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Counts of a mailing\'s recipients by status' })
export class MailingProgress {
  @Field(() => Int) total!: number;
  @Field(() => Int) queued!: number;
  @Field(() => Int) sent!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) bounced!: number;
  @Field(() => Int) unsubscribed!: number;
}

@ObjectType({ description: 'A message rendered as it would be sent: sanitized HTML, its text alternative and subject, personalised for a sample recipient' })
export class MailingRendered {
  @Field() html!: string;
  @Field() text!: string;
  @Field() subject!: string;
  @Field(() => [String], { description: 'MJML problems and unknown placeholders (the message still renders)' })
  warnings!: string[];
}

@ObjectType({ description: 'One address an audience reaches' })
export class MailingAudienceMember {
  @Field(() => ID) counterpartyId!: string;
  @Field() counterpartyName!: string;
  @Field(() => String, { nullable: true }) contactName!: string | null;
  @Field() email!: string;
}

@ObjectType({ description: 'Who an audience filter reaches now' })
export class MailingAudiencePreview {
  @Field(() => Int, { description: 'Addresses that would receive the mailing' })
  recipients!: number;

  @Field(() => Int, { description: 'Consenting addresses left out because they are on the suppression list' })
  suppressed!: number;

  @Field(() => Int, { description: 'Addresses of matching counterparties\' contacts without mailing consent' })
  withoutConsent!: number;

  @Field(() => [MailingAudienceMember], { description: 'The first few recipients, by counterparty name' })
  sample!: MailingAudienceMember[];
}
