import type { EntityManager } from '@mikro-orm/postgresql';
import { assertTopic, type EventPayload } from './event-bus';
import { OutboxEvent } from './outbox-event.entity';

/** Wakes the service's outbox relay when a transaction that wrote events commits. */
export const OUTBOX_CHANNEL = 'kartoteka_outbox';

/**
 * Records a domain event in the service's outbox as part of the caller's unit of work: the caller's
 * flush/commit writes it together with the change, and a rollback discards both. Call it inside
 * `em.transactional` — the relay is then woken on commit (otherwise it finds the event on its next poll).
 */
export async function publishEvent(em: EntityManager, topic: string, payload: EventPayload): Promise<OutboxEvent> {
  assertTopic(topic);
  const event = em.create(OutboxEvent, { topic, payload }, { persist: true });
  if (em.isInTransaction()) await em.execute(`select pg_notify('${OUTBOX_CHANNEL}', '')`);
  return event;
}

/**
 * `publishEvent` for many payloads of one topic (bulk writes such as an import): the events join the caller's unit
 * of work, and the relay is woken once, not once per event.
 */
export async function publishEvents(em: EntityManager, topic: string, payloads: readonly EventPayload[]): Promise<OutboxEvent[]> {
  assertTopic(topic);
  const events = payloads.map((payload) => em.create(OutboxEvent, { topic, payload }, { persist: true }));
  if (events.length && em.isInTransaction()) await em.execute(`select pg_notify('${OUTBOX_CHANNEL}', '')`);
  return events;
}
