import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import type { EventPayload } from './event-bus';

/**
 * A domain event waiting in its producer's database: written in the same transaction as the change it
 * describes, moved to the bus by the service's {@link OutboxRelay}. Services list it among their entities so
 * their own migration creates the table.
 */
@Entity({ tableName: 'outbox_events' })
@Index({ name: 'outbox_events_unpublished_index', expression: 'create index "outbox_events_unpublished_index" on "outbox_events" ("created_at", "id") where "published_at" is null' })
export class OutboxEvent {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Property({ type: 'string', length: 200 })
  topic!: string;

  @Property({ type: 'json' })
  payload!: EventPayload;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  publishedAt: Opt<Date> | null = null;
}
