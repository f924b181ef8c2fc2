import { readEventBusEnv, readSubgraphEnv, type EventBusConfig, type SubgraphConfig, strictEnvReporter } from '@kartoteka/kit';
import { bool, cleanEnv, num } from 'envalid';
import { readExportEnv, type ExportConfig } from '@kartoteka/kit/export';

export type CounterpartiesConfig = SubgraphConfig & EventBusConfig & ExportConfig & {
  /** Seeding: demo counterparties (demo mode). */
  demo: boolean;
  /** Largest spreadsheet accepted for an import, in bytes. */
  importMaxBytes: number;
};

/** The only reader of process.env in this service. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): CounterpartiesConfig {
  const own = cleanEnv(env, {
    DEMO: bool({ default: false, desc: 'Seed demo counterparties (an empty table only)' }),
    IMPORT_MAX_MB: num({ default: 50, desc: 'Largest XLSX / CSV file accepted for an import of counterparties, in MB' }),
  }, { reporter: strictEnvReporter });
  return { ...readSubgraphEnv(env, 'counterparties', { port: 4102 }), ...readEventBusEnv(env), ...readExportEnv(env), demo: own.DEMO, importMaxBytes: Math.round(own.IMPORT_MAX_MB * 1024 * 1024) };
}
