import { LockMode } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../server/logger';
import type { BackgroundWorker } from '../server/subgraph-server';
import type { EventBus } from './event-bus';
import { OutboxEvent } from './outbox-event.entity';
import { OUTBOX_CHANNEL } from './publish-event';
import { PgWakeListener } from './wake-listener';
import { WorkerLoop } from './worker-loop';

export type OutboxRelayOptions = {
  /** The service (its name goes on every event as the producer). */
  producer: string;
  orm: MikroORM;
  bus: EventBus;
  logger: Logger;
  batchSize?: number;
  /** Fallback poll when no commit woke the relay. */
  pollIntervalMs?: number;
};

/**
 * Moves the service's unpublished outbox rows to the bus and marks them published, in one transaction on the
 * service's database per batch. Rows are claimed with `FOR UPDATE SKIP LOCKED`, so several instances share
 * the work; a batch that fails after reaching the bus is simply published again (the bus skips known ids).
 */
export class OutboxRelay implements BackgroundWorker {
  readonly name: string;
  private readonly loop: WorkerLoop;
  private readonly wake: PgWakeListener | null;
  private connected = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.name = `outbox-relay:${options.producer}`;
    this.loop = new WorkerLoop({
      name: this.name,
      logger: options.logger,
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      iterate: async () => {
        await this.ensureConnected();
        if (!(await this.mayHaveWork())) return false;
        const published = await this.relayBatch();
        return published === this.batchSize;
      },
    });
    const url = options.orm.config.get('clientUrl');
    this.wake = url ? new PgWakeListener({ url, channel: OUTBOX_CHANNEL, logger: options.logger, onNotify: () => this.loop.wake() }) : null;
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 100;
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.wake?.close();
    if (this.connected) {
      this.connected = false;
      await this.options.bus.close();
    }
  }

  /** Publishes one batch of the oldest unpublished events; returns how many. Tests and tools may call it directly. */
  async relayBatch(): Promise<number> {
    await this.ensureConnected();
    const { bus, producer, logger } = this.options;
    const published = await this.options.orm.em.fork().transactional(async (em) => {
      const events = await em.find(OutboxEvent, { publishedAt: null }, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: this.batchSize, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE });
      if (events.length === 0) return 0;
      await bus.publish(events.map((event) => ({ id: event.id, topic: event.topic, producer, payload: event.payload, occurredAt: event.createdAt })));
      await em.nativeUpdate(OutboxEvent, { id: { $in: events.map((event) => event.id) } }, { publishedAt: new Date() });
      return events.length;
    });
    if (published > 0) logger.debug({ events: published }, 'outbox events published');
    return published;
  }

  /**
   * An idle relay checks for work on its own connection, not through the service's ORM: its polls then stay
   * out of the service's pool and SQL statement counts.
   */
  private async mayHaveWork(): Promise<boolean> {
    const row = await this.wake?.queryOne<{ pending: boolean }>('select exists (select 1 from outbox_events where published_at is null) as pending');
    return row ? row.pending : true;
  }

  private async ensureConnected(): Promise<void> {
    await this.wake?.ensure();
    if (this.connected) return;
    await this.options.bus.connect();
    this.connected = true;
  }
}
