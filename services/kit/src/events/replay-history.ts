import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { EventBus } from './event-bus';
import { UnprocessableEventError, type EventHandlers } from './event-consumer';

export type ReplayHistoryOptions = {
  orm: MikroORM;
  bus: EventBus;
  /** Handlers by topic: every stored event of these topics is applied, oldest first. */
  handlers: EventHandlers;
  /** Empties the read model first (in the same transaction), so the result depends on the history alone. */
  reset: (em: EntityManager) => Promise<void>;
  batchSize?: number;
};

export type ReplayResult = { applied: number; malformed: number };

/**
 * Rebuilds a read model from scratch out of the bus's history: in one transaction on the service's database,
 * `reset` empties it and every stored event of the handlers' topics is applied again. The handlers must be
 * idempotent and keep the newest state (as every read-model handler is), so the service's live consumer may keep
 * running meanwhile: an event it applies twice changes nothing. Malformed events are counted and skipped (the
 * live consumer has parked them already); any other failure rolls the whole rebuild back.
 */
export async function replayHistory(options: ReplayHistoryOptions): Promise<ReplayResult> {
  const { orm, bus, handlers, reset } = options;
  const topics = Object.keys(handlers);
  const batchSize = options.batchSize ?? 500;
  await bus.connect();
  try {
    return await orm.em.fork().transactional(async (em) => {
      await reset(em);
      const result: ReplayResult = { applied: 0, malformed: 0 };
      let after = '0';
      for (;;) {
        const page = await bus.history(topics, after, batchSize);
        for (const { seq, event } of page) {
          after = seq;
          try {
            await handlers[event.topic](event, em);
            result.applied += 1;
          } catch (error) {
            if (!(error instanceof UnprocessableEventError)) throw error;
            result.malformed += 1;
          }
        }
        if (page.length < batchSize) return result;
      }
    });
  } finally {
    await bus.close();
  }
}
