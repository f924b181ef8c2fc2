import { Client } from 'pg';
import type { Logger } from '../server/logger';

export type WakeListenerOptions = { url: string; channel: string; logger: Logger; onNotify: (payload: string) => void };

/**
 * LISTEN on one PostgreSQL channel over a dedicated connection. Wake-ups only shorten waits: when the
 * connection fails the owner keeps polling, and the next `ensure` connects again.
 */
export class PgWakeListener {
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly options: WakeListenerOptions) {}

  get listening(): boolean {
    return this.client !== null;
  }

  async ensure(): Promise<void> {
    if (this.closed || this.client) return;
    this.connecting ??= this.listen().finally(() => {
      this.connecting = null;
    });
    await this.connecting;
  }

  /** Runs a small query on the listening connection (keeping it off the service's pool); null when not connected or it failed. */
  async queryOne<T extends Record<string, unknown>>(sql: string): Promise<T | null> {
    const client = this.client;
    if (!client) return null;
    try {
      const result = await client.query<T>(sql);
      return result.rows[0] ?? null;
    } catch (error) {
      this.options.logger.warn({ err: error, channel: this.options.channel }, 'query on the wake-up connection failed');
      return null;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connecting;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const { url, channel, logger, onNotify } = this.options;
    const client = new Client({ connectionString: url });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.client = null;
      if (!this.closed) logger.warn({ err: error, channel }, 'event wake-up connection lost; polling until it is back');
      client.end().catch(() => undefined);
    };
    client.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload ?? '');
    });
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`listen "${channel}"`);
    } catch (error) {
      logger.warn({ err: error, channel }, 'cannot listen for event wake-ups; polling');
      await client.end().catch(() => undefined);
      return;
    }
    if (this.closed) await client.end().catch(() => undefined);
    else this.client = client;
  }
}
