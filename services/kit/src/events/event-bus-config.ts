import { cleanEnv, str } from 'envalid';
import { strictEnvReporter } from '../config/env';

export type EventBusConfig = {
  /** PostgreSQL database of the event bus, shared by all services (not any service's own database). */
  eventBusUrl: string;
};

/**
 * Reads `EVENT_BUS_URL`. Called only from a service's `config.ts`; required in production, a local default in
 * development (`postgres://postgres@127.0.0.1:5432/kartoteka_events`).
 */
export function readEventBusEnv(env: NodeJS.ProcessEnv): EventBusConfig {
  const values = cleanEnv(env, {
    NODE_ENV: str({ choices: ['development', 'production', 'test'], default: 'production' }),
    EVENT_BUS_URL: str({ devDefault: 'postgres://postgres@127.0.0.1:5432/kartoteka_events', desc: 'PostgreSQL URL of the event bus database shared by the services' }),
  }, { reporter: strictEnvReporter });
  return { eventBusUrl: values.EVENT_BUS_URL };
}
