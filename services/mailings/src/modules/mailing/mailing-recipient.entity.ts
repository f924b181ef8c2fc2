import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { Directive, Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum MailingRecipientStatus {
  QUEUED = 'QUEUED',
  SENT = 'SENT',
  FAILED = 'FAILED',
  BOUNCED = 'BOUNCED',
  UNSUBSCRIBED = 'UNSUBSCRIBED',
}

registerEnumType(MailingRecipientStatus, {
  name: 'MailingRecipientStatus',
  description: 'QUEUED (waiting to be sent), SENT (accepted by the SMTP server), FAILED (gave up after retries), BOUNCED (rejected), UNSUBSCRIBED (suppressed; not sent)',
});

export enum BounceKind {
  HARD = 'HARD',
  SOFT = 'SOFT',
}

registerEnumType(BounceKind, { name: 'BounceKind', description: 'HARD: permanent rejection (5xx); SOFT: temporary (4xx) that lasted past the last retry' });

/**
 * One addressee of a started mailing: one contact's e-mail, fixed when the mailing starts (later changes to the
 * contact do not change who receives it). One row per (mailing, e-mail): a person listed at two counterparties
 * receives one message. The sending worker (delivery module) claims QUEUED rows whose `nextAttemptAt` has come.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'One addressee of a mailing and what happened to their message' })
@Entity({ tableName: 'mailing_recipients' })
@Unique({ name: 'mailing_recipients_mailing_email_unique', properties: ['mailingId', 'email'] })
@Index({ name: 'mailing_recipients_counterparty_order_index', properties: ['counterpartyId', 'createdAt', 'id'] })
@Index({ name: 'mailing_recipients_queue_index', expression: `create index "mailing_recipients_queue_index" on "mailing_recipients" ("next_attempt_at", "id") where "status" = 'QUEUED'` })
export class MailingRecipient {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Property({ type: 'uuid' })
  mailingId!: string;

  /** The counterparty (counterparties subgraph), a plain uuid. */
  @Property({ type: 'uuid' })
  counterpartyId!: string;

  /** The contact of that counterparty (counterparties subgraph), a plain uuid. */
  @Property({ type: 'uuid' })
  contactId!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 300, nullable: true })
  contactName: string | null = null;

  /** Lower-cased. */
  @Field()
  @Property({ type: 'string', length: 254 })
  email!: string;

  @Field(() => MailingRecipientStatus)
  @Enum({ items: () => MailingRecipientStatus, default: MailingRecipientStatus.QUEUED })
  status: Opt<MailingRecipientStatus> = MailingRecipientStatus.QUEUED;

  @Field(() => Int, { description: 'Sending attempts made so far' })
  @Property({ type: 'integer', default: 0 })
  attempts: Opt<number> = 0;

  /** When the worker may try (again); null once the recipient is done. */
  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null = new Date();

  @Field(() => String, { nullable: true, description: 'The last SMTP or connection error (no message content)' })
  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Field(() => BounceKind, { nullable: true })
  @Enum({ items: () => BounceKind, nullable: true })
  bounceKind: BounceKind | null = null;

  /** The stable Message-ID of this recipient's message (the same on every attempt). */
  @Property({ type: 'string', length: 255, nullable: true })
  messageId: string | null = null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  sentAt: Date | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();

  @Field(() => GraphQLISODateTime)
  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
