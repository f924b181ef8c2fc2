import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../server/logger';
import type { BackgroundWorker } from '../server/subgraph-server';
import type { EventContract } from './contracts/contract';
import type { BusDelivery, BusEvent, DeliveryOutcome, EventBus } from './event-bus';
import { WorkerLoop } from './worker-loop';

/**
 * Handles one event inside a transaction on the consumer's own database (`em`); throwing rolls the
 * transaction back and the delivery is retried.
 */
export type EventHandler = (event: BusEvent, em: EntityManager) => Promise<void>;

/** Handlers of one consumer by topic. */
export type EventHandlers = Record<string, EventHandler>;

/** Thrown by a handler for an event that can never be processed (a malformed payload): parked at once, not retried. */
export class UnprocessableEventError extends Error {}

/** Reads an event's payload with its contract; a malformed one is unprocessable (parked, never retried). */
export function parseOrPark<T>(contract: EventContract<T>, event: Pick<BusEvent, 'topic' | 'payload'>): T {
  const result = contract.parse(event);
  if (!result.ok) throw new UnprocessableEventError(`Malformed ${event.topic} payload: ${result.error}`);
  return result.value;
}

export type EventConsumerOptions = {
  /** Durable consumer name, e.g. the service's name; instances with one name share the deliveries. */
  consumer: string;
  orm: MikroORM;
  bus: EventBus;
  handlers: EventHandlers;
  logger: Logger;
  batchSize?: number;
  pollIntervalMs?: number;
  /** After this many failed attempts a delivery is parked and logged. */
  maxAttempts?: number;
  /** Backoff before the second attempt, doubled per attempt up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
};

/**
 * Consumes the bus for one consumer name: subscribes to the topics it has handlers for (a new subscription is
 * backfilled with earlier events), then runs each delivery's handler in a transaction on the service's own
 * database together with an insert into `inbox_events`. An event already in the inbox is skipped, so a
 * delivery seen twice (a restart between commit and ack, two instances) takes effect once.
 */
export class EventConsumer implements BackgroundWorker {
  readonly name: string;
  private readonly loop: WorkerLoop;
  private connected = false;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly options: EventConsumerOptions) {
    this.name = `event-consumer:${options.consumer}`;
    this.loop = new WorkerLoop({
      name: this.name,
      logger: options.logger,
      pollIntervalMs: options.pollIntervalMs ?? 2000,
      iterate: async () => (await this.processBatch()) === this.batchSize,
    });
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 20;
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.connected) {
      this.connected = false;
      await this.options.bus.close();
    }
  }

  /** Connects and subscribes (once), then processes one batch of ready deliveries; returns how many were claimed. */
  async processBatch(): Promise<number> {
    await this.ensureSubscribed();
    return this.options.bus.process(this.options.consumer, this.batchSize, (delivery) => this.handle(delivery));
  }

  /** Runs the handler of one delivery exactly once per event id for this consumer and says how to settle it. */
  async handle(delivery: BusDelivery): Promise<DeliveryOutcome> {
    const { consumer, handlers, logger } = this.options;
    const { event, attempt } = delivery;
    const log = logger.child({ consumer, eventId: event.id, topic: event.topic, attempt });
    const handler = handlers[event.topic];
    if (!handler) {
      log.error('event parked: no handler for its topic');
      return { kind: 'park', error: `No handler for topic ${event.topic}` };
    }
    try {
      const processed = await this.options.orm.em.fork().transactional(async (em) => {
        const inserted = await em.execute<{ event_id: string }[]>(
          'insert into inbox_events (event_id, consumer, processed_at) values (?, ?, now()) on conflict do nothing returning event_id',
          [event.id, consumer],
        );
        if (inserted.length === 0) return false;
        await handler(event, em);
        return true;
      });
      if (processed) log.debug('event processed');
      else log.info('event already processed; skipped');
      return { kind: 'ack' };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const maxAttempts = this.options.maxAttempts ?? 8;
      if (error instanceof UnprocessableEventError || attempt >= maxAttempts) {
        log.error({ err: error, payload: event.payload }, 'event parked after failed processing');
        return { kind: 'park', error: message };
      }
      const delayMs = Math.min(this.options.retryMaxMs ?? 5 * 60_000, (this.options.retryBaseMs ?? 1000) * 2 ** (attempt - 1));
      log.warn({ err: error, retryInMs: delayMs }, 'event processing failed; will retry');
      return { kind: 'retry', delayMs, error: message };
    }
  }

  private async ensureSubscribed(): Promise<void> {
    const { bus, consumer, handlers } = this.options;
    if (!this.connected) {
      await bus.connect();
      this.connected = true;
    }
    if (!this.unsubscribe) {
      await bus.ensureSubscription(consumer, Object.keys(handlers));
      this.unsubscribe = bus.onReady(consumer, () => this.loop.wake());
    }
  }
}
