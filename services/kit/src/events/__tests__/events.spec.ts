import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import pino from 'pino';
import { createOrmOptions } from '../../orm/orm-config';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import type { BusEvent, EventPayload } from '../event-bus';
import { EventConsumer, UnprocessableEventError, type EventHandler } from '../event-consumer';
import { InboxEvent } from '../inbox-event.entity';
import { OutboxEvent } from '../outbox-event.entity';
import { OutboxRelay } from '../outbox-relay';
import { PgEventBus } from '../pg-event-bus';
import { publishEvent } from '../publish-event';
import { scaled } from '../../../jest.timing';

/** What the probe consumer's handler writes: one row per handled event. */
@Entity({ tableName: 'tallies' })
class Tally {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Property({ type: 'uuid' })
  eventId!: string;

  @Property({ type: 'string' })
  label!: string;
}

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

const databases: TestDatabase[] = [];
let busDatabase: TestDatabase;
let producer: MikroORM;
let consumerOrm: MikroORM;
let bus: PgEventBus;

async function serviceOrm(name: string): Promise<MikroORM> {
  const database = await createTestDatabase(name);
  databases.push(database);
  const orm = await MikroORM.init(createOrmOptions({ service: name, entities: [OutboxEvent, InboxEvent, Tally], migrationsList: [] }, { databaseUrl: database.url }));
  await orm.getSchemaGenerator().createSchema();
  return orm;
}

beforeAll(async () => {
  busDatabase = await createTestDatabase('bus');
  databases.push(busDatabase);
  producer = await serviceOrm('producer');
  consumerOrm = await serviceOrm('consumer');
  bus = new PgEventBus({ url: busDatabase.url, logger });
  await bus.connect();
});
afterAll(async () => {
  await bus?.close();
  await producer?.close(true);
  await consumerOrm?.close(true);
  await Promise.all(databases.map((database) => database.drop()));
});

const recordTally: EventHandler = async (event, em) => {
  em.create(Tally, { eventId: event.id, label: String(event.payload.label) });
};

function consumer(name: string, handlers: Record<string, EventHandler>, options: Partial<ConstructorParameters<typeof EventConsumer>[0]> = {}): EventConsumer {
  return new EventConsumer({ consumer: name, orm: consumerOrm, bus: new PgEventBus({ url: busDatabase.url, logger }), handlers, logger, ...options });
}

function relay(batchSize = 100): OutboxRelay {
  return new OutboxRelay({ producer: 'producer', orm: producer, bus: new PgEventBus({ url: busDatabase.url, logger }), logger, batchSize });
}

function busEvent(topic: string, payload: EventPayload): BusEvent {
  return { id: randomUUID(), topic, producer: 'probe', payload, occurredAt: new Date() };
}

async function tallies(where: { eventId?: string; label?: string } = {}): Promise<Tally[]> {
  return consumerOrm.em.fork().find(Tally, where, { orderBy: { label: 'asc' } });
}

async function pendingDeliveries(name: string): Promise<number> {
  const { rows } = await queryBus<{ n: number }>("select count(*)::int as n from bus_deliveries where consumer = $1 and status = 'pending'", [name]);
  return rows[0].n;
}

async function queryBus<T>(sql: string, params: unknown[] = []): Promise<{ rows: T[] }> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: busDatabase.url });
  await client.connect();
  try {
    const result = await client.query(sql, params);
    return { rows: result.rows as T[] };
  } finally {
    await client.end();
  }
}

/** Repeats `work` until it reports nothing done; returns the total. */
async function drain(work: () => Promise<number>): Promise<number> {
  let total = 0;
  for (let round = 0; round < 1000; round += 1) {
    const done = await work();
    if (done === 0) return total;
    total += done;
  }
  throw new Error('did not drain');
}

async function eventually<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + scaled(timeoutMs);
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('outbox → bus → consumer', () => {
  it('delivers an event committed with its change and never one whose transaction rolled back', async () => {
    const sink = consumer('c-rollback', { 'probe.thing.created': recordTally });
    const outbox = relay();
    try {
      await sink.processBatch(); // subscribes
      await producer.em.fork().transactional(async (em) => {
        await publishEvent(em, 'probe.thing.created', { label: 'kept' });
      });
      await expect(
        producer.em.fork().transactional(async (em: EntityManager) => {
          await publishEvent(em, 'probe.thing.created', { label: 'rolled back' });
          await em.flush();
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');

      expect(await producer.em.fork().count(OutboxEvent, {})).toBe(1);
      expect(await drain(() => outbox.relayBatch())).toBe(1);
      expect(await drain(() => sink.processBatch())).toBe(1);
      expect((await tallies()).map((tally) => tally.label)).toEqual(['kept']);
      expect(await producer.em.fork().count(OutboxEvent, { publishedAt: null })).toBe(0);
    } finally {
      await Promise.all([sink.stop(), outbox.stop()]);
    }
  });

  it('rejects topics that are not <service>.<aggregate>.<event>', async () => {
    await expect(producer.em.fork().transactional((em) => publishEvent(em, 'Bad Topic', {}))).rejects.toThrow(/Invalid event topic/);
  });

  it('processes an event once although it is delivered twice, at once or after a restart before the ack', async () => {
    const name = 'c-once';
    const first = consumer(name, { 'probe.once.happened': recordTally });
    await first.processBatch(); // subscribes
    const event = busEvent('probe.once.happened', { label: 'once' });
    expect(await bus.publish([event])).toBe(1);
    expect(await bus.publish([event])).toBe(0); // the same event id again is a no-op
    expect(await pendingDeliveries(name)).toBe(1);

    // The handler commits on the consumer's database, then the process dies before acknowledging.
    await expect(
      bus.process(name, 10, async (delivery) => {
        await first.handle(delivery);
        throw new Error('crashed before the ack');
      }),
    ).rejects.toThrow('crashed before the ack');
    await first.stop();
    expect(await tallies({ eventId: event.id })).toHaveLength(1);
    expect(await pendingDeliveries(name)).toBe(1);

    // After the restart the delivery comes again: the inbox skips it, and it is acknowledged.
    const restarted = consumer(name, { 'probe.once.happened': recordTally });
    try {
      expect(await restarted.processBatch()).toBe(1);
      expect(await restarted.processBatch()).toBe(0);
      expect(await tallies({ eventId: event.id })).toHaveLength(1);
      expect(await pendingDeliveries(name)).toBe(0);

      // Two instances handling the same delivery at the same time.
      const twice = busEvent('probe.once.happened', { label: 'twice' });
      const delivery = { consumer: name, attempt: 1, event: twice };
      expect(await Promise.all([restarted.handle(delivery), restarted.handle(delivery)])).toEqual([{ kind: 'ack' }, { kind: 'ack' }]);
      expect(await tallies({ eventId: twice.id })).toHaveLength(1);
      expect(await consumerOrm.em.fork().count(InboxEvent, { eventId: { $in: [event.id, twice.id] }, consumer: name })).toBe(2);
    } finally {
      await restarted.stop();
    }
  });

  it('backfills a consumer subscribing late with every earlier event of its topics, once', async () => {
    const earlier = [1, 2, 3].map((n) => busEvent('probe.late.happened', { label: `late ${n}` }));
    await bus.publish([...earlier, busEvent('probe.unrelated.happened', { label: 'unrelated' })]);

    const late = consumer('c-late', { 'probe.late.happened': recordTally });
    try {
      expect(await drain(() => late.processBatch())).toBe(3);
      const labels = (await tallies()).map((tally) => tally.label).filter((label) => label.startsWith('late') || label === 'unrelated');
      expect(labels).toEqual(['late 1', 'late 2', 'late 3']);
      // subscribing again (a restart) does not deliver the old events again
      await bus.ensureSubscription('c-late', ['probe.late.happened']);
      expect(await pendingDeliveries('c-late')).toBe(0);
      // and later events arrive as usual
      await bus.publish([busEvent('probe.late.happened', { label: 'late 4' })]);
      expect(await drain(() => late.processBatch())).toBe(1);
    } finally {
      await late.stop();
    }
  });

  it('lets two relays work in parallel without publishing any event twice', async () => {
    const count = 250;
    await producer.em.fork().transactional(async (em) => {
      for (let i = 0; i < count; i += 1) await publishEvent(em, 'probe.bulk.created', { label: `bulk ${i}` });
    });
    const relays = [relay(20), relay(20)];
    try {
      const published = await Promise.all(relays.map((one) => drain(() => one.relayBatch())));
      expect(published[0] + published[1]).toBe(count);
      const { rows } = await queryBus<{ n: number; distinct: number }>("select count(*)::int as n, count(distinct id)::int as distinct from bus_events where topic = 'probe.bulk.created'");
      expect(rows[0]).toEqual({ n: count, distinct: count });
      expect(await producer.em.fork().count(OutboxEvent, { publishedAt: null })).toBe(0);
    } finally {
      await Promise.all(relays.map((one) => one.stop()));
    }
  });

  it('retries a failing handler with backoff, then parks the delivery and logs it', async () => {
    const name = 'c-failing';
    let calls = 0;
    const failing = consumer(
      name,
      {
        'probe.fragile.happened': async (event, em) => {
          calls += 1;
          em.create(Tally, { eventId: event.id, label: 'never committed' });
          await em.flush();
          throw new Error('the handler broke');
        },
      },
      { maxAttempts: 3, retryBaseMs: 1, retryMaxMs: 5 },
    );
    try {
      await failing.processBatch();
      const event = busEvent('probe.fragile.happened', { label: 'fragile' });
      await bus.publish([event]);
      const parked = await eventually(async () => {
        await failing.processBatch();
        const found = await bus.parked(name);
        return found.length ? found : null;
      });
      expect(parked[0]).toMatchObject({ consumer: name, attempts: 3, lastError: 'the handler broke', event: { id: event.id, topic: 'probe.fragile.happened' } });
      expect(calls).toBe(3);
      expect(await tallies({ eventId: event.id })).toHaveLength(0);
      expect(await consumerOrm.em.fork().count(InboxEvent, { eventId: event.id })).toBe(0);
      expect(await failing.processBatch()).toBe(0);
      const logged = lines.filter((line) => line.eventId === event.id);
      expect(logged.filter((line) => line.msg === 'event processing failed; will retry')).toHaveLength(2);
      expect(logged.filter((line) => line.msg === 'event parked after failed processing')).toHaveLength(1);
    } finally {
      await failing.stop();
    }
  });

  it('parks an unprocessable event at once', async () => {
    const name = 'c-unprocessable';
    const strict = consumer(name, {
      'probe.garbled.happened': async () => {
        throw new UnprocessableEventError('malformed payload');
      },
    });
    try {
      await strict.processBatch();
      await bus.publish([busEvent('probe.garbled.happened', { nonsense: true })]);
      expect(await strict.processBatch()).toBe(1);
      expect(await bus.parked(name)).toEqual([expect.objectContaining({ attempts: 1, lastError: 'malformed payload' })]);
    } finally {
      await strict.stop();
    }
  });

  it('runs as background workers woken by NOTIFY, and stops cleanly', async () => {
    // Polling is set far beyond the deadline: only the wake-ups can make this pass.
    const sink = consumer('c-live', { 'probe.live.happened': recordTally }, { pollIntervalMs: 600_000 });
    const outbox = new OutboxRelay({ producer: 'producer', orm: producer, bus: new PgEventBus({ url: busDatabase.url, logger }), logger, pollIntervalMs: 600_000 });
    sink.start();
    outbox.start();
    try {
      await eventually(async () => (await pendingDeliveries('c-live')) === 0 && (await queryBus<{ n: number }>("select count(*)::int as n from bus_subscriptions where consumer = 'c-live'")).rows[0].n === 1);
      for (const label of ['live 1', 'live 2']) {
        const event = await producer.em.fork().transactional((em) => publishEvent(em, 'probe.live.happened', { label }));
        const handled = await eventually(async () => (await tallies({ eventId: event.id }))[0]);
        expect(handled.label).toBe(label);
      }
    } finally {
      await Promise.all([sink.stop(), outbox.stop()]);
    }
  });
});
