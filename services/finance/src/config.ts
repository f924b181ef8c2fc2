import { readEventBusEnv, readSubgraphEnv, type SubgraphConfig, strictEnvReporter } from '@kartoteka/kit';
import { bool, cleanEnv, num } from 'envalid';
import { readExportEnv, type ExportSettings } from '@kartoteka/kit/export';

/** Settings of the finance service beyond the common subgraph ones. */
export type FinanceSettings = {
  /** Seed a year of demo finance history (for the demo counterparties) when the tables are empty. */
  demo: boolean;
  /** The event bus (`EVENT_BUS_URL`); null (tests that do not need it): no event consumer or outbox relay runs. */
  eventBusUrl: string | null;
  /** How often the overdue job looks for obligations that fell overdue (ms); 0: the job does not run. */
  overdueIntervalMs: number;
  /** Registry exports (XLSX / CSV): row cap and page size; kit's defaults without it. */
  export?: ExportSettings;
};

export type FinanceConfig = SubgraphConfig & FinanceSettings;

/** Settings for tests and tools: no demo data, no background delivery or jobs unless a test asks for them. */
export function defaultFinanceSettings(overrides: Partial<FinanceSettings> = {}): FinanceSettings {
  return { demo: false, eventBusUrl: null, overdueIntervalMs: 0, ...overrides };
}

/** The only reader of process.env in this service. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): FinanceConfig {
  const own = cleanEnv(env, {
    DEMO: bool({ default: false, desc: 'Seed a year of demo finance history for the demo counterparties' }),
    OVERDUE_INTERVAL_MS: num({ default: 5 * 60_000, desc: 'How often the overdue job runs (ms); 0 disables it' }),
  }, { reporter: strictEnvReporter });
  if (!Number.isSafeInteger(own.OVERDUE_INTERVAL_MS) || own.OVERDUE_INTERVAL_MS < 0) throw new Error('Invalid configuration:\n  OVERDUE_INTERVAL_MS: must be a non-negative integer');
  return { ...readSubgraphEnv(env, 'finance', { port: 4105 }), demo: own.DEMO, eventBusUrl: readEventBusEnv(env).eventBusUrl, overdueIntervalMs: own.OVERDUE_INTERVAL_MS, export: readExportEnv(env).export };
}
