import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { COUNTERPARTY_TOPICS, createLogger, DEMO_USERS, USER_UPSERTED, type SubgraphDefinition } from '@kartoteka/kit';
import { createTestDatabase, postGraphQL, startTestSubgraph, type GraphQLResponse, type TestDatabase, type TestSubgraph } from '@kartoteka/kit/testing';
import { identitySubgraph, type IdentitySettings } from '../../../services/identity/src/subgraph';
import { seedIdentity } from '../../../services/identity/src/seed/identity.seed';
import { counterpartiesEventHandlers, counterpartiesSubgraph } from '../../../services/counterparties/src/subgraph';
import { defaultDocumentsSettings } from '../../../services/documents/src/config';
import { documentsEventHandlers, documentsSubgraph } from '../../../services/documents/src/subgraph';
import { defaultDealsSettings } from '../../../services/deals/src/config';
import { dealsEventHandlers, dealsSubgraph } from '../../../services/deals/src/subgraph';
import { defaultFinanceSettings } from '../../../services/finance/src/config';
import { financeEventHandlers, financeSubgraph } from '../../../services/finance/src/subgraph';
import { defaultMailingsSettings, type MailingsSettings } from '../../../services/mailings/src/config';
import { mailingsEventHandlers, mailingsSubgraph } from '../../../services/mailings/src/subgraph';
import { loadConfig as loadGatewayConfig } from '../../../gateway/src/config';
import { startGateway, type RunningGateway } from '../../../gateway/src/gateway-server';
import { EventSettler } from './events-settled';
import { TEST_SUBGRAPH_TIMEOUT_MS } from './timing';

export const SUBGRAPH_NAMES = ['identity', 'counterparties', 'documents', 'deals', 'finance', 'mailings'] as const;
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
  /**
   * Waits until the events feeding read models (identity's users, counterparties' lifecycle) are consumed by every
   * service: documents', deals' and counterparties' local copies are then current. `call` does it after every mutation.
   */
  settle: () => Promise<void>;
  /**
   * Waits until every event of every topic is handled by every consumer and no outbox holds an unpublished one
   * (projections such as the counterparty timeline included): for checks that compare whole databases.
   */
  settleAll: () => Promise<void>;
  stop: () => Promise<void>;
};

/** The secret identity signs session tokens with (a gateway started apart from the stack needs it). */
export const JWT_SECRET = randomBytes(24).toString('hex');

/** `eventBusUrl`: a throwaway event bus database; identity relays its events there, documents and deals consume them. */
function definitions(eventBusUrl: string, filesDir: string, identity: Partial<IdentitySettings> = {}, mailings: Partial<MailingsSettings> = {}): Record<SubgraphName, SubgraphDefinition> {
  const documents = defaultDocumentsSettings({ eventBusUrl });
  return {
    identity: identitySubgraph({ jwtSecret: JWT_SECRET, jwtTtlSeconds: 3600, eventBusUrl, ...identity }),
    counterparties: counterpartiesSubgraph({ eventBusUrl }),
    documents: documentsSubgraph({ ...documents, files: { ...documents.files, dir: filesDir } }),
    deals: dealsSubgraph(defaultDealsSettings({ eventBusUrl })),
    finance: financeSubgraph(defaultFinanceSettings({ eventBusUrl })),
    mailings: mailingsSubgraph(defaultMailingsSettings({ eventBusUrl, ...mailings })),
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
  /** `false`: `call` returns right after a mutation, without waiting for its domain events (default: waits). */
  settleAfterMutations?: boolean;
  /** Identity settings, e.g. a short access-token lifetime or tighter login throttling. */
  identity?: Partial<IdentitySettings>;
  /** Mailings settings, e.g. an SMTP sink for the sending worker (none by default: nothing is sent). */
  mailings?: Partial<MailingsSettings>;
};

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const queries = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, [] as string[]])) as Record<SubgraphName, string[]>;
  const events: TestDatabase = await createTestDatabase('events');
  const filesDir = mkdtempSync(join(tmpdir(), 'kartoteka-stack-files-'));
  const defs = definitions(events.url, filesDir, options.identity, options.mailings);
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  // the services' own logger (request ids, redaction), writing into `logs`
  const loggerFor = (service: string) => (options.captureLogs ? createLogger(service, 'info', sink) : undefined);
  const started = await Promise.all(SUBGRAPH_NAMES.map((name) => startTestSubgraph(defs[name], { onQuery: (sql) => queries[name].push(sql), logger: loggerFor(name) })));
  const subgraphs = Object.fromEntries(SUBGRAPH_NAMES.map((name, i) => [name, started[i]])) as Record<SubgraphName, TestSubgraph>;
  await seedIdentity(subgraphs.identity.orm.em.fork(), { demo: true, bootstrapAdmin: null });
  // read models (staff, counterparties) in every consumer, fed by identity's and counterparties' events
  const readModelTopics = new Set<string>([USER_UPSERTED, ...COUNTERPARTY_TOPICS]);
  const readModelTopicsOf = (handlers: Record<string, unknown>) => Object.keys(handlers).filter((topic) => readModelTopics.has(topic));
  const settler = new EventSettler(events.url, [subgraphs.identity.database.url, subgraphs.counterparties.database.url], {
    counterparties: readModelTopicsOf(counterpartiesEventHandlers()),
    documents: readModelTopicsOf(documentsEventHandlers()),
    deals: readModelTopicsOf(dealsEventHandlers()),
    finance: readModelTopicsOf(financeEventHandlers()),
    mailings: readModelTopicsOf(mailingsEventHandlers()),
  });
  // every topic every consumer handles, every producer's outbox: nothing at all in flight
  const everything = new EventSettler(
    events.url,
    SUBGRAPH_NAMES.map((name) => subgraphs[name].database.url),
    {
      counterparties: Object.keys(counterpartiesEventHandlers()),
      documents: Object.keys(documentsEventHandlers()),
      deals: Object.keys(dealsEventHandlers()),
      finance: Object.keys(financeEventHandlers()),
      mailings: Object.keys(mailingsEventHandlers()),
    },
  );
  // the demo staff reach the read models of documents and deals before any test refers to them
  await settler.settle();

  const env: NodeJS.ProcessEnv = {
    NODE_ENV: options.production === false ? 'development' : 'production',
    PORT: '0',
    JWT_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SUBGRAPH_TIMEOUT_MS: String(options.timeoutMs ?? TEST_SUBGRAPH_TIMEOUT_MS),
    ...(options.corsOrigins ? { CORS_ORIGINS: options.corsOrigins.join(',') } : {}),
    // every test calls from 127.0.0.1: limits far above any test's volume, unless a test sets its own
    RATE_LIMIT_USER_PER_MINUTE: '1000000',
    RATE_LIMIT_API_KEY_PER_MINUTE: '1000000',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000',
  };
  for (const name of SUBGRAPH_NAMES) {
    env[`${name.toUpperCase()}_URL`] = subgraphs[name].url;
    env[`${name.toUpperCase()}_SECRET`] = subgraphs[name].secret;
  }
  Object.assign(env, options.gatewayEnv);
  const gateway = await startGateway(loadGatewayConfig(env), { logger: loggerFor('gateway') });

  // A mutation's events (a new counterparty, a changed user…) reach the other services' read models before the
  // test goes on, as they do within moments in a running install; a test never races the event bus.
  const call: Stack['call'] = async <T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const result = await postGraphQL<T>(gateway.url, query, variables, token ? { authorization: `Bearer ${token}` } : {});
    // Bounded and quiet: a fault test (a service or the database down) gets its answer, not this wait's failure.
    if (options.settleAfterMutations !== false && /^\s*mutation\b/.test(query)) await settler.settle(10_000).catch(() => undefined);
    return result;
  };
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
    settle: () => settler.settle(),
    settleAll: () => everything.settle(),
    stop: async () => {
      await gateway.stop();
      await settler.close();
      await everything.close();
      await Promise.all(started.map((subgraph) => subgraph.close().catch(() => undefined)));
      await events.drop().catch(() => undefined);
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}
