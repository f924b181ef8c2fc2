import type { Logger } from '../server/logger';
import type { EventBus } from './event-bus';
import { NatsEventBus } from './nats-event-bus';
import { PgEventBus } from './pg-event-bus';

/**
 * The bus `EVENT_BUS_URL` names: `nats://…` (or `tls://…`, several servers separated by commas, optional
 * `?stream=…&subjects=…`) is NATS JetStream, the production bus; `postgres://…` is the PostgreSQL bus, the
 * embedded default. Every service, worker and CLI builds its bus here.
 */
export function createEventBus(options: { url: string; logger: Logger }): EventBus {
  const scheme = /^([a-z]+):\/\//i.exec(options.url)?.[1]?.toLowerCase();
  if (scheme === 'nats' || scheme === 'tls') return new NatsEventBus(options);
  if (scheme === 'postgres' || scheme === 'postgresql') return new PgEventBus(options);
  throw new Error('EVENT_BUS_URL must be a nats:// or postgres:// URL');
}
