import { readSubgraphEnv, type SubgraphConfig, strictEnvReporter } from '@kartoteka/kit';
import { bool, cleanEnv } from 'envalid';

export type DealsConfig = SubgraphConfig & {
  /** Seed demo deals (for the demo counterparties) when the table is empty. */
  demo: boolean;
};

/** The only reader of process.env in this service. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): DealsConfig {
  const own = cleanEnv(env, {
    DEMO: bool({ default: false, desc: 'Seed demo deals for the demo counterparties' }),
  }, { reporter: strictEnvReporter });
  return { ...readSubgraphEnv(env, 'deals', { port: 4104 }), demo: own.DEMO };
}
