import { readSubgraphEnv, type SubgraphConfig, strictEnvReporter } from '@kartoteka/kit';
import { bool, cleanEnv, url } from 'envalid';

/** Settings of the documents service beyond the common subgraph ones; each module adds its own group. */
export type DocumentsSettings = {
  /** Seed demo documents (for the demo counterparties) when the table is empty. */
  demo: boolean;
  /** Public address of the portal, for links in e-mails. */
  portalUrl: string;
};

export type DocumentsConfig = SubgraphConfig & DocumentsSettings;

/** Settings for tests and tools: no demo data, no background delivery unless a test asks for it. */
export function defaultDocumentsSettings(overrides: Partial<DocumentsSettings> = {}): DocumentsSettings {
  return { demo: false, portalUrl: 'http://127.0.0.1:8080', ...overrides };
}

/** The only reader of process.env in this service. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): DocumentsConfig {
  const own = cleanEnv(env, {
    DEMO: bool({ default: false, desc: 'Seed demo documents for the demo counterparties' }),
    PORTAL_URL: url({ default: 'http://127.0.0.1:8080', desc: 'Public address of the portal (links in e-mails)' }),
  }, { reporter: strictEnvReporter });
  return { ...readSubgraphEnv(env, 'documents', { port: 4103 }), demo: own.DEMO, portalUrl: own.PORTAL_URL };
}
