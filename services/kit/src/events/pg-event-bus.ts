import { Pool, type PoolClient } from 'pg';
import type { Logger } from '../server/logger';
import { assertTopic, type BusDelivery, type BusEvent, type DeliveryOutcome, type EventBus, type EventPayload, type ParkedDelivery } from './event-bus';
import { PgWakeListener } from './wake-listener';

export type PgEventBusOptions = {
  /** The bus's own database (`EVENT_BUS_URL`), shared by all services. */
  url: string;
  logger: Logger;
  poolMax?: number;
};

/** Notifications carry the consumer name whose deliveries became ready. */
export const EVENT_BUS_CHANNEL = 'kartoteka_event_bus';

// Publishers hold this lock shared, new subscriptions exclusively: a subscription's backfill then sees every
// event committed before it, and every later publish sees the subscription — no event falls between the two.
const SUBSCRIPTIONS_LOCK = `hashtext('kartoteka:event-bus:subscriptions')`;
const SCHEMA_LOCK = `hashtext('kartoteka:event-bus:schema')`;

const SCHEMA = `
create table if not exists bus_events (
  seq bigint generated always as identity primary key,
  id uuid not null unique,
  topic text not null,
  producer text not null,
  payload jsonb not null,
  occurred_at timestamptz not null,
  published_at timestamptz not null default now()
);
create index if not exists bus_events_topic_seq_index on bus_events (topic, seq);
create table if not exists bus_subscriptions (
  consumer text not null,
  topic text not null,
  created_at timestamptz not null default now(),
  primary key (consumer, topic)
);
create index if not exists bus_subscriptions_topic_index on bus_subscriptions (topic);
create table if not exists bus_deliveries (
  consumer text not null,
  event_seq bigint not null references bus_events (seq) on delete cascade,
  status text not null default 'pending' check (status in ('pending', 'parked')),
  attempts integer not null default 0,
  available_at timestamptz not null default now(),
  last_error text,
  parked_at timestamptz,
  primary key (consumer, event_seq)
);
create index if not exists bus_deliveries_pending_index on bus_deliveries (consumer, event_seq) where status = 'pending';
`;

type EventRow = { seq: string; id: string; topic: string; producer: string; payload: EventPayload; occurred_at: Date };
type DeliveryRow = EventRow & { attempts: number };
type ParkedRow = EventRow & { consumer: string; attempts: number; last_error: string | null; parked_at: Date };

function toEvent(row: EventRow): BusEvent {
  return { id: row.id, topic: row.topic, producer: row.producer, payload: row.payload, occurredAt: row.occurred_at };
}

/**
 * The event bus as a queue in its own PostgreSQL database: events with a sequence, subscriptions, and one
 * delivery row per (consumer, event). Consumers claim deliveries with `FOR UPDATE SKIP LOCKED` inside a
 * transaction that stays open while they handle them, so a crashed consumer's deliveries become ready again.
 * LISTEN/NOTIFY wakes consumers; they poll as a fallback. Works against the embedded PostgreSQL of `pnpm start`.
 */
export class PgEventBus implements EventBus {
  private pool: Pool | null = null;
  private opening: Promise<void> | null = null;
  private users = 0;
  private readonly listeners = new Map<string, Set<() => void>>();
  private listener: PgWakeListener | null = null;

  constructor(private readonly options: PgEventBusOptions) {}

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
    const { pool, listener } = this;
    this.pool = null;
    this.listener = null;
    await listener?.close();
    await pool?.end();
  }

  async publish(events: readonly BusEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    for (const event of events) assertTopic(event.topic);
    const batch = events.map((event) => ({ id: event.id, topic: event.topic, producer: event.producer, payload: event.payload, occurred_at: event.occurredAt.toISOString() }));
    return this.transaction(async (client) => {
      await client.query(`select pg_advisory_xact_lock_shared(${SUBSCRIPTIONS_LOCK})`);
      const { rows } = await client.query<{ stored: number }>(
        `with incoming as (
           select (e.value->>'id')::uuid as id, e.value->>'topic' as topic, e.value->>'producer' as producer,
                  e.value->'payload' as payload, (e.value->>'occurred_at')::timestamptz as occurred_at, e.n
           from jsonb_array_elements($1::jsonb) with ordinality as e(value, n)
         ), stored as (
           insert into bus_events (id, topic, producer, payload, occurred_at)
           select id, topic, producer, payload, occurred_at from incoming order by n
           on conflict (id) do nothing
           returning seq, topic
         ), queued as (
           insert into bus_deliveries (consumer, event_seq)
           select s.consumer, stored.seq from stored join bus_subscriptions s on s.topic = stored.topic
           returning consumer
         ), woken as (
           select pg_notify($2, consumer) from (select distinct consumer from queued) c
         )
         select (select count(*) from stored)::int as stored, (select count(*) from woken)::int as woken`,
        [JSON.stringify(batch), EVENT_BUS_CHANNEL],
      );
      return rows[0].stored;
    });
  }

  async ensureSubscription(consumer: string, topics: readonly string[]): Promise<void> {
    for (const topic of topics) assertTopic(topic);
    await this.transaction(async (client) => {
      await client.query(`select pg_advisory_xact_lock(${SUBSCRIPTIONS_LOCK})`);
      const { rows } = await client.query<{ backfilled: number }>(
        `with added as (
           insert into bus_subscriptions (consumer, topic) select $1, topic from unnest($2::text[]) as t(topic)
           on conflict do nothing
           returning topic
         ), backfill as (
           insert into bus_deliveries (consumer, event_seq)
           select $1, e.seq from bus_events e where e.topic in (select topic from added)
           on conflict do nothing
           returning 1
         )
         select count(*)::int as backfilled from backfill`,
        [consumer, [...topics]],
      );
      if (rows[0].backfilled > 0) {
        await client.query('select pg_notify($1, $2)', [EVENT_BUS_CHANNEL, consumer]);
        this.options.logger.info({ consumer, events: rows[0].backfilled }, 'new subscription backfilled with earlier events');
      }
    });
  }

  async history(topics: readonly string[], afterSeq: string, limit: number): Promise<{ seq: string; event: BusEvent }[]> {
    for (const topic of topics) assertTopic(topic);
    if (!/^\d+$/.test(afterSeq)) throw new Error(`Invalid event position "${afterSeq}"`);
    const { rows } = await this.requirePool().query<EventRow>(
      `select e.seq::text as seq, e.id, e.topic, e.producer, e.payload, e.occurred_at from bus_events e
       where e.topic = any($1::text[]) and e.seq > $2::bigint order by e.seq limit $3`,
      [[...topics], afterSeq, Math.max(1, Math.floor(limit))],
    );
    return rows.map((row) => ({ seq: row.seq, event: toEvent(row) }));
  }

  async process(consumer: string, limit: number, handle: (delivery: BusDelivery) => Promise<DeliveryOutcome>): Promise<number> {
    await this.listener?.ensure();
    return this.transaction(async (client) => {
      const { rows } = await client.query<DeliveryRow>(
        `select e.seq, e.id, e.topic, e.producer, e.payload, e.occurred_at, d.attempts
         from bus_deliveries d join bus_events e on e.seq = d.event_seq
         where d.consumer = $1 and d.status = 'pending' and d.available_at <= clock_timestamp()
         order by d.event_seq
         limit $2
         for update of d skip locked`,
        [consumer, limit],
      );
      for (const row of rows) {
        const outcome = await handle({ consumer, attempt: row.attempts + 1, event: toEvent(row) });
        if (outcome.kind === 'ack') {
          await client.query('delete from bus_deliveries where consumer = $1 and event_seq = $2', [consumer, row.seq]);
        } else if (outcome.kind === 'retry') {
          await client.query(
            `update bus_deliveries set attempts = attempts + 1, last_error = $3, available_at = clock_timestamp() + $4 * interval '1 millisecond'
             where consumer = $1 and event_seq = $2`,
            [consumer, row.seq, outcome.error, Math.max(0, Math.round(outcome.delayMs))],
          );
        } else {
          await client.query(
            `update bus_deliveries set attempts = attempts + 1, last_error = $3, status = 'parked', parked_at = clock_timestamp()
             where consumer = $1 and event_seq = $2`,
            [consumer, row.seq, outcome.error],
          );
        }
      }
      return rows.length;
    });
  }

  onReady(consumer: string, listener: () => void): () => void {
    let set = this.listeners.get(consumer);
    if (!set) {
      set = new Set();
      this.listeners.set(consumer, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  async parked(consumer: string): Promise<ParkedDelivery[]> {
    const { rows } = await this.requirePool().query<ParkedRow>(
      `select d.consumer, d.attempts, d.last_error, d.parked_at, e.seq, e.id, e.topic, e.producer, e.payload, e.occurred_at
       from bus_deliveries d join bus_events e on e.seq = d.event_seq
       where d.consumer = $1 and d.status = 'parked' order by d.event_seq`,
      [consumer],
    );
    return rows.map((row) => ({ consumer: row.consumer, attempts: row.attempts, lastError: row.last_error, parkedAt: row.parked_at, event: toEvent(row) }));
  }

  async requeueParked(consumer: string, eventIds?: readonly string[]): Promise<number> {
    const { rowCount } = await this.requirePool().query(
      `update bus_deliveries d set status = 'pending', attempts = 0, available_at = now(), parked_at = null
        where d.consumer = $1 and d.status = 'parked'
          and ($2::uuid[] is null or d.event_seq in (select seq from bus_events where id = any($2::uuid[])))`,
      [consumer, eventIds ? [...eventIds] : null],
    );
    if (rowCount) await this.requirePool().query('select pg_notify($1, $2)', [EVENT_BUS_CHANNEL, consumer]);
    return rowCount ?? 0;
  }

  private async open(): Promise<void> {
    const { url, logger, poolMax } = this.options;
    const pool = new Pool({ connectionString: url, max: poolMax ?? 4 });
    pool.on('error', (error) => logger.warn({ err: error }, 'event bus connection error'));
    try {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(`select pg_advisory_xact_lock(${SCHEMA_LOCK})`);
        await client.query(SCHEMA);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    this.pool = pool;
    this.listener = new PgWakeListener({
      url,
      channel: EVENT_BUS_CHANNEL,
      logger,
      onNotify: (consumer) => this.listeners.get(consumer)?.forEach((listener) => listener()),
    });
    await this.listener.ensure();
  }

  private requirePool(): Pool {
    if (!this.pool) throw new Error('The event bus is not connected');
    return this.pool;
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.requirePool().connect();
    // A checked-out client has lost the pool's error listener: a server restart between two queries would
    // emit an unhandled 'error' and crash the process. The pending query fails anyway; a failed client is
    // destroyed on release instead of going back to the pool.
    let broken: unknown = null;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('begin');
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch((rollbackFailed: unknown) => {
        broken ??= rollbackFailed;
      });
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken ? (broken instanceof Error ? broken : true) : undefined);
    }
  }
}
