import { cleanEnv, str } from 'envalid';
import { strictEnvReporter } from '../config/env';

export type EventBusConfig = {
  /** The event bus shared by all services: `nats://…` (NATS JetStream) or a PostgreSQL database of its own (not any service's database); see {@link createEventBus}. */
  eventBusUrl: string;
};

/**
 * Reads `EVENT_BUS_URL`. Called only from a service's `config.ts`; required in production, a local default in
 * development (`postgres://postgres@127.0.0.1:5432/kartoteka_events`).
 */
export function readEventBusEnv(env: NodeJS.ProcessEnv): EventBusConfig {
  const values = cleanEnv(env, {
    NODE_ENV: str({ choices: ['development', 'production', 'test'], default: 'production' }),
    EVENT_BUS_URL: str({ devDefault: 'postgres://postgres@127.0.0.1:5432/kartoteka_events', desc: 'The event bus shared by the services: nats://host:4222 (NATS JetStream) or the PostgreSQL URL of its own database' }),
  }, { reporter: strictEnvReporter });
  return { eventBusUrl: values.EVENT_BUS_URL };
}
