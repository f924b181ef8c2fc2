import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from 'type-graphql';

export const TIMELINE_KINDS = [
  'REQUISITES_CHANGED',
  'DOCUMENT_CREATED',
  'DOCUMENT_APPROVED',
  'DOCUMENT_SIGNED',
  'DOCUMENT_STATUS',
  'DEAL_CREATED',
  'DEAL_STAGE_MOVED',
  'DEAL_WON',
  'DEAL_LOST',
  'PAYMENT_RECEIVED',
  'TASK_CREATED',
  'TASK_COMPLETED',
  'PROJECT_CREATED',
  'PROJECT_CHANGED',
  'MAILING_SENT',
  'MAILING_BOUNCED',
  'MAILING_FAILED',
  'MAILING_UNSUBSCRIBED',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];
export const TimelineKindEnum = Object.fromEntries(TIMELINE_KINDS.map((kind) => [kind, kind])) as { [K in TimelineKind]: K };
registerEnumType(TimelineKindEnum, {
  name: 'TimelineKind',
  description: 'What happened with a counterparty (MAILING_*: a mailing recipient\'s delivery outcome, from the mailings service)',
});

export const TIMELINE_SUBJECT_TYPES = ['COUNTERPARTY', 'DOCUMENT', 'DEAL', 'TASK', 'PROJECT', 'PAYMENT', 'MAILING'] as const;
export type TimelineSubjectType = (typeof TIMELINE_SUBJECT_TYPES)[number];
export const TimelineSubjectTypeEnum = Object.fromEntries(TIMELINE_SUBJECT_TYPES.map((type) => [type, type])) as { [K in TimelineSubjectType]: K };
registerEnumType(TimelineSubjectTypeEnum, { name: 'TimelineSubjectType', description: 'The kind of object a timeline entry is about' });

/**
 * One entry of a counterparty's timeline: a projection of one domain event (of any service) onto one counterparty.
 * The key is (event id, counterparty id): a redelivered or replayed event writes nothing new, and an event about
 * several counterparties (a project's) shows on each of their timelines. Never written at read time.
 */
@ObjectType({ description: 'An entry of a counterparty\'s timeline: one event of any service' })
@Entity({ tableName: 'timeline_entries' })
@Index({ name: 'timeline_entries_feed_index', expression: 'create index "timeline_entries_feed_index" on "timeline_entries" ("counterparty_id", "occurred_at" desc, "event_id" desc)' })
export class TimelineEntry {
  @Field(() => ID, { name: 'id', description: 'The id of the event (for a counterparty\'s own change: of the history entry)' })
  @PrimaryKey({ type: 'uuid' })
  eventId!: string;

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  counterpartyId!: string;

  @Field(() => GraphQLISODateTime, { description: 'When it happened (in the service where it happened)' })
  @Property({ type: 'timestamptz' })
  occurredAt!: Date;

  @Field(() => TimelineKindEnum)
  @Property({ type: 'string', length: 40 })
  kind!: TimelineKind;

  /** A staff member's (or API key's) id; null for the system. */
  @Property({ type: 'uuid', nullable: true })
  actorId: string | null = null;

  @Field(() => TimelineSubjectTypeEnum)
  @Property({ type: 'string', length: 20 })
  subjectType!: TimelineSubjectType;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  subjectId!: string;

  @Field(() => String, { nullable: true, description: 'Title or number of the subject at the time of the event' })
  @Property({ type: 'string', length: 500, nullable: true })
  subjectTitle: string | null = null;

  @Field(() => GraphQLJSONObject, { description: 'A few kind-specific details (stage names, amounts, statuses, changed fields)' })
  @Property({ type: 'jsonb' })
  summary: Record<string, unknown> = {};

  @Field({ description: 'The service the event came from: counterparties, documents, deals, finance, mailings' })
  @Property({ type: 'string', length: 40 })
  source!: string;
}

/**
 * What the projection knows of other services' objects: which counterparty a deal, document, task or project
 * belongs to, learnt from earlier events, so an event that names only its deal or document is still placed.
 * `counterparty_id` is the nil uuid for an object known to concern no counterparty (a task linked to nothing).
 */
@Entity({ tableName: 'timeline_refs' })
export class TimelineRef {
  @PrimaryKey({ type: 'string', length: 20 })
  subjectType!: TimelineSubjectType;

  @PrimaryKey({ type: 'uuid' })
  subjectId!: string;

  @PrimaryKey({ type: 'uuid' })
  counterpartyId!: string;

  @Property({ type: 'string', length: 500, nullable: true })
  title: string | null = null;
}

/**
 * An event the projection could not place yet (it names a deal, document or task not known here): kept with the
 * reason and applied as soon as an event makes the object known. Never dropped.
 */
@Entity({ tableName: 'timeline_pending' })
@Index({ properties: ['refType', 'refId'] })
export class TimelinePending {
  @PrimaryKey({ type: 'uuid' })
  eventId!: string;

  @Property({ type: 'string', length: 200 })
  topic!: string;

  @Property({ type: 'string', length: 50 })
  producer!: string;

  @Property({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Property({ type: 'timestamptz' })
  occurredAt!: Date;

  @Property({ type: 'string', length: 20 })
  refType!: TimelineSubjectType;

  @Property({ type: 'uuid' })
  refId!: string;

  @Property({ type: 'text' })
  reason!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  parkedAt: Date = new Date();
}
