import { readEventBusEnv, readSubgraphEnv, type SubgraphConfig, strictEnvReporter } from '@kartoteka/kit';
import { bool, cleanEnv, num } from 'envalid';
import { readExportEnv, type ExportSettings } from '@kartoteka/kit/export';

/** Settings of the deals service beyond the common subgraph ones. */
export type DealsSettings = {
  /** Seed demo deals (for the demo counterparties) when the table is empty. */
  demo: boolean;
  /** The event bus (`EVENT_BUS_URL`); null (tests that do not need it): no event consumer or outbox relay runs. */
  eventBusUrl: string | null;
  /** How often the task reminder job runs (`TASK_REMINDER_INTERVAL_MS`, default a minute); 0: it does not run. */
  taskReminderIntervalMs: number;
  /** How long before a task's due time its due-soon reminder goes out (`TASK_REMINDER_LEAD_MINUTES`, default 1440: a day). */
  taskReminderLeadMs: number;
  /** Registry exports (XLSX / CSV): row cap and page size; kit's defaults without it. */
  export?: ExportSettings;
};

export type DealsConfig = SubgraphConfig & DealsSettings;

/** Settings for tests and tools: no demo data, no background delivery unless a test asks for it. */
export function defaultDealsSettings(overrides: Partial<DealsSettings> = {}): DealsSettings {
  return { demo: false, eventBusUrl: null, taskReminderIntervalMs: 0, taskReminderLeadMs: 86_400_000, ...overrides };
}

/** The only reader of process.env in this service. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): DealsConfig {
  const own = cleanEnv(env, {
    DEMO: bool({ default: false, desc: 'Seed demo deals for the demo counterparties' }),
    TASK_REMINDER_INTERVAL_MS: num({ default: 60_000, desc: 'How often the task reminder job runs, in ms; 0 turns it off' }),
    TASK_REMINDER_LEAD_MINUTES: num({ default: 1440, desc: 'How long before a task is due its reminder goes out, in minutes' }),
  }, { reporter: strictEnvReporter });
  if (own.TASK_REMINDER_INTERVAL_MS < 0 || own.TASK_REMINDER_LEAD_MINUTES < 0) throw new Error('TASK_REMINDER_INTERVAL_MS and TASK_REMINDER_LEAD_MINUTES cannot be negative');
  return {
    ...readSubgraphEnv(env, 'deals', { port: 4104 }),
    demo: own.DEMO,
    eventBusUrl: readEventBusEnv(env).eventBusUrl,
    taskReminderIntervalMs: own.TASK_REMINDER_INTERVAL_MS,
    taskReminderLeadMs: own.TASK_REMINDER_LEAD_MINUTES * 60_000,
    export: readExportEnv(env).export,
  };
}
