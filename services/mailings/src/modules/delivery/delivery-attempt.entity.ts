import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

export type DeliveryOutcome = 'SENT' | 'HARD' | 'SOFT' | 'TEMPORARY' | 'SUPPRESSED';

/**
 * One SMTP attempt of the sending worker: claimed (committed) before the first byte goes to the SMTP server, with
 * its outcome written after. It is what the rate limits count — every attempt, whatever its outcome, uses the
 * sender's quota at the receiving servers — and it is exact across replicas because claims are made one at a time
 * under one advisory lock. An attempt without an outcome belongs to a worker that is sending now, or that died
 * while sending (its recipient is sent again once the claim's lease is over).
 */
@Entity({ tableName: 'mailing_delivery_attempts' })
@Index({ name: 'mailing_delivery_attempts_claimed_index', properties: ['claimedAt'] })
@Index({ name: 'mailing_delivery_attempts_mailing_claimed_index', properties: ['mailingId', 'claimedAt'] })
@Index({ name: 'mailing_delivery_attempts_recipient_index', properties: ['recipientId'] })
export class DeliveryAttempt {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Property({ type: 'uuid' })
  mailingId!: string;

  @Property({ type: 'uuid' })
  recipientId!: string;

  /** The recipient's attempt number (1, 2, …). */
  @Property({ type: 'integer' })
  attempt!: number;

  /** The database's clock when the claim was made (clock_timestamp(), the one clock of every replica). */
  @Property({ type: 'timestamptz' })
  claimedAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;

  @Property({ type: 'string', length: 20, nullable: true })
  outcome: DeliveryOutcome | null = null;

  /** The SMTP reply code of a failure, if the server gave one. */
  @Property({ type: 'integer', nullable: true })
  responseCode: number | null = null;
}
