import { Client } from 'pg';
import { eventually } from './timing';

/**
 * A client whose connection may die (a restarted server, in the fault tests): without an error listener an idle
 * client's 'error' would crash the test process; the next query fails instead, and the next pass reconnects.
 */
function watched(connectionString: string): Client {
  const client = new Client({ connectionString });
  client.on('error', () => undefined);
  return client;
}

/**
 * Waits until the events that feed read models have settled: the services that produce them (identity's user
 * events, counterparties' lifecycle events) have no unpublished outbox row, and the bus has no ready delivery of
 * those topics for any consumer. Read models (counterparties and staff in documents, deals and counterparties) are
 * eventually consistent; a test that creates a counterparty and then refers to it waits here instead of racing.
 * Other flows (deal actions asking documents for a draft…) are not waited for: tests observe their steps.
 *
 * One pass reads the bus's position and ready deliveries (of those topics), then the producers' outboxes, then the
 * position again: an event on its way shows up in one of the three, so a clean pass with an unchanged position
 * means nothing is in flight. Concurrent callers share one pass.
 */
export class EventSettler {
  private clients: Client[];
  private bus: Client;
  private connected: Promise<void> | null = null;
  private current: Promise<boolean> | null = null;
  private readonly topics: string[];

  /**
   * `subscriptions`: the read-model topics each consumer handles. Consumers subscribe when their worker first
   * runs, and a subscription is backfilled with earlier events, so nothing is settled before every one exists.
   */
  constructor(private readonly eventBusUrl: string, private readonly producerDatabaseUrls: readonly string[], private readonly subscriptions: Record<string, readonly string[]>) {
    this.bus = watched(eventBusUrl);
    this.clients = producerDatabaseUrls.map((url) => watched(url));
    this.topics = [...new Set(Object.values(subscriptions).flat())];
  }

  private connect(): Promise<void> {
    this.connected ??= Promise.all([this.bus, ...this.clients].map((client) => client.connect())).then(() => undefined);
    return this.connected;
  }

  private async busState(): Promise<{ position: string; ready: boolean } | null> {
    const exists = await this.bus.query<{ ready: boolean }>(`select to_regclass('bus_deliveries') is not null as ready`);
    if (!exists.rows[0].ready) return null;
    const pairs = Object.entries(this.subscriptions).flatMap(([consumer, topics]) => topics.map((topic) => `${consumer}\t${topic}`));
    const { rows } = await this.bus.query<{ position: string; ready: boolean; subscribed: number }>(
      `select coalesce((select max(seq) from bus_events where topic = any($2::text[])), 0)::text as position,
              exists (select 1 from bus_deliveries d join bus_events e on e.seq = d.event_seq
                      where d.status = 'pending' and d.available_at <= now() and e.topic = any($2::text[])) as ready,
              (select count(*) from bus_subscriptions where consumer || E'\t' || topic = any($1::text[]))::int as subscribed`,
      [pairs, this.topics],
    );
    const [row] = rows;
    return { position: row.position, ready: row.ready || row.subscribed < pairs.length };
  }

  /** One pass; `true` when nothing is in flight. A lost connection (a restarted server) is opened again next pass. */
  isSettled(): Promise<boolean> {
    this.current ??= this.pass()
      .catch(async (error: unknown) => {
        await this.close();
        throw error;
      })
      .finally(() => {
        this.current = null;
      });
    return this.current;
  }

  private async pass(): Promise<boolean> {
    await this.connect();
    const before = await this.busState();
    if (!before || before.ready) return false;
    for (const client of this.clients) {
      const { rows } = await client.query<{ pending: boolean }>('select exists (select 1 from outbox_events where published_at is null) as pending');
      if (rows[0].pending) return false;
    }
    const after = await this.busState();
    return after !== null && before.position === after.position && !after.ready;
  }

  /** Waits for a settled pass (fails after the scaled timeout). */
  async settle(timeoutMs = 30_000): Promise<void> {
    await eventually(() => this.isSettled(), 'read-model events settled (outboxes published, deliveries handled)', { timeoutMs, intervalMs: 10 });
  }

  async close(): Promise<void> {
    if (!this.connected) return;
    this.connected = null;
    const open = [this.bus, ...this.clients];
    this.bus = watched(this.eventBusUrl);
    this.clients = this.producerDatabaseUrls.map((url) => watched(url));
    await Promise.all(open.map((client) => client.end().catch(() => undefined)));
  }
}
