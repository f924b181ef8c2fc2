import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

export const MAIL_STATUSES = ['PENDING', 'SENT', 'FAILED'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/**
 * One e-mail waiting in the transactional outbox: written in the same transaction as the notification it
 * belongs to, sent afterwards by the mail relay. `messageId` is fixed when the row is written, so every
 * attempt of one row carries the same Message-ID header.
 */
@Entity({ tableName: 'mail_outbox' })
@Index({
  name: 'mail_outbox_due_index',
  expression: `create index "mail_outbox_due_index" on "mail_outbox" ("next_attempt_at") where "status" = 'PENDING'`,
})
export class MailOutboxMessage {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Index({ name: 'mail_outbox_notification_id_index' })
  @Property({ type: 'uuid' })
  notificationId!: string;

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'string', length: 320 })
  toAddress!: string;

  @Property({ type: 'string', length: 500 })
  subject!: string;

  @Property({ type: 'text' })
  text!: string;

  @Property({ type: 'text' })
  html!: string;

  @Enum({ items: () => [...MAIL_STATUSES], default: 'PENDING' })
  status: Opt<MailStatus> = 'PENDING';

  @Property({ type: 'integer', default: 0 })
  attempts: Opt<number> = 0;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  nextAttemptAt: Opt<Date> = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  sentAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  /** The Message-ID header, `<id@domain>`: the same on every attempt, unique per e-mail. */
  @Property({ type: 'string', length: 255, unique: 'mail_outbox_message_id_unique' })
  messageId!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();
}
