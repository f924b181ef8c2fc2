import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import pino, { type Logger } from 'pino';
import { scaled } from '../../../jest.timing';
import { createOrmOptions } from '../../orm/orm-config';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import type { BusEvent, EventBus, EventPayload } from '../event-bus';
import { EventConsumer, type EventHandler } from '../event-consumer';
import { InboxEvent } from '../inbox-event.entity';
import { OutboxEvent } from '../outbox-event.entity';
import { replayHistory } from '../replay-history';

/** What the probe consumers' handlers write: one row per handled event. */
@Entity({ tableName: 'contract_tallies' })
class ContractTally {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Property({ type: 'uuid' })
  eventId!: string;

  @Property({ type: 'string' })
  consumer!: string;

  @Property({ type: 'string' })
  label!: string;

  @Property({ type: 'integer', autoincrement: false })
  position!: number;
}

/** One bus implementation under test: `start` prepares a fresh, isolated bus (its own database or stream). */
export type EventBusHarness = {
  start: (logger: Logger) => Promise<{ bus: () => EventBus; cleanup: () => Promise<void> }>;
};

async function eventually<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + scaled(timeoutMs);
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function drain(work: () => Promise<number>): Promise<number> {
  let total = 0;
  for (let round = 0; round < 1000; round += 1) {
    const done = await work();
    if (done === 0) return total;
    total += done;
  }
  throw new Error('did not drain');
}

/**
 * The delivery contract every {@link EventBus} keeps, run against each implementation (PostgreSQL and NATS
 * JetStream): at-least-once delivery made exactly-once by the consumer's inbox, redelivery after a crash before
 * the ack, retries then parking, requeue, a late subscriber's backfill, order per topic, history, wake-ups.
 */
export function describeEventBusContract(name: string, harness: EventBusHarness): void {
  describe(`event bus contract: ${name}`, () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk, _encoding, done) {
          for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
          done();
        },
      }),
    );
    let database: TestDatabase;
    let orm: MikroORM;
    let makeBus: () => EventBus;
    let cleanup: () => Promise<void>;
    let bus: EventBus;
    const consumers: EventConsumer[] = [];

    beforeAll(async () => {
      database = await createTestDatabase('bus_contract');
      orm = await MikroORM.init(createOrmOptions({ service: 'contract', entities: [OutboxEvent, InboxEvent, ContractTally], migrationsList: [] }, { databaseUrl: database.url }));
      await orm.getSchemaGenerator().createSchema();
      ({ bus: makeBus, cleanup } = await harness.start(logger));
      bus = makeBus();
      await bus.connect();
    });
    afterEach(async () => {
      await Promise.all(consumers.splice(0).map((one) => one.stop()));
    });
    afterAll(async () => {
      await bus?.close();
      await cleanup?.();
      await orm?.close(true);
      await database?.drop();
    });

    /** A consumer with its own bus connection, like a service instance. */
    function consumer(consumerName: string, handlers: Record<string, EventHandler>, options: Partial<ConstructorParameters<typeof EventConsumer>[0]> = {}): EventConsumer {
      const created = new EventConsumer({ consumer: consumerName, orm, bus: makeBus(), handlers, logger, ...options });
      consumers.push(created);
      return created;
    }

    function tally(consumerName: string): EventHandler {
      return async (event, em) => {
        em.create(ContractTally, { eventId: event.id, consumer: consumerName, label: String(event.payload.label), position: Number(event.payload.position ?? 0) });
      };
    }

    function busEvent(topic: string, payload: EventPayload): BusEvent {
      return { id: randomUUID(), topic, producer: 'probe', payload, occurredAt: new Date() };
    }

    async function tallies(consumerName: string): Promise<ContractTally[]> {
      return orm.em.fork().find(ContractTally, { consumer: consumerName }, { orderBy: { label: 'asc' } });
    }

    it('delivers every published event of its topics to each subscribed consumer, and an event id only once', async () => {
      const first = consumer('k-first', { 'probe.basic.happened': tally('k-first') });
      const second = consumer('k-second', { 'probe.basic.happened': tally('k-second'), 'probe.other.happened': tally('k-second') });
      await first.processBatch();
      await second.processBatch();
      const events = [busEvent('probe.basic.happened', { label: 'a' }), busEvent('probe.basic.happened', { label: 'b' }), busEvent('probe.other.happened', { label: 'c' })];
      expect(await bus.publish(events)).toBe(3);
      expect(await bus.publish([events[0]])).toBe(0); // the same event id again is a no-op
      expect(await drain(() => first.processBatch())).toBe(2);
      expect(await drain(() => second.processBatch())).toBe(3);
      expect((await tallies('k-first')).map((row) => row.label)).toEqual(['a', 'b']);
      expect((await tallies('k-second')).map((row) => row.label)).toEqual(['a', 'b', 'c']);
    });

    it('delivers again after a crash before the ack, and the inbox applies the event once', async () => {
      const consumerName = 'k-once';
      const first = consumer(consumerName, { 'probe.once.happened': tally(consumerName) });
      await first.processBatch(); // subscribes
      const event = busEvent('probe.once.happened', { label: 'once' });
      await bus.publish([event]);

      // The handler commits on the consumer's database, then the process dies before acknowledging.
      await expect(
        bus.process(consumerName, 10, async (delivery) => {
          await first.handle(delivery);
          throw new Error('crashed before the ack');
        }),
      ).rejects.toThrow('crashed before the ack');
      await first.stop();
      expect(await tallies(consumerName)).toHaveLength(1);

      const restarted = consumer(consumerName, { 'probe.once.happened': tally(consumerName) });
      expect(await restarted.processBatch()).toBe(1); // delivered again, skipped by the inbox, acknowledged
      expect(await restarted.processBatch()).toBe(0);
      expect(await tallies(consumerName)).toHaveLength(1);
      expect(await orm.em.fork().count(InboxEvent, { eventId: event.id, consumer: consumerName })).toBe(1);
    });

    it('gives two instances of one consumer each delivery once', async () => {
      const consumerName = 'k-shared';
      let calls = 0;
      const handler: EventHandler = async (event, em) => {
        calls += 1;
        await tally(consumerName)(event, em);
      };
      const instances = [consumer(consumerName, { 'probe.shared.happened': handler }, { batchSize: 5 }), consumer(consumerName, { 'probe.shared.happened': handler }, { batchSize: 5 })];
      await Promise.all(instances.map((one) => one.processBatch()));
      await bus.publish(Array.from({ length: 30 }, (_, n) => busEvent('probe.shared.happened', { label: `shared ${String(n).padStart(2, '0')}` })));
      const claimed = await Promise.all(instances.map((one) => drain(() => one.processBatch())));
      expect(claimed[0] + claimed[1]).toBe(30);
      expect(calls).toBe(30);
      expect(await tallies(consumerName)).toHaveLength(30);
    });

    it('retries a failing handler, parks the delivery after the last attempt, and requeues it with fresh attempts', async () => {
      const consumerName = 'k-failing';
      let broken = true;
      let calls = 0;
      const handlers: Record<string, EventHandler> = {
        'probe.fragile.happened': async (event, em) => {
          calls += 1;
          if (broken) throw new Error('the handler broke');
          await tally(consumerName)(event, em);
        },
      };
      const failing = consumer(consumerName, handlers, { maxAttempts: 3, retryBaseMs: 1, retryMaxMs: 5 });
      await failing.processBatch();
      const event = busEvent('probe.fragile.happened', { label: 'fragile' });
      const healthy = busEvent('probe.fragile.happened', { label: 'healthy' });
      await bus.publish([event]);
      const parked = await eventually(async () => {
        await failing.processBatch();
        const found = await bus.parked(consumerName);
        return found.length ? found : null;
      });
      expect(parked).toEqual([expect.objectContaining({ consumer: consumerName, attempts: 3, lastError: 'the handler broke', event: expect.objectContaining({ id: event.id, topic: 'probe.fragile.happened', payload: { label: 'fragile' } }) })]);
      expect(parked[0].parkedAt).toBeInstanceOf(Date);
      expect(calls).toBe(3);
      expect(await failing.processBatch()).toBe(0); // parked: not delivered any more
      expect(await tallies(consumerName)).toHaveLength(0);
      const logged = lines.filter((line) => line.eventId === event.id);
      expect(logged.filter((line) => line.msg === 'event processing failed; will retry')).toHaveLength(2);
      expect(logged.filter((line) => line.msg === 'event parked after failed processing')).toHaveLength(1);

      // The cause is fixed; an operator requeues (by id, then all): delivered again and applied once.
      broken = false;
      expect(await bus.requeueParked(consumerName, [randomUUID()])).toBe(0);
      expect(await bus.requeueParked(consumerName, [event.id])).toBe(1);
      expect(await bus.parked(consumerName)).toEqual([]);
      expect(await bus.requeueParked(consumerName)).toBe(0);
      await bus.publish([healthy]);
      await eventually(async () => {
        await failing.processBatch();
        return (await tallies(consumerName)).length === 2;
      });
      expect((await tallies(consumerName)).map((row) => row.label)).toEqual(['fragile', 'healthy']);
      expect(calls).toBe(5);
      expect(await drain(() => failing.processBatch())).toBe(0);
    });

    it('parks an unprocessable event at once and a requeued delivery starts its attempts afresh', async () => {
      const consumerName = 'k-unprocessable';
      const attempts: number[] = [];
      const strict = consumer(consumerName, { 'probe.garbled.happened': tally(consumerName) });
      await strict.processBatch();
      const event = busEvent('probe.garbled.happened', { label: 'garbled' });
      await bus.publish([event]);
      // Settled by hand: two retries, then parked.
      const settle = (kind: 'retry' | 'park') => bus.process(consumerName, 10, async (delivery) => {
        attempts.push(delivery.attempt);
        return kind === 'retry' ? { kind, delayMs: 0, error: 'not yet' } : { kind, error: 'malformed payload' };
      });
      await eventually(async () => (await settle('retry')) === 1);
      await eventually(async () => (await settle('park')) === 1);
      expect(await bus.parked(consumerName)).toEqual([expect.objectContaining({ attempts: 2, lastError: 'malformed payload' })]);
      expect(await bus.requeueParked(consumerName)).toBe(1);
      await eventually(async () => (await settle('park')) === 1);
      expect(attempts).toEqual([1, 2, 1]);
    });

    it('backfills a consumer subscribing late with every earlier event of its topics, once, in order', async () => {
      const earlier = [1, 2, 3].map((n) => busEvent('probe.late.happened', { label: `late ${n}`, position: n }));
      await bus.publish([earlier[0], busEvent('probe.unrelated.happened', { label: 'unrelated' })]);
      await bus.publish(earlier.slice(1));
      const seen: string[] = [];
      const late = consumer('k-late', {
        'probe.late.happened': async (event, em) => {
          seen.push(String(event.payload.label));
          await tally('k-late')(event, em);
        },
      });
      expect(await drain(() => late.processBatch())).toBe(3);
      expect(seen).toEqual(['late 1', 'late 2', 'late 3']);
      // subscribing again (a restart) does not deliver the old events again
      await bus.ensureSubscription('k-late', ['probe.late.happened']);
      expect(await late.processBatch()).toBe(0);
      await bus.publish([busEvent('probe.late.happened', { label: 'late 4', position: 4 })]);
      expect(await drain(() => late.processBatch())).toBe(1);
      expect(seen).toEqual(['late 1', 'late 2', 'late 3', 'late 4']);
    });

    it('delivers the events of a topic in publication order', async () => {
      const seen: number[] = [];
      const ordered = consumer('k-ordered', {
        'probe.ordered.happened': async (event) => {
          seen.push(Number(event.payload.position));
        },
      }, { batchSize: 7 });
      await ordered.processBatch();
      for (let batch = 0; batch < 5; batch += 1) {
        await bus.publish(Array.from({ length: 10 }, (_, n) => busEvent('probe.ordered.happened', { label: 'ordered', position: batch * 10 + n })));
      }
      expect(await drain(() => ordered.processBatch())).toBe(50);
      expect(seen).toEqual(Array.from({ length: 50 }, (_, n) => n));
    });

    it('keeps the history of topics in publication order, paged by position, for read-model rebuilds', async () => {
      const events = Array.from({ length: 7 }, (_, n) => busEvent(n % 2 ? 'probe.history-a.happened' : 'probe.history-b.happened', { label: `h${n}`, position: n }));
      for (const event of events) await bus.publish([event]);
      await bus.publish([busEvent('probe.history-c.happened', { label: 'other' })]);
      const topics = ['probe.history-a.happened', 'probe.history-b.happened'];
      const first = await bus.history(topics, '0', 4);
      expect(first.map(({ event }) => event.payload.label)).toEqual(['h0', 'h1', 'h2', 'h3']);
      expect(first[0].event).toEqual({ ...events[0], occurredAt: events[0].occurredAt });
      const rest = await bus.history(topics, first[3].seq, 10);
      expect(rest.map(({ event }) => event.payload.label)).toEqual(['h4', 'h5', 'h6']);
      expect(await bus.history(topics, rest[2].seq, 10)).toEqual([]);
      await expect(bus.history(topics, 'nope', 10)).rejects.toThrow(/Invalid event position/);

      const tallyHandler = tally('k-replay');
      const result = await replayHistory({
        orm,
        bus: makeBus(),
        handlers: { 'probe.history-a.happened': tallyHandler, 'probe.history-b.happened': tallyHandler },
        reset: async (em) => {
          await em.nativeDelete(ContractTally, { consumer: 'k-replay' });
        },
        batchSize: 3,
      });
      expect(result).toEqual({ applied: 7, malformed: 0 });
      expect((await tallies('k-replay')).map((row) => row.label)).toEqual(['h0', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
    });

    it('wakes a running consumer when an event for it is published or requeued', async () => {
      // Polling is set far beyond the deadline: only the wake-ups can make this pass.
      const consumerName = 'k-live';
      let fail = true;
      const live = consumer(consumerName, {
        'probe.live.happened': async (event, em) => {
          if (fail && event.payload.label === 'live 2') throw new Error('not now');
          await tally(consumerName)(event, em);
        },
      }, { pollIntervalMs: 600_000, maxAttempts: 1 });
      await live.processBatch(); // subscribed, so a publish finds it listening
      live.start();
      await bus.publish([busEvent('probe.live.happened', { label: 'live 1' })]);
      await eventually(async () => (await tallies(consumerName)).length === 1);
      await bus.publish([busEvent('probe.live.happened', { label: 'live 2' })]);
      await eventually(async () => (await bus.parked(consumerName)).length === 1);
      fail = false;
      expect(await bus.requeueParked(consumerName)).toBe(1);
      await eventually(async () => (await tallies(consumerName)).length === 2);
    });
  });
}
