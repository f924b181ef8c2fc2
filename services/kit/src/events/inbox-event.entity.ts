import { Entity, PrimaryKey, PrimaryKeyProp, Property, type Opt } from '@mikro-orm/core';

/**
 * An event a consumer of this service has processed; its key makes handling idempotent: the handler's
 * transaction inserts the row first and skips the event when it is already there.
 */
@Entity({ tableName: 'inbox_events' })
export class InboxEvent {
  [PrimaryKeyProp]?: ['eventId', 'consumer'];

  @PrimaryKey({ type: 'uuid' })
  eventId!: string;

  @PrimaryKey({ type: 'string', length: 100 })
  consumer!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  processedAt: Opt<Date> = new Date();
}
