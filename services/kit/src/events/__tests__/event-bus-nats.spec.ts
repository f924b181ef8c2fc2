import { randomBytes, randomUUID } from 'node:crypto';
import { connect, type JsMsg, type NatsConnection } from 'nats';
import { createLogger } from '../../server/logger';
import type { BusDelivery, BusEvent, DeliveryOutcome } from '../event-bus';
import { createEventBus } from '../event-bus-factory';
import { describeEventBusContract } from '../__contract__/event-bus.contract';
import { NatsEventBus } from '../nats-event-bus';

/** The machine's NATS server with JetStream (`.ci/run` starts it), unless TEST_NATS_URL points elsewhere. */
const server = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

describeEventBusContract('NATS JetStream', {
  start: async (logger) => {
    // A stream and subjects of this run alone, deleted afterwards.
    const run = `${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
    const url = `${server}?stream=KT_TEST_${run}&subjects=kt-test-${run.replace('_', '-')}`;
    const bus = () => createEventBus({ url, logger });
    const admin = bus() as NatsEventBus;
    await admin.connect();
    return {
      bus,
      cleanup: async () => {
        try {
          await admin.destroy();
        } finally {
          await admin.close();
        }
      },
    };
  },
});

describe('createEventBus', () => {
  it('picks the bus by the URL scheme', () => {
    const logger = { child: () => logger } as never;
    expect(createEventBus({ url: 'nats://127.0.0.1:4222', logger })).toBeInstanceOf(NatsEventBus);
    expect(createEventBus({ url: 'nats://a:4222,nats://b:4222?stream=S&subjects=s', logger })).toBeInstanceOf(NatsEventBus);
    expect(createEventBus({ url: 'postgres://postgres@127.0.0.1:5432/kartoteka_events', logger }).constructor.name).toBe('PgEventBus');
    expect(() => createEventBus({ url: 'redis://x', logger })).toThrow(/nats:\/\/ or postgres:\/\//);
    expect(() => createEventBus({ url: 'nats://x?stream=bad.name', logger })).toThrow(/Invalid JetStream stream name/);
  });
});

describe('NatsEventBus on its own', () => {
  const run = `${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  const stream = `KT_TEST_OWN_${run}`;
  const url = `${server}?stream=${stream}&subjects=kt-own-${run.replace('_', '-')}`;
  const logger = createLogger('nats-bus-spec', 'silent');
  let bus: NatsEventBus;
  let raw: NatsConnection;

  beforeAll(async () => {
    bus = new NatsEventBus({ url, logger, ackWaitMs: 300, maxDeliver: 3 });
    await bus.connect();
    raw = await connect({ servers: server.replace(/^nats:\/\//, '') });
  });
  afterAll(async () => {
    await raw?.close();
    await bus?.destroy();
    await bus?.close();
  });

  /** What an instance that dies holding a delivery leaves behind: a delivery claimed and never settled. */
  async function claimAndCrash(durable: string): Promise<number> {
    const claimed: JsMsg[] = [];
    for await (const msg of raw.jetstream().fetch(stream, durable, { batch: 10, no_wait: true })) claimed.push(msg);
    return claimed.length;
  }

  function probe(topic: string): BusEvent {
    return { id: randomUUID(), topic, producer: 'probe', payload: { label: topic }, occurredAt: new Date() };
  }

  it('hands a delivery of a crashed instance out again after the ack wait, and parks it after too many unsettled deliveries', async () => {
    await bus.ensureSubscription('crashy', ['probe.crash.happened']);
    const event = probe('probe.crash.happened');
    expect(await bus.publish([event])).toBe(1);
    expect(await claimAndCrash('crashy__probe_crash_happened')).toBe(1);
    // Claimed by the crashed instance: nobody else gets it until the ack wait is over.
    const attempts: number[] = [];
    const record = async (delivery: BusDelivery): Promise<DeliveryOutcome> => {
      attempts.push(delivery.attempt);
      return { kind: 'retry', delayMs: 0, error: 'not yet' };
    };
    expect(await bus.process('crashy', 10, record)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await bus.process('crashy', 10, record)).toBe(1);
    expect(attempts).toEqual([2]);
    // Third delivery dies too; the fourth exceeds maxDeliver (3): parked by the bus, the handler is not called.
    expect(await claimAndCrash('crashy__probe_crash_happened')).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await bus.process('crashy', 10, record)).toBe(1);
    expect(attempts).toEqual([2]);
    expect(await bus.parked('crashy')).toEqual([expect.objectContaining({ attempts: 3, lastError: 'Delivered 3 times without being settled', event: expect.objectContaining({ id: event.id }) })]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await bus.process('crashy', 10, record)).toBe(0);
  });

  it('rejects consumer names that cannot name a durable', async () => {
    await expect(bus.ensureSubscription('a.b', ['probe.x.happened'])).rejects.toThrow(/Invalid event consumer name/);
    await expect(bus.ensureSubscription('a__b', ['probe.x.happened'])).rejects.toThrow(/Invalid event consumer name/);
  });

  it('gives a late subscriber of a NATS stream every stored event, and a restarted process finds its durables on the server', async () => {
    await bus.publish([probe('probe.early.happened'), probe('probe.early.happened')]);
    await bus.ensureSubscription('later', ['probe.early.happened']);
    const fresh = new NatsEventBus({ url, logger });
    await fresh.connect();
    try {
      // This instance never subscribed: it lists the consumer's durables on the server.
      expect(await fresh.process('later', 10, async () => ({ kind: 'ack' }))).toBe(2);
      expect(await fresh.process('later', 10, async () => ({ kind: 'ack' }))).toBe(0);
      // Acknowledged: not handed out again once the ack wait (300 ms, set by the instance that created the durable) is over.
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await fresh.process('later', 10, async () => ({ kind: 'ack' }))).toBe(0);
      expect(await fresh.process('nobody', 10, async () => ({ kind: 'ack' }))).toBe(0);
    } finally {
      await fresh.close();
    }
  });
});
