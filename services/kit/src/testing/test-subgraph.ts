import { randomBytes, randomUUID } from 'node:crypto';
import { ANONYMOUS, GATEWAY_TOKEN_HEADER, signGatewayToken, type Identity } from '../auth/identity';
import { migrateUp } from '../orm/migration-cli';
import type { SubgraphConfig } from '../config/env';
import { createLogger, type Logger } from '../server/logger';
import { startSubgraphServer, type RunningSubgraph, type SubgraphDefinition } from '../server/subgraph-server';
import { createMigratedTestDatabase, type TestDatabase } from './test-database';

export type GraphQLResponse<T = Record<string, unknown>> = {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
};

export type TestSubgraph = RunningSubgraph & {
  secret: string;
  database: TestDatabase;
  /** Calls the subgraph as the gateway would, with a signed token for `identity`. */
  request: <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, identity?: Identity) => Promise<GraphQLResponse<T>>;
  close: () => Promise<void>;
};

/** Posts a GraphQL operation and returns the parsed body whatever the HTTP status. */
export async function postGraphQL<T = Record<string, unknown>>(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GraphQLResponse<T> & { status: number }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as GraphQLResponse<T>;
  return { ...body, status: response.status };
}

/** A subgraph on its own fresh database with migrations applied (a copy of the migrated template), listening on a free loopback port. */
export async function startTestSubgraph(
  definition: SubgraphDefinition,
  options: { onQuery?: (sql: string) => void; config?: Partial<SubgraphConfig>; logger?: Logger } = {},
): Promise<TestSubgraph> {
  const database = await createMigratedTestDatabase(definition, (url) => migrateUp(definition, url));
  const secret = randomBytes(24).toString('hex');
  const config: SubgraphConfig = {
    service: definition.service,
    production: false,
    host: '127.0.0.1',
    port: 0,
    databaseUrl: database.url,
    gatewaySecret: secret,
    logLevel: 'silent',
    shutdownGraceMs: 2000,
    ...options.config,
  };
  const running = await startSubgraphServer(definition, config, { onQuery: options.onQuery, logger: options.logger ?? createLogger(definition.service, process.env.TEST_LOG_LEVEL ?? 'silent') });
  return {
    ...running,
    secret,
    database,
    request: async (query, variables = {}, identity = ANONYMOUS) => {
      const token = await signGatewayToken(identity, definition.service, secret, randomUUID());
      return postGraphQL(running.url, query, variables, { [GATEWAY_TOKEN_HEADER]: token });
    },
    close: async () => {
      await running.stop();
      await database.drop();
    },
  };
}
