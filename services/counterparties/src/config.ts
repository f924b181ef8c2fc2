import { readEventBusEnv, readSubgraphEnv, type EventBusConfig, type SubgraphConfig, strictEnvReporter } from '@kartoteka/kit';
import { bool, cleanEnv } from 'envalid';

export type CounterpartiesConfig = SubgraphConfig & EventBusConfig & {
  /** Seeding: demo counterparties (demo mode). */
  demo: boolean;
};

/** The only reader of process.env in this service. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): CounterpartiesConfig {
  const own = cleanEnv(env, {
    DEMO: bool({ default: false, desc: 'Seed demo counterparties (an empty table only)' }),
  }, { reporter: strictEnvReporter });
  return { ...readSubgraphEnv(env, 'counterparties', { port: 4102 }), ...readEventBusEnv(env), demo: own.DEMO };
}
