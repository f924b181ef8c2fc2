import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Request } from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
// no cache hints are used: the default cache-control plugin would otherwise run a hook for every resolved field
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { MikroORM } from '@mikro-orm/postgresql';
import { ANONYMOUS, createGatewayTokenVerifier, GATEWAY_TOKEN_HEADER, REQUEST_ID_HEADER, type Identity } from '../auth/identity';
import type { SubgraphConfig } from '../config/env';
import { unwrapResolverError } from '@apollo/server/errors';
import { createFormatError, isInternalError } from '../errors/format-error';
import { createOrmOptions, type OrmDefinition } from '../orm/orm-config';
import { buildFederatedSchema, type SubgraphSchemaDefinition } from '../schema/build-subgraph';
import { LoaderRegistry, type SubgraphContext } from './context';
import { jsonBodyErrorHandler } from './body-errors';
import { graphqlHandler } from './graphql-handler';
import { createLogger, flushLogger, runWithRequestId, type Logger } from './logger';
import { serviceVersion } from './service-version';

export type SubgraphDefinition = SubgraphSchemaDefinition &
  OrmDefinition & {
    /**
     * Extra HTTP routes under `/internal/` (gateway-only, like /graphql). `stopping` is aborted when shutdown
     * begins: long-lived responses (event streams) end then, so draining does not wait for them.
     */
    internalRoutes?: (router: express.Router, deps: { orm: MikroORM; logger: Logger; contextOf: (req: Request) => SubgraphContext; stopping: AbortSignal }) => void;
    /**
     * Background workers of this service (outbox relays, event consumers, scheduled jobs). Started after the
     * server listens, stopped before the ORM closes. A test may leave them out and drive them by hand.
     */
    workers?: (deps: { orm: MikroORM; logger: Logger }) => BackgroundWorker[];
  };

/** A long-running loop inside a service process. `stop` resolves once the current iteration has finished. */
export type BackgroundWorker = { name: string; start: () => void | Promise<void>; stop: () => Promise<void> };

export type RunningSubgraph = {
  url: string;
  port: number;
  orm: MikroORM;
  sdl: string;
  logger: Logger;
  stop: () => Promise<void>;
  workers: BackgroundWorker[];
};

export type SubgraphRuntime = { onQuery?: (sql: string) => void; logger?: Logger };

type VerifiedRequest = Request & { kartoteka?: { identity: Identity; requestId: string; clientAddress?: string } };

function loggingPlugin(): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        // True internal errors only (typed ones are the caller's business): with the stack, never the SQL or
        // its values (see the logger's error serializer); requestId and service come with every line.
        async didEncounterErrors({ contextValue: context, errors }) {
          for (const error of errors) {
            if (isInternalError(error)) context.logger.error({ err: unwrapResolverError(error), path: error.path }, 'internal error');
          }
        },
        async willSendResponse({ contextValue: context, operationName, errors }) {
          const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
          context.logger.info({ operationName, durationMs: Math.round(durationMs * 10) / 10, errors: errors?.map((e) => e.extensions?.code ?? 'INTERNAL_SERVER_ERROR') }, 'graphql request');
        },
      };
      void contextValue;
    },
  };
}

/**
 * Starts one subgraph: ORM → federated schema → Express with health endpoints, the gateway-token gate,
 * Apollo Server, request logging and graceful shutdown. Every service runs through here.
 */
export async function startSubgraphServer(definition: SubgraphDefinition, config: SubgraphConfig, runtime: SubgraphRuntime = {}): Promise<RunningSubgraph> {
  const logger = runtime.logger ?? createLogger(config.service, config.logLevel);
  const orm = await MikroORM.init(createOrmOptions(definition, { databaseUrl: config.databaseUrl, poolMax: config.databasePoolMax, onQuery: runtime.onQuery }));
  const { schema, sdl } = await buildFederatedSchema(definition);

  const app: Express = express();
  app.disable('x-powered-by');
  // every answer is an API call's, never revalidated: no ETag (a hash of every body) on /health or /internal either
  app.set('etag', false);
  const httpServer = http.createServer(app);

  // what runs here: the release, and the hash of the SDL it serves (the same text `schema:print` commits)
  const release = { version: serviceVersion(), schemaHash: createHash('sha256').update(sdl).digest('hex').slice(0, 16) };
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok', service: config.service, ...release });
  });
  app.get('/health/ready', async (_req, res) => {
    try {
      await orm.em.getConnection().execute('select 1');
      res.json({ status: 'ready', service: config.service, ...release });
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable', service: config.service });
    }
  });

  // Only the gateway may call: every request must carry a fresh token signed with this subgraph's secret. The
  // gateway reuses a caller's token for a short while; its verification is kept until it expires (one HMAC per token).
  const verifyGatewayToken = createGatewayTokenVerifier(config.service, config.gatewaySecret);
  const gate: express.RequestHandler = async (req, res, next) => {
    const token = req.header(GATEWAY_TOKEN_HEADER);
    if (!token) {
      res.status(401).json({ errors: [{ message: 'Requests must come through the gateway', extensions: { code: 'UNAUTHENTICATED' } }] });
      return;
    }
    try {
      const { identity, requestId, clientAddress } = await verifyGatewayToken(token);
      (req as VerifiedRequest).kartoteka = { identity, requestId: requestId ?? req.header(REQUEST_ID_HEADER) ?? randomUUID(), clientAddress };
      res.locals.requestId = (req as VerifiedRequest).kartoteka?.requestId;
      next();
    } catch {
      res.status(401).json({ errors: [{ message: 'Requests must come through the gateway', extensions: { code: 'UNAUTHENTICATED' } }] });
    }
  };

  const contextOf = (req: Request): SubgraphContext => {
    const verified = (req as VerifiedRequest).kartoteka ?? { identity: ANONYMOUS, requestId: randomUUID() };
    return {
      identity: verified.identity,
      requestId: verified.requestId,
      clientAddress: verified.clientAddress,
      em: orm.em.fork(),
      logger: logger.child({ requestId: verified.requestId }),
      loaders: new LoaderRegistry(),
    };
  };

  const apollo = new ApolloServer<SubgraphContext>({
    schema,
    introspection: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    includeStacktraceInErrorResponses: false,
    // stopOnSignals owns SIGINT/SIGTERM: Apollo's own handlers would re-raise the signal once Apollo stopped,
    // killing the process before the rest of shutdown (workers, ORM) and exiting with a signal instead of 0.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    formatError: createFormatError({ exposeInternals: !config.production }),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownGraceMs }), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled(), loggingPlugin()],
  });
  await apollo.start();

  const internal = express.Router();
  const shutdownBegun = new AbortController();
  definition.internalRoutes?.(internal, { orm, logger, contextOf, stopping: shutdownBegun.signal });
  // Every line logged while serving a request carries its id, whichever logger writes it (runWithRequestId);
  // entered once the body is read, so the request's own asynchronous work inherits it.
  const requestScope: express.RequestHandler = (req, _res, next) => runWithRequestId((req as VerifiedRequest).kartoteka?.requestId ?? randomUUID(), next);
  app.use('/internal', gate, express.json({ limit: '64kb' }), requestScope, internal);
  app.use('/graphql', gate, express.json({ limit: '2mb' }), requestScope, graphqlHandler(apollo, async ({ req }) => contextOf(req)));
  app.use(['/graphql', '/internal'], jsonBodyErrorHandler(logger));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.host}:${port}/graphql`;
  logger.info({ url }, `${config.service} subgraph listening`);

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      logger.info('shutting down: finishing in-flight requests');
      shutdownBegun.abort();
      await apollo.stop();
      await Promise.all(workers.map((worker) => worker.stop()));
      await orm.close(true);
      logger.info('stopped');
    })();
    return stopping;
  };
  const workers = definition.workers?.({ orm, logger }) ?? [];
  for (const worker of workers) {
    await worker.start();
    logger.info({ worker: worker.name }, 'worker started');
  }
  return { url, port, orm, sdl, logger, stop, workers };
}

/** Stops the server on SIGINT/SIGTERM after in-flight requests finish. */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  const handler = (signal: string) => {
    logger.info({ signal }, 'signal received');
    stop().then(
      () => {
        flushLogger(logger);
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        flushLogger(logger);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
