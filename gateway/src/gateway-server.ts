import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import cors from 'cors';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
// no cache hints are used: the default cache-control plugin would otherwise run a hook for every resolved field
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { unwrapResolverError } from '@apollo/server/errors';
import { createFormatError, createLogger, graphqlHandler, isInternalError, jsonBodyErrorHandler, serviceVersion, type Logger } from '@kartoteka/kit';
import { AuthenticationError, createAuthenticator } from './authentication';
import type { GatewayConfig } from './config';
import { createSupergraphSource, subgraphsOf, type SupergraphStatus } from './supergraph-source';
import type { GatewayContext } from './gateway-context';
import { assignRequestId } from './request-id';
import { requestErrorsPlugin } from './request-errors';
import { createRateLimiter, memoryRateLimitStore, rateLimit } from './rate-limit';
import { createRestProxy } from './rest-proxy';
import { SubgraphDataSource } from './subgraph-data-source';
import { SubgraphInstances } from './subgraph-instances';
import { fieldOwnersOf, unavailablePathsPlugin } from './unavailable-paths';

export type RunningGateway = { url: string; port: number; logger: Logger; stop: () => Promise<void> };

/**
 * One line per GraphQL request (operation, actor, duration, error codes). Written by `accessLog`, a child of the
 * gateway's logger without redaction: the line holds only what the gateway itself puts in it (no variables, no
 * user data), and pino's wildcard redaction of a line cost about as much as writing it.
 */
function loggingPlugin(accessLog: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        // true internal errors of the gateway only (a subgraph's own — extensions.serviceName — are in that
        // subgraph's log under the same requestId), with requestId and service on the line
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            if (isInternalError(error) && !error.extensions?.serviceName) contextValue.logger.error({ err: unwrapResolverError(error), path: error.path }, 'internal error');
          }
        },
        async willSendResponse({ contextValue, operationName, errors, response }) {
          const nestedErrors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const codes = [...(errors ?? []), ...(nestedErrors ?? [])].map((error) => (error.extensions?.code as string | undefined) ?? 'INTERNAL_SERVER_ERROR');
          const identity = contextValue.identity;
          accessLog.info(
            { requestId: contextValue.requestId, operationName, actor: identity.kind === 'anonymous' ? 'anonymous' : `${identity.kind}:${identity.id}`, durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10, errors: codes.length ? codes : undefined },
            'graphql request',
          );
        },
      };
    },
  };
}

/**
 * The only public entry: authenticates, limits, routes to subgraphs from the supergraph. It authorizes nothing
 * itself; every subgraph enforces permissions on what it owns. The supergraph is read from config.supergraph and
 * read again while the gateway runs: a new one is swapped in without a restart (see supergraph-source.ts); a
 * fixed `options.supergraphSdl` (tests) is served as it is.
 */
export async function startGateway(config: GatewayConfig, options: { supergraphSdl?: string; logger?: Logger } = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('gateway', config.logLevel);
  const source = options.supergraphSdl === undefined ? createSupergraphSource(config.supergraph, logger) : null;
  const fixedStatus: SupergraphStatus | null = options.supergraphSdl === undefined ? null : { id: 'fixed', source: 'options', loadedAt: new Date().toISOString(), subgraphs: subgraphsOf(options.supergraphSdl), rejected: null };
  // in production the health endpoints, which anyone may call, name no internal address or path
  const supergraphStatus = (): SupergraphStatus | Omit<SupergraphStatus, 'source' | 'subgraphs'> & { subgraphs: string[] } => {
    const status = source?.status() ?? fixedStatus!;
    if (!config.production) return status;
    const { source: _source, subgraphs, ...rest } = status;
    return { ...rest, subgraphs: subgraphs.map((subgraph) => subgraph.name) };
  };
  // one instance choice per subgraph (its replicas, their pools and health), shared by GraphQL fetches and REST calls
  const instances = new Map(Object.entries(config.subgraphs).map(([name, target]) => [name, new SubgraphInstances(target.urls, { downMs: config.instanceDownMs })]));
  const gateway = new ApolloGateway({
    supergraphSdl: source?.hook ?? options.supergraphSdl,
    buildService: ({ name, url }) => {
      const target = config.subgraphs[name];
      // a subgraph the configuration does not name keeps the supergraph's routing URL
      return new SubgraphDataSource({ name, url: target?.url ?? url ?? '', instances: instances.get(name), secret: target?.secret ?? '', timeoutMs: config.subgraphTimeoutMs });
    },
  });
  // which subgraph owns each field, for the paths of SERVICE_UNAVAILABLE errors: follows the supergraph served
  let fieldOwners = options.supergraphSdl === undefined ? null : fieldOwnersOf(options.supergraphSdl);
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    fieldOwners = fieldOwnersOf(coreSupergraphSdl);
  });
  const identityTarget = config.subgraphs.identity;
  if (!identityTarget) throw new Error('The identity subgraph must be configured');
  const authenticate = createAuthenticator({ jwtSecret: config.jwtSecret, identity: identityTarget, timeoutMs: config.subgraphTimeoutMs, instances: instances.get('identity') });
  // one count per caller for /graphql and /rest; in memory (a Redis store for replicas: rate-limit.ts)
  const limitRate = createRateLimiter({ settings: config.rateLimit, store: memoryRateLimitStore(), logger });

  // the request's logger (bound to its id) is made only when something logs: most requests log one access line
  const requestContext = (identity: GatewayContext['identity'], requestId: string, clientAddress: string | undefined): GatewayContext => {
    let requestLogger: Logger | undefined;
    return {
      identity,
      requestId,
      clientAddress,
      get logger() {
        return (requestLogger ??= logger.child({ requestId }));
      },
    };
  };

  const app = express();
  app.disable('x-powered-by');
  // API answers only, never revalidated: no ETag (a hash of every body)
  app.set('etag', false);
  // the client address (req.ip) is the socket's unless a configured proxy reports it
  app.set('trust proxy', config.trustedProxies.length ? config.trustedProxies : false);
  const httpServer = http.createServer(app);

  const armor = new ApolloArmor({
    maxDepth: { n: config.limits.maxDepth },
    costLimit: { maxCost: config.limits.maxCost },
    maxAliases: { n: config.limits.maxAliases },
    maxDirectives: { n: config.limits.maxDirectives },
    // the token limit is the parser's own (parseOptions below): a query over it is GRAPHQL_PARSE_FAILED, 400
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: config.production },
  }).protect();

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    includeStacktraceInErrorResponses: false,
    // stopOnSignals owns SIGINT/SIGTERM: Apollo's own handlers would re-raise the signal once Apollo stopped,
    // killing the process before the rest of shutdown (workers, ORM) and exiting with a signal instead of 0.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: config.limits.maxTokens },
    csrfPrevention: true,
    validationRules: armor.validationRules,
    formatError: createFormatError({ exposeInternals: !config.production }),
    plugins: [...armor.plugins, ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownGraceMs }), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled(), unavailablePathsPlugin(() => fieldOwners), requestErrorsPlugin(), loggingPlugin(logger.child({}, { redact: [] }))],
  });
  await apollo.start();

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  const version = serviceVersion();
  app.get('/health/ready', (_req, res) => {
    res.json({ status: 'ready', service: 'gateway', version, supergraph: supergraphStatus() });
  });
  // What the gateway composes: the supergraph it serves and, asked now, each subgraph instance's release and schema hash.
  app.get('/health/subgraphs', async (_req, res) => {
    const subgraphs = await Promise.all(
      Object.entries(config.subgraphs).map(async ([name, target]) => ({
        name,
        instances: await Promise.all(
          target.urls.map(async (url) => {
            const health = url.replace(/\/graphql\/?$/, '') + '/health/live';
            try {
              const answer = await fetch(health, { signal: AbortSignal.timeout(2000) });
              const body = (await answer.json()) as { version?: string; schemaHash?: string };
              return { url: config.production ? undefined : url, up: answer.ok, version: body.version ?? null, schemaHash: body.schemaHash ?? null };
            } catch {
              return { url: config.production ? undefined : url, up: false, version: null, schemaHash: null };
            }
          }),
        ),
      })),
    );
    res.json({ service: 'gateway', version, supergraph: supergraphStatus(), subgraphs });
  });

  app.use(
    '/graphql',
    cors({ origin: config.corsOrigins, methods: ['GET', 'POST', 'OPTIONS'], allowedHeaders: ['authorization', 'content-type', 'x-request-id', 'apollo-require-preflight'], exposedHeaders: ['x-request-id'], maxAge: 600 }),
    assignRequestId(config.trustRequestId),
    express.json({ limit: '1mb' }),
    // No request scope (kit's runWithRequestId) here, unlike the subgraphs: every line the gateway logs while
    // serving a request is written by the request's own logger (contextValue.logger, bound to its id) or names the
    // id itself, and an active AsyncLocalStorage puts node's promise hooks on every promise of the process (2–3% of
    // the gateway's CPU under the card load, from a profile).
    async (req, res, next) => {
      const requestId = res.locals.requestId as string;
      try {
        res.locals.identity = await authenticate(req.header('authorization'), requestId);
        next();
      } catch (error) {
        if (error instanceof AuthenticationError) {
          res.status(401).json({ errors: [{ message: error.message, extensions: { code: 'UNAUTHENTICATED' } }] });
          return;
        }
        logger.error({ err: error, requestId }, 'authentication failed');
        res.status(503).json({ errors: [{ message: 'Authentication is unavailable, try again shortly', extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
      }
    },
    rateLimit(limitRate),
    graphqlHandler(apollo, async ({ req, res }) => requestContext(res.locals.identity as GatewayContext['identity'], res.locals.requestId as string, req.ip)),
  );

  // a body that is not JSON (or too large) gets a typed 4xx, never express's HTML page
  app.use('/graphql', jsonBodyErrorHandler(logger));

  // REST pass-through (files, event streams): same authentication, bodies streamed both ways
  const rest = createRestProxy({ settings: config.rest, subgraphs: config.subgraphs, instances, corsOrigins: config.corsOrigins, trustRequestId: config.trustRequestId, authenticate, limitRate, logger });
  app.use('/rest', rest.router);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.host}:${port}/graphql`;
  logger.info({ url }, 'gateway listening');

  let stopping: Promise<void> | null = null;
  return {
    url,
    port,
    logger,
    stop: () =>
      (stopping ??= (async () => {
        logger.info('shutting down: finishing in-flight requests');
        rest.close();
        await apollo.stop();
        for (const pool of instances.values()) pool.close();
        logger.info('stopped');
      })()),
  };
}
