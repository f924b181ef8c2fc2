import type { JetStreamClient, JetStreamManager, JsMsg, KV, NatsConnection, Subscription } from 'nats';
import type { Logger } from '../server/logger';
import { assertTopic, type BusDelivery, type BusEvent, type DeliveryOutcome, type EventBus, type EventPayload, type ParkedDelivery } from './event-bus';

type NatsLibrary = typeof import('nats');
let natsLibrary: NatsLibrary | undefined;
/** The NATS client, loaded when the first NATS bus is made: the PostgreSQL bus (the default) never needs it. */
function nats(): NatsLibrary {
  natsLibrary ??= require('nats') as NatsLibrary;
  return natsLibrary;
}

export type NatsEventBusOptions = {
  /** `nats://host:4222` (several servers separated by commas); `?stream=…&subjects=…` override the two names below. */
  url: string;
  logger: Logger;
  /** The JetStream stream of all events; default `KARTOTEKA_EVENTS`. The parked deliveries live in the KV bucket `<stream>_PARKED`. */
  stream?: string;
  /** Subject prefix: an event of topic `t` is published on `<subjects>.t`, requeued deliveries on `<subjects>-requeued.<consumer>`; default `events`. */
  subjects?: string;
  /** How long a delivery stays claimed by one instance before the server hands it out again (a crashed instance); default 30 s. */
  ackWaitMs?: number;
  /** Deliveries the server made without a settlement (crash loops) before the bus parks the event itself; default 20. */
  maxDeliver?: number;
  /** Window in which a second publication of an event id is dropped by the server; default 24 h (the consumer's inbox covers anything later). */
  duplicateWindowMs?: number;
};

/** What a parked delivery keeps in the KV bucket. */
type ParkedRecord = { consumer: string; attempts: number; lastError: string | null; parkedAt: string; event: WireEvent };
type WireEvent = { id: string; topic: string; producer: string; payload: EventPayload; occurredAt: string };

const CONSUMER = /^[A-Za-z0-9]+([_-][A-Za-z0-9]+)*$/;
const REQUEUED = 'requeued';

function toWire(event: BusEvent): WireEvent {
  return { id: event.id, topic: event.topic, producer: event.producer, payload: event.payload, occurredAt: event.occurredAt.toISOString() };
}

function fromWire(wire: WireEvent): BusEvent {
  return { id: wire.id, topic: wire.topic, producer: wire.producer, payload: wire.payload, occurredAt: new Date(wire.occurredAt) };
}

function assertConsumer(consumer: string): void {
  if (!CONSUMER.test(consumer)) throw new Error(`Invalid event consumer name "${consumer}": letters and digits, single "-" or "_" between them`);
}

/** Durable JetStream consumer of one (consumer, topic): `deals__identity_user_upserted` (topics have no `_`). */
function durableName(consumer: string, topic: string): string {
  return `${consumer}__${topic.replace(/\./g, '_')}`;
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && /not found/i.test(error.message);
}

/**
 * The event bus on NATS JetStream, for production. One stream (`KARTOTEKA_EVENTS`, subjects `events.<topic>`,
 * kept without age limit: it is the history) holds every event; the event id is the message id, so a second
 * publication inside the duplicate window is dropped. Each (consumer, topic) is a durable pull consumer with
 * explicit ack that starts at the beginning of the stream: a consumer subscribing late to a topic gets every earlier
 * event of it, in order. Instances of one consumer pull from the same durables, so they never hold the same
 * delivery at once; an unacknowledged delivery comes again after the ack wait (a crashed instance) or at once when
 * the handler threw. `retry` is a NAK with delay; `park` stores the delivery in the KV bucket `<stream>_PARKED` (key
 * `<consumer>.<event id>`) and terminates the message; after `maxDeliver` unsettled deliveries the bus parks on its
 * own. `requeueParked` republishes a parked event on `<subjects>-requeued.<consumer>` (in the same stream), read
 * by that consumer's durable `<consumer>__requeued`, so it starts again with fresh attempts. After the server
 * stored a publication, a core message on `<subjects>-wake.<topic>` (or `…-wake.requeued.<consumer>`) wakes the
 * consumers listening; a delayed retry waits for their poll.
 */
export class NatsEventBus implements EventBus {
  private nc: NatsConnection | null = null;
  private js: JetStreamClient | null = null;
  private jsm: JetStreamManager | null = null;
  private kv: KV | null = null;
  private opening: Promise<void> | null = null;
  private users = 0;
  private readonly codec = nats().JSONCodec<unknown>();
  private readonly stream: string;
  private readonly subjects: string;
  private readonly servers: string[];
  /** Topics each consumer subscribed to through this instance (plus what the server listed). */
  private readonly topicsOf = new Map<string, Set<string>>();
  private readonly listeners = new Map<string, { listeners: Set<() => void>; subscriptions: Subscription[] }>();

  constructor(private readonly options: NatsEventBusOptions) {
    const [servers, query] = options.url.split('?');
    const params = new URLSearchParams(query ?? '');
    this.servers = servers.split(',').map((server) => server.trim()).filter(Boolean);
    this.stream = params.get('stream') ?? options.stream ?? 'KARTOTEKA_EVENTS';
    this.subjects = params.get('subjects') ?? options.subjects ?? 'events';
    if (!/^[A-Za-z0-9_-]+$/.test(this.stream)) throw new Error(`Invalid JetStream stream name "${this.stream}"`);
    if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(this.subjects)) throw new Error(`Invalid event subject prefix "${this.subjects}"`);
  }

  /** The KV bucket of parked deliveries. */
  get parkedBucket(): string {
    return `${this.stream}_PARKED`;
  }

  async connect(): Promise<void> {
    this.opening ??= this.open().catch((error: unknown) => {
      this.opening = null;
      throw error;
    });
    await this.opening;
    this.users += 1;
  }

  async close(): Promise<void> {
    if (this.users === 0) return;
    this.users -= 1;
    if (this.users > 0) return;
    this.opening = null;
    const { nc } = this;
    this.nc = null;
    this.js = null;
    this.jsm = null;
    this.kv = null;
    for (const entry of this.listeners.values()) entry.subscriptions = [];
    await nc?.drain().catch(() => nc.close());
  }

  /** Deletes the stream and the parked bucket with everything in them (tests; an operator resetting the bus). */
  async destroy(): Promise<void> {
    const jsm = this.requireJsm();
    for (const name of [this.stream, `KV_${this.parkedBucket}`]) {
      await jsm.streams.delete(name).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    }
  }

  async publish(events: readonly BusEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    for (const event of events) assertTopic(event.topic);
    const js = this.requireJs();
    // Sent in order on one connection, so the stream stores them in this order; the server confirms each.
    const acks = await Promise.all(
      events.map((event) => js.publish(this.eventSubject(event.topic), this.codec.encode(toWire(event)), { msgID: event.id, expect: { streamName: this.stream } })),
    );
    // Wake-ups go out once the stream has stored the events (a core message on a subject outside the stream).
    const stored = events.filter((_, index) => !acks[index].duplicate);
    for (const topic of new Set(stored.map((event) => event.topic))) this.nc?.publish(this.wakeSubject(topic));
    return stored.length;
  }

  async ensureSubscription(consumer: string, topics: readonly string[]): Promise<void> {
    assertConsumer(consumer);
    for (const topic of topics) assertTopic(topic);
    const jsm = this.requireJsm();
    const known = this.knownTopics(consumer);
    const wanted: { durable: string; subject: string }[] = [
      ...topics.map((topic) => ({ durable: durableName(consumer, topic), subject: this.eventSubject(topic) })),
      { durable: `${consumer}__${REQUEUED}`, subject: this.requeuedSubject(consumer) },
    ];
    let created = 0;
    for (const { durable, subject } of wanted) {
      const exists = await jsm.consumers.info(this.stream, durable).then(
        () => true,
        (error: unknown) => {
          if (isNotFound(error)) return false;
          throw error;
        },
      );
      if (exists) continue;
      // Starts at the beginning of the stream: a topic new to the consumer is backfilled with its whole history.
      await jsm.consumers.add(this.stream, {
        durable_name: durable,
        filter_subject: subject,
        deliver_policy: nats().DeliverPolicy.All,
        ack_policy: nats().AckPolicy.Explicit,
        ack_wait: nats().nanos(this.options.ackWaitMs ?? 30_000),
        max_deliver: -1,
      });
      created += 1;
    }
    for (const topic of topics) known.add(topic);
    if (created > 0) {
      this.wakeLocal(consumer);
      this.resubscribe(consumer);
      this.options.logger.info({ consumer, durables: created }, 'JetStream consumers created (new topics start with their whole history)');
    }
  }

  async process(consumer: string, limit: number, handle: (delivery: BusDelivery) => Promise<DeliveryOutcome>): Promise<number> {
    assertConsumer(consumer);
    const js = this.requireJs();
    const durables = await this.durablesOf(consumer);
    const maxDeliver = this.options.maxDeliver ?? 20;
    let claimed = 0;
    for (const durable of durables) {
      if (claimed >= limit) break;
      const batch: JsMsg[] = [];
      for await (const msg of js.fetch(this.stream, durable, { batch: limit - claimed, no_wait: true })) batch.push(msg);
      claimed += batch.length;
      for (let index = 0; index < batch.length; index += 1) {
        const msg = batch[index];
        try {
          const wire = this.codec.decode(msg.data) as WireEvent;
          const attempt = msg.info.deliveryCount;
          if (attempt > maxDeliver) {
            this.options.logger.error({ consumer, eventId: wire.id, topic: wire.topic, attempt }, 'event parked: delivered too often without a settlement');
            await this.park(consumer, msg, wire, attempt - 1, `Delivered ${attempt - 1} times without being settled`);
            continue;
          }
          msg.working();
          const outcome = await handle({ consumer, attempt, event: fromWire(wire) });
          if (outcome.kind === 'ack') await msg.ackAck();
          else if (outcome.kind === 'retry') msg.nak(Math.max(0, Math.round(outcome.delayMs)));
          else await this.park(consumer, msg, wire, attempt, outcome.error);
        } catch (error) {
          // Like a rolled-back claim: this and every later delivery of the batch become ready again at once.
          for (const unsettled of batch.slice(index)) unsettled.nak();
          await this.nc?.flush().catch(() => undefined);
          throw error;
        }
      }
      await this.nc?.flush();
    }
    return claimed;
  }

  onReady(consumer: string, listener: () => void): () => void {
    let entry = this.listeners.get(consumer);
    if (!entry) {
      entry = { listeners: new Set(), subscriptions: [] };
      this.listeners.set(consumer, entry);
    }
    entry.listeners.add(listener);
    if (entry.subscriptions.length === 0) this.resubscribe(consumer);
    const current = entry;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0) {
        for (const subscription of current.subscriptions) subscription.unsubscribe();
        current.subscriptions = [];
        this.listeners.delete(consumer);
      }
    };
  }

  async history(topics: readonly string[], afterSeq: string, limit: number): Promise<{ seq: string; event: BusEvent }[]> {
    for (const topic of topics) assertTopic(topic);
    if (!/^\d+$/.test(afterSeq)) throw new Error(`Invalid event position "${afterSeq}"`);
    const max = Math.max(1, Math.floor(limit));
    const jsm = this.requireJsm();
    const js = this.requireJs();
    // One short-lived consumer per topic (the server has no multi-subject filter before 2.10); the first `max` of
    // the union are among the first `max` of each topic.
    const found: { seq: number; event: BusEvent }[] = [];
    for (const topic of [...new Set(topics)]) {
      const after = Number(afterSeq);
      const info = await jsm.consumers.add(this.stream, {
        filter_subject: this.eventSubject(topic),
        ack_policy: nats().AckPolicy.None,
        mem_storage: true,
        inactive_threshold: nats().nanos(60_000),
        ...(after > 0 ? { deliver_policy: nats().DeliverPolicy.StartSequence, opt_start_seq: after + 1 } : { deliver_policy: nats().DeliverPolicy.All }),
      });
      try {
        for await (const msg of js.fetch(this.stream, info.name, { batch: max, no_wait: true })) {
          found.push({ seq: msg.seq, event: fromWire(this.codec.decode(msg.data) as WireEvent) });
        }
      } finally {
        await jsm.consumers.delete(this.stream, info.name).catch(() => undefined);
      }
    }
    return found
      .sort((a, b) => a.seq - b.seq)
      .slice(0, max)
      .map(({ seq, event }) => ({ seq: String(seq), event }));
  }

  async parked(consumer: string): Promise<ParkedDelivery[]> {
    assertConsumer(consumer);
    return (await this.parkedRecords(consumer)).map(({ record }) => ({
      consumer: record.consumer,
      attempts: record.attempts,
      lastError: record.lastError,
      parkedAt: new Date(record.parkedAt),
      event: fromWire(record.event),
    }));
  }

  async requeueParked(consumer: string, eventIds?: readonly string[]): Promise<number> {
    assertConsumer(consumer);
    const js = this.requireJs();
    const kv = this.requireKv();
    const only = eventIds ? new Set(eventIds) : null;
    let requeued = 0;
    for (const { key, revision, record } of await this.parkedRecords(consumer)) {
      if (only && !only.has(record.event.id)) continue;
      // Published first, then unparked: a failure in between leaves it parked and queued, which the inbox absorbs.
      await js.publish(this.requeuedSubject(consumer), this.codec.encode(record.event), { msgID: `requeue:${consumer}:${record.event.id}:${revision}`, expect: { streamName: this.stream } });
      await kv.delete(key);
      requeued += 1;
    }
    if (requeued > 0) this.nc?.publish(this.wakeSubject(`${REQUEUED}.${consumer}`));
    return requeued;
  }

  private async park(consumer: string, msg: JsMsg, wire: WireEvent, attempts: number, error: string): Promise<void> {
    const record: ParkedRecord = { consumer, attempts, lastError: error, parkedAt: new Date().toISOString(), event: wire };
    await this.requireKv().put(`${consumer}.${wire.id}`, this.codec.encode(record));
    msg.term();
  }

  private async parkedRecords(consumer: string): Promise<{ key: string; revision: number; record: ParkedRecord }[]> {
    const kv = this.requireKv();
    const keys: string[] = [];
    for await (const key of await kv.keys(`${consumer}.*`)) keys.push(key);
    const records: { key: string; revision: number; record: ParkedRecord }[] = [];
    for (const key of keys) {
      const entry = await kv.get(key);
      if (!entry || entry.operation !== 'PUT') continue;
      records.push({ key, revision: entry.revision, record: this.codec.decode(entry.value) as ParkedRecord });
    }
    return records.sort((a, b) => a.revision - b.revision);
  }

  /** The durables of `consumer`: its topics (known here or on the server), then its requeued deliveries. */
  private async durablesOf(consumer: string): Promise<string[]> {
    const known = this.knownTopics(consumer);
    const prefix = `${consumer}__`;
    const names = new Set([...known].map((topic) => durableName(consumer, topic)));
    const requeued = `${prefix}${REQUEUED}`;
    if (known.size > 0) return [...names, requeued];
    // Subscribed by another process (an operator tool, an instance that has not subscribed yet): ask the server.
    let hasRequeued = false;
    for await (const info of this.requireJsm().consumers.list(this.stream)) {
      if (info.name === requeued) hasRequeued = true;
      else if (info.name.startsWith(prefix)) names.add(info.name);
    }
    return hasRequeued ? [...names, requeued] : [...names];
  }

  private knownTopics(consumer: string): Set<string> {
    let known = this.topicsOf.get(consumer);
    if (!known) {
      known = new Set();
      this.topicsOf.set(consumer, known);
    }
    return known;
  }

  /** (Re)subscribes the wake-ups of `consumer` to its topics' subjects and its requeue subject. */
  private resubscribe(consumer: string): void {
    const entry = this.listeners.get(consumer);
    if (!entry || !this.nc) return;
    for (const subscription of entry.subscriptions) subscription.unsubscribe();
    const subjects = [...this.knownTopics(consumer)].map((topic) => this.wakeSubject(topic)).concat(this.wakeSubject(`${REQUEUED}.${consumer}`));
    const nc = this.nc;
    entry.subscriptions = subjects.map((subject) => nc.subscribe(subject, { callback: () => this.wakeLocal(consumer) }));
  }

  private wakeLocal(consumer: string): void {
    this.listeners.get(consumer)?.listeners.forEach((listener) => listener());
  }

  private eventSubject(topic: string): string {
    return `${this.subjects}.${topic}`;
  }

  /** Core (not stored) wake-up subjects: `<subjects>-wake.<topic>` and `<subjects>-wake.requeued.<consumer>`. */
  private wakeSubject(name: string): string {
    return `${this.subjects}-wake.${name}`;
  }

  private requeuedSubject(consumer: string): string {
    return `${this.subjects}-${REQUEUED}.${consumer}`;
  }

  private async open(): Promise<void> {
    const { logger } = this.options;
    const nc = await nats().connect({ servers: this.servers, name: 'kartoteka-event-bus', maxReconnectAttempts: -1 });
    try {
      void (async () => {
        for await (const status of nc.status()) {
          if (status.type === 'disconnect' || status.type === 'error') logger.warn({ status: status.type, data: String(status.data) }, 'event bus connection');
        }
      })();
      const jsm = await nc.jetstreamManager();
      const subjects = [`${this.subjects}.>`, `${this.subjects}-${REQUEUED}.>`];
      const exists = await jsm.streams.info(this.stream).then(
        () => true,
        (error: unknown) => {
          if (isNotFound(error)) return false;
          throw error;
        },
      );
      if (!exists) {
        await jsm.streams
          .add({ name: this.stream, subjects, storage: nats().StorageType.File, retention: nats().RetentionPolicy.Limits, duplicate_window: nats().nanos(this.options.duplicateWindowMs ?? 24 * 3_600_000) })
          .catch(async (error: unknown) => {
            // Another process created it meanwhile.
            await jsm.streams.info(this.stream).catch(() => {
              throw error;
            });
          });
      }
      const js = nc.jetstream();
      this.kv = await js.views.kv(this.parkedBucket, { history: 1, storage: nats().StorageType.File });
      this.nc = nc;
      this.js = js;
      this.jsm = jsm;
      for (const consumer of this.listeners.keys()) this.resubscribe(consumer);
    } catch (error) {
      await nc.close().catch(() => undefined);
      throw error;
    }
  }

  private requireJs(): JetStreamClient {
    if (!this.js) throw new Error('The event bus is not connected');
    return this.js;
  }

  private requireJsm(): JetStreamManager {
    if (!this.jsm) throw new Error('The event bus is not connected');
    return this.jsm;
  }

  private requireKv(): KV {
    if (!this.kv) throw new Error('The event bus is not connected');
    return this.kv;
  }
}
