import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '@kartoteka/kit';
import { Client, type Notification as PgNotification } from 'pg';
import type { NotificationKind } from './notification.entity';

/** The PostgreSQL channel of live pings; NOTIFY is transactional, so a ping arrives only after its commit. */
export const LIVE_CHANNEL = 'documents_live';

/** What a connected staff member receives as `event: notification`. */
export type LiveNotification = {
  id: string;
  kind: NotificationKind;
  /** Null for a task's reminder without a document. */
  documentId: string | null;
  /** The task of a TASK_DUE_SOON / TASK_OVERDUE notification. */
  taskId?: string | null;
  documentTitle: string;
  documentNumber: string | null;
  actorName: string | null;
  createdAt: string;
};

/** Payloads on LIVE_CHANNEL (JSON). PostgreSQL limits one payload to 8000 bytes, hence recipient chunks. */
export type LiveMessage =
  | { type: 'notification'; notification: Omit<LiveNotification, 'id'>; recipients: { userId: string; id: string }[] }
  | { type: 'document'; documentId: string; /** Set for a restricted document: only these users hear of it. */ userIds?: string[] }
  /** Some of these users' notifications were marked read (their work was done, or they read them in another tab): their unread count changed. */
  | { type: 'read'; userIds: string[] };

/** A subscriber hears every message and, after (re)connecting, `{ type: 'listening' }`: it may have missed some. */
export type LiveEvent = LiveMessage | { type: 'listening' };
export type LiveListener = (event: LiveEvent) => void;

function parseMessage(payload: string | undefined): LiveMessage | null {
  if (!payload) return null;
  try {
    const value = JSON.parse(payload) as { type?: unknown };
    if (value.type === 'notification' || value.type === 'document' || value.type === 'read') return value as LiveMessage;
  } catch {
    // not ours
  }
  return null;
}

export type LiveChannelOptions = {
  connectionString: string;
  logger: Logger;
  /** First delay before reconnecting; doubles up to `maxReconnectDelayMs`. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
};

/**
 * One LISTEN connection per process on LIVE_CHANNEL, shared by every subscriber (the SSE streams, the mail
 * relay). It connects when the first subscriber comes, reconnects with back-off while anyone listens, and
 * closes when the last one leaves.
 */
export class LiveChannel {
  private readonly listeners = new Set<LiveListener>();
  private loop: Promise<void> | null = null;
  private listening = false;
  private waiters: (() => void)[] = [];
  /** Ends the current connection or back-off early (last subscriber left). */
  private interrupt: (() => void) | null = null;

  constructor(private readonly options: LiveChannelOptions) {}

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    this.ensureRunning();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.interrupt?.();
    };
  }

  /** Resolves once LISTEN is in effect (at once if it already is). */
  whenListening(): Promise<void> {
    if (this.listening) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  private ensureRunning(): void {
    if (this.loop) return;
    this.loop = this.run().finally(() => {
      this.loop = null;
      if (this.listeners.size > 0) this.ensureRunning();
    });
  }

  private emit(event: LiveEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.options.logger.error({ err: error }, 'live channel subscriber failed');
      }
    }
  }

  private async run(): Promise<void> {
    const minDelay = this.options.reconnectDelayMs ?? 500;
    const maxDelay = this.options.maxReconnectDelayMs ?? 30_000;
    let delay = minDelay;
    while (this.listeners.size > 0) {
      const client = new Client({ connectionString: this.options.connectionString, application_name: 'documents-live' });
      const lost = new Promise<unknown>((resolve) => {
        client.on('error', resolve);
        client.on('end', () => resolve(null));
        this.interrupt = () => resolve(null);
      });
      client.on('notification', (message: PgNotification) => {
        if (message.channel !== LIVE_CHANNEL) return;
        const parsed = parseMessage(message.payload);
        if (parsed) this.emit(parsed);
      });
      try {
        await Promise.race([client.connect().then(() => client.query(`LISTEN ${LIVE_CHANNEL}`)), lost.then((reason) => Promise.reject(reason ?? new Error('interrupted')))]);
        this.listening = true;
        delay = minDelay;
        for (const resolve of this.waiters.splice(0)) resolve();
        this.emit({ type: 'listening' });
        const reason = await lost;
        if (reason && this.listeners.size > 0) this.options.logger.warn({ err: reason }, 'live channel connection lost; reconnecting');
      } catch (error) {
        if (this.listeners.size > 0) this.options.logger.warn({ err: error }, 'live channel could not listen; retrying');
      } finally {
        this.listening = false;
        this.interrupt = null;
        client.removeAllListeners('notification');
        await client.end().catch(() => undefined);
      }
      if (this.listeners.size === 0) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.interrupt = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.interrupt = null;
      delay = Math.min(delay * 2, maxDelay);
    }
  }
}

const channels = new WeakMap<MikroORM, LiveChannel>();

/** The process's live channel for this ORM's database (one per service instance). */
export function liveChannelOf(orm: MikroORM, logger: Logger): LiveChannel {
  let channel = channels.get(orm);
  if (!channel) {
    channel = new LiveChannel({ connectionString: orm.config.get('clientUrl') ?? '', logger });
    channels.set(orm, channel);
  }
  return channel;
}
