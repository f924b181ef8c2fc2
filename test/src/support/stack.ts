import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { DEMO_USERS, type SubgraphDefinition } from '@kartoteka/kit';
import { createTestDatabase, postGraphQL, startTestSubgraph, type GraphQLResponse, type TestDatabase, type TestSubgraph } from '@kartoteka/kit/testing';
import { identitySubgraph } from '../../../services/identity/src/subgraph';
import { seedIdentity } from '../../../services/identity/src/seed/identity.seed';
import { counterpartiesSubgraph } from '../../../services/counterparties/src/subgraph';
import { defaultDocumentsSettings } from '../../../services/documents/src/config';
import { documentsSubgraph } from '../../../services/documents/src/subgraph';
import { defaultDealsSettings } from '../../../services/deals/src/config';
import { dealsSubgraph } from '../../../services/deals/src/subgraph';
import { loadConfig as loadGatewayConfig } from '../../../gateway/src/config';
import { startGateway, type RunningGateway } from '../../../gateway/src/gateway-server';

export const SUBGRAPH_NAMES = ['identity', 'counterparties', 'documents', 'deals'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export type Stack = {
  gateway: RunningGateway;
  gatewayUrl: string;
  subgraphs: Record<SubgraphName, TestSubgraph>;
  /** Every JSON log line of the gateway and the subgraphs, when started with `captureLogs`. */
  logs: Record<string, unknown>[];
  /** SQL statements executed per subgraph since the last reset. */
  queries: Record<SubgraphName, string[]>;
  resetQueryLog: () => void;
  call: <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string) => Promise<GraphQLResponse<T> & { status: number }>;
  login: (email: string) => Promise<string>;
  /** The documents service's file storage (a temporary folder, removed by `stop`). */
  filesDir: string;
  /** The event bus database the subgraphs relay to and consume from. */
  eventBusUrl: string;
  stop: () => Promise<void>;
};

const JWT_SECRET = randomBytes(24).toString('hex');

/** `eventBusUrl`: a throwaway event bus database; identity relays its events there, documents and deals consume them. */
function definitions(eventBusUrl: string, filesDir: string): Record<SubgraphName, SubgraphDefinition> {
  const documents = defaultDocumentsSettings({ eventBusUrl });
  return {
    identity: identitySubgraph({ jwtSecret: JWT_SECRET, jwtTtlSeconds: 3600, eventBusUrl }),
    counterparties: counterpartiesSubgraph(),
    documents: documentsSubgraph({ ...documents, files: { ...documents.files, dir: filesDir } }),
    deals: dealsSubgraph(defaultDealsSettings({ eventBusUrl })),
  };
}

/**
 * The real stack in one process: four subgraphs on their own fresh databases (migrations applied, demo
 * users seeded) and the gateway started from the committed supergraph, each subgraph with its own secret.
 */
export type StackOptions = {
  production?: boolean;
  timeoutMs?: number;
  corsOrigins?: string[];
  /** Extra gateway environment, e.g. tighter limits or a subgraph URL pointing elsewhere. */
  gatewayEnv?: NodeJS.ProcessEnv;
  captureLogs?: boolean;
};

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const queries = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, [] as string[]])) as Record<SubgraphName, string[]>;
  const events: TestDatabase = await createTestDatabase('events');
  const filesDir = mkdtempSync(join(tmpdir(), 'kartoteka-stack-files-'));
  const defs = definitions(events.url, filesDir);
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const loggerFor = (service: string) => (options.captureLogs ? pino({ name: service, base: { service }, level: 'info' }, sink) : undefined);
  const started = await Promise.all(SUBGRAPH_NAMES.map((name) => startTestSubgraph(defs[name], { onQuery: (sql) => queries[name].push(sql), logger: loggerFor(name) })));
  const subgraphs = Object.fromEntries(SUBGRAPH_NAMES.map((name, i) => [name, started[i]])) as Record<SubgraphName, TestSubgraph>;
  await seedIdentity(subgraphs.identity.orm.em.fork(), { demo: true, bootstrapAdmin: null });

  const env: NodeJS.ProcessEnv = {
    NODE_ENV: options.production === false ? 'development' : 'production',
    PORT: '0',
    JWT_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SUBGRAPH_TIMEOUT_MS: String(options.timeoutMs ?? 5000),
    ...(options.corsOrigins ? { CORS_ORIGINS: options.corsOrigins.join(',') } : {}),
  };
  for (const name of SUBGRAPH_NAMES) {
    env[`${name.toUpperCase()}_URL`] = subgraphs[name].url;
    env[`${name.toUpperCase()}_SECRET`] = subgraphs[name].secret;
  }
  Object.assign(env, options.gatewayEnv);
  const gateway = await startGateway(loadGatewayConfig(env), { logger: loggerFor('gateway') });

  const call: Stack['call'] = (query, variables = {}, token) => postGraphQL(gateway.url, query, variables, token ? { authorization: `Bearer ${token}` } : {});
  const tokens = new Map<string, string>();
  return {
    gateway,
    gatewayUrl: gateway.url,
    subgraphs,
    logs,
    queries,
    resetQueryLog: () => SUBGRAPH_NAMES.forEach((name) => (queries[name].length = 0)),
    call,
    login: async (email) => {
      const cached = tokens.get(email);
      if (cached) return cached;
      const password = DEMO_USERS.find((user) => user.email === email)?.password ?? '';
      const result = await call<{ login: { token: string } }>('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: password });
      if (!result.data?.login.token) throw new Error(`login failed for ${email}: ${JSON.stringify(result.errors)}`);
      tokens.set(email, result.data.login.token);
      return result.data.login.token;
    },
    filesDir,
    eventBusUrl: events.url,
    stop: async () => {
      await gateway.stop();
      await Promise.all(started.map((subgraph) => subgraph.close().catch(() => undefined)));
      await events.drop().catch(() => undefined);
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}
