import { Entity, Enum, Index, Property, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '@kartoteka/kit';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum MailingStatus {
  DRAFT = 'DRAFT',
  ON_APPROVAL = 'ON_APPROVAL',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  SENDING = 'SENDING',
  PAUSED = 'PAUSED',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}

registerEnumType(MailingStatus, {
  name: 'MailingStatus',
  description:
    'DRAFT (editable) → ON_APPROVAL (an EDMS document carries its route) → APPROVED or REJECTED (editable again, back to DRAFT) → SENDING ⇄ PAUSED → COMPLETED; CANCELLED from any state before COMPLETED',
});

/**
 * Who receives a mailing, as a filter over the counterparties read model (not a list of people): the recipients
 * are fixed from it only when the mailing starts. Stored as jsonb with the mailing.
 */
@ObjectType('MailingAudienceFilter', { description: 'Which counterparties\' consenting contacts receive the mailing; an empty list means "any"' })
export class MailingAudienceFilter {
  @Field(() => [String], { description: 'Counterparty statuses (PROSPECT, CLIENT, …); empty = any' })
  statuses: string[] = [];

  @Field(() => [String], { description: 'Counterparties having any of these tags; empty = any' })
  tags: string[] = [];

  @Field(() => [ID], { description: 'Counterparties of these responsible managers; empty = any' })
  responsibleManagerIds: string[] = [];

  @Field(() => Int, { nullable: true, description: 'Lowest reliability rating score (0..100, finance\'s rating); null = no limit' })
  minRatingScore: number | null = null;

  @Field(() => [ID], { description: 'Counterparties picked explicitly, added to the filter\'s result' })
  counterpartyIds: string[] = [];
}

/** The stored shape of {@link MailingAudienceFilter} (plain JSON). */
export type MailingAudience = { statuses: string[]; tags: string[]; responsibleManagerIds: string[]; minRatingScore: number | null; counterpartyIds: string[] };

export const EMPTY_AUDIENCE: MailingAudience = { statuses: [], tags: [], responsibleManagerIds: [], minRatingScore: null, counterpartyIds: [] };

/** The mailing's attachment metadata (the bytes live in `mailing_attachments`, read only when sent or downloaded). */
@ObjectType('MailingAttachment', { description: 'The file sent with every message of the mailing (e.g. the generated offer)' })
export class MailingAttachmentInfo {
  @Field()
  fileName!: string;

  @Field()
  contentType!: string;

  @Field(() => Int, { description: 'Size in bytes' })
  size!: number;
}

/** The default pace of sending: well under what common mail providers tolerate from one sender. */
export const DEFAULT_RATE_PER_MINUTE = 60;
export const DEFAULT_RATE_PER_HOUR = 1000;

/**
 * An offer mailing: one MJML template sent, personalised, to every consenting contact of the counterparties its
 * audience filter selects, after its approval route in the EDMS was signed off. Lists are ordered by
 * `createdAt desc, id desc`.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An offer mailing: template, audience, approval and sending progress' })
@Entity({ tableName: 'mailings' })
@Index({ name: 'mailings_order_index', properties: ['createdAt', 'id'] })
export class Mailing extends BaseEntity {
  @Field()
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field({ description: 'May contain {{contact.name}}, {{company.name}}, {{company.shortName}}, {{manager.name}}' })
  @Property({ type: 'string', length: 500 })
  subject!: string;

  @Field({ description: 'MJML source, sanitized on save' })
  @Property({ type: 'text' })
  bodyMjml!: string;

  @Field(() => MailingStatus)
  @Index({ name: 'mailings_status_index' })
  @Enum({ items: () => MailingStatus, default: MailingStatus.DRAFT })
  status: Opt<MailingStatus> = MailingStatus.DRAFT;

  /** The audience filter (see MailingAudienceFilter); exposed through the `audience` field resolver. */
  @Property({ type: 'jsonb', fieldName: 'audience' })
  audienceFilter: Opt<MailingAudience> = { ...EMPTY_AUDIENCE };

  @Field(() => Int, { description: 'Most messages per minute for this mailing' })
  @Property({ type: 'integer', default: DEFAULT_RATE_PER_MINUTE })
  ratePerMinute: Opt<number> = DEFAULT_RATE_PER_MINUTE;

  @Field(() => Int, { description: 'Most messages per hour for this mailing' })
  @Property({ type: 'integer', default: DEFAULT_RATE_PER_HOUR })
  ratePerHour: Opt<number> = DEFAULT_RATE_PER_HOUR;

  /** The attachment's file name; null when the mailing has none (then the other attachment columns are null too). */
  @Property({ type: 'string', length: 255, nullable: true })
  attachmentFileName: string | null = null;

  @Property({ type: 'string', length: 255, nullable: true })
  attachmentContentType: string | null = null;

  @Property({ type: 'integer', nullable: true })
  attachmentSize: number | null = null;

  /** The EDMS document (documents subgraph) that carries the approval route; a plain uuid. */
  @Field(() => ID, { nullable: true, description: 'The EDMS document that carries the approval route' })
  @Property({ type: 'uuid', nullable: true })
  @Index({ name: 'mailings_approval_document_index' })
  approvalDocumentId: string | null = null;

  @Field(() => String, { nullable: true, description: 'The reject comment, if rejected' })
  @Property({ type: 'text', nullable: true })
  approvalComment: string | null = null;

  /** The staff member who created it (identity subgraph). */
  @Property({ type: 'uuid', nullable: true })
  createdById: string | null = null;

  /** When sending started (recipients were fixed); null before. */
  @Property({ type: 'timestamptz', nullable: true })
  startedAt: Date | null = null;

  /** When the last recipient was done (COMPLETED) or the mailing was cancelled. */
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;

  @Field(() => Int, { description: 'Optimistic lock: increases with every change' })
  @Property({ version: true, type: 'integer' })
  version!: Opt<number>;

  @Field(() => MailingAttachmentInfo, { nullable: true, description: 'The optional attachment (e.g. the generated offer)' })
  get attachment(): Opt<MailingAttachmentInfo> | null {
    if (!this.attachmentFileName) return null;
    return Object.assign(new MailingAttachmentInfo(), { fileName: this.attachmentFileName, contentType: this.attachmentContentType ?? 'application/octet-stream', size: this.attachmentSize ?? 0 });
  }
}
