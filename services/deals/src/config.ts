import { readEventBusEnv, readSubgraphEnv, type SubgraphConfig, strictEnvReporter } from '@kartoteka/kit';
import { bool, cleanEnv } from 'envalid';

/** Settings of the deals service beyond the common subgraph ones. */
export type DealsSettings = {
  /** Seed demo deals (for the demo counterparties) when the table is empty. */
  demo: boolean;
  /** The event bus (`EVENT_BUS_URL`); null (tests that do not need it): no event consumer or outbox relay runs. */
  eventBusUrl: string | null;
};

export type DealsConfig = SubgraphConfig & DealsSettings;

/** Settings for tests and tools: no demo data, no background delivery unless a test asks for it. */
export function defaultDealsSettings(overrides: Partial<DealsSettings> = {}): DealsSettings {
  return { demo: false, eventBusUrl: null, ...overrides };
}

/** The only reader of process.env in this service. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): DealsConfig {
  const own = cleanEnv(env, {
    DEMO: bool({ default: false, desc: 'Seed demo deals for the demo counterparties' }),
  }, { reporter: strictEnvReporter });
  return { ...readSubgraphEnv(env, 'deals', { port: 4104 }), demo: own.DEMO, eventBusUrl: readEventBusEnv(env).eventBusUrl };
}
