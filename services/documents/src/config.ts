import { readSubgraphEnv, type SubgraphConfig, strictEnvReporter } from '@kartoteka/kit';
import { bool, cleanEnv } from 'envalid';

export type DocumentsConfig = SubgraphConfig & {
  /** Seed demo documents (for the demo counterparties) when the table is empty. */
  demo: boolean;
};

/** The only reader of process.env in this service. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): DocumentsConfig {
  const own = cleanEnv(env, {
    DEMO: bool({ default: false, desc: 'Seed demo documents for the demo counterparties' }),
  }, { reporter: strictEnvReporter });
  return { ...readSubgraphEnv(env, 'documents', { port: 4103 }), demo: own.DEMO };
}
