import http, { type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import express, { type Request, type Response, type Router } from 'express';
import cors from 'cors';
import { REQUEST_ID_HEADER, type Identity, type Logger } from '@kartoteka/kit';
import { AuthenticationError, type Authenticator } from './authentication';
import type { RateLimiter } from './rate-limit';
import type { RestSettings, SubgraphTarget } from './config';
import { assignRequestId } from './request-id';
import { subgraphRequestHeaders } from './subgraph-data-source';
import { isConnectionRefused, SubgraphInstances, type SubgraphInstance } from './subgraph-instances';

/** Request headers a service may see; everything else (credentials, cookies, hop-by-hop headers) stays here. */
const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'cache-control',
  'content-length',
  'content-type',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-range',
  'if-unmodified-since',
  'last-event-id',
  'range',
];

/** Response headers that describe one connection, not the message (RFC 9110 §7.6.1), or that CORS here decides. */
const DROPPED_RESPONSE_HEADERS = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'x-powered-by']);

type ErrorBody = { message: string; code: string; extensions?: Record<string, unknown> };

function sendError(res: Response, status: number, error: ErrorBody): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(status).json({ errors: [{ message: error.message, extensions: { ...error.extensions, code: error.code } }] });
}

class UpstreamTimeoutError extends Error {}

export type RestProxyOptions = {
  settings: RestSettings;
  subgraphs: Record<string, SubgraphTarget>;
  /** The instance choice per subgraph, shared with the GraphQL data sources; built from `subgraphs` when absent. */
  instances?: ReadonlyMap<string, SubgraphInstances>;
  corsOrigins: string[];
  trustRequestId: boolean;
  authenticate: Authenticator;
  /** The per-caller rate limit shared with /graphql; none: unlimited. */
  limitRate?: RateLimiter;
  logger: Logger;
};

export type RestProxy = {
  /** Mount at `/rest`. */
  router: Router;
  /** Ends the open event streams (their clients reconnect elsewhere), so shutdown does not wait for them. */
  close: () => void;
};

/**
 * The REST pass-through: `/rest/<service>/<path>` → `<service>/internal/rest/<path>` for the configured
 * services. It authenticates like /graphql and forwards the verified identity in the service's signed token;
 * the service authorizes. Bodies stream both ways without buffering: uploads are capped while they pass
 * (REST_MAX_BODY_BYTES), responses — downloads, Server-Sent Events — flow as they are written.
 */
export function createRestProxy(options: RestProxyOptions): RestProxy {
  const { settings, logger, authenticate } = options;
  const targets = new Map(
    settings.services.flatMap((name) => {
      const target = options.subgraphs[name];
      if (!target) return [];
      const pool = options.instances?.get(name) ?? new SubgraphInstances(target.urls);
      return [[name, { name, secret: target.secret, pool }] as const];
    }),
  );
  const openStreams = new Set<{ res: Response; upstream: ClientRequest }>();

  /** Answers before (or instead of) reading the body: the rest of it is read and dropped, up to the cap. */
  const refuseEarly = (req: Request, res: Response, status: number, error: ErrorBody): void => {
    let discarded = 0;
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > settings.maxBodyBytes) req.socket.destroy();
    });
    req.resume();
    sendError(res, status, error);
  };

  const proxy = async (req: Request, res: Response): Promise<void> => {
    const requestId = res.locals.requestId as string;
    const started = process.hrtime.bigint();
    const url = new URL(req.url, 'http://gateway.invalid'); // dot segments resolved, so no way out of /internal/rest
    const [, service = '', ...path] = url.pathname.split('/');
    const target = targets.get(service);
    if (!target) {
      refuseEarly(req, res, 404, { message: `No REST service "${service}"`, code: 'NOT_FOUND' });
      return;
    }
    if (Number(req.header('content-length') ?? 0) > settings.maxBodyBytes) {
      res.setHeader('Connection', 'close'); // declared too large: not a byte of it is read
      sendError(res, 413, { message: `The request body is larger than ${settings.maxBodyBytes} bytes`, code: 'BAD_USER_INPUT', extensions: { reason: 'request.too-large' } });
      return;
    }

    let identity: Identity;
    try {
      identity = await authenticate(req.header('authorization'), requestId);
    } catch (error) {
      if (error instanceof AuthenticationError) {
        refuseEarly(req, res, 401, { message: error.message, code: 'UNAUTHENTICATED' });
        return;
      }
      logger.error({ err: error, requestId }, 'authentication failed');
      refuseEarly(req, res, 503, { message: 'Authentication is unavailable, try again shortly', code: 'SERVICE_UNAVAILABLE' });
      return;
    }
    const limit = options.limitRate ? await options.limitRate(identity, req.ip ?? 'unknown', requestId) : null;
    if (limit && !limit.allowed) {
      res.setHeader('Retry-After', String(limit.retryAfterSeconds));
      refuseEarly(req, res, 429, { message: `Too many requests; try again in ${limit.retryAfterSeconds} s`, code: 'RATE_LIMITED', extensions: { retryAfter: limit.retryAfterSeconds } });
      return;
    }

    const upstreamPath = `/${path.join('/')}`;
    const headers: OutgoingHttpHeaders = {};
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = req.headers[name];
      if (value !== undefined) headers[name] = value;
    }
    Object.assign(headers, await subgraphRequestHeaders(target, identity, requestId));
    // the least busy instance that is up; a GET or HEAD that finds it refusing connections goes once to another
    const { pool } = target;
    let instance = pool.pick() as SubgraphInstance;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      if (!answered) pool.failed(instance); // ended without an answer (the client left): a probe in progress is over
      pool.done(instance);
    };
    const retriable = req.method === 'GET' || req.method === 'HEAD';
    let retried = false;
    let bodyEnded = false;

    let answered = false;
    let upstreamBroken = false;
    let overLimit = false;
    let received = 0;
    let timer: NodeJS.Timeout | undefined;
    const unavailable = (reason: string) => {
      logger.warn({ requestId, service, reason }, 'REST service unavailable');
      sendError(res, 503, { message: `The ${service} service is unavailable, try again shortly`, code: 'SERVICE_UNAVAILABLE', extensions: { service } });
    };

    const connect = (current: SubgraphInstance): ClientRequest => {
      const upstreamUrl = new URL(`${current.url.href.replace(/\/graphql\/?$/, '')}/internal/rest${upstreamPath}${url.search}`);
      const request = (upstreamUrl.protocol === 'https:' ? https : http).request(upstreamUrl, { method: req.method, headers });
      request.on('response', (upstreamRes: IncomingMessage) => {
        answered = true;
        pool.succeeded(current);
        clearTimeout(timer);
        res.status(upstreamRes.statusCode ?? 502);
        for (const [name, value] of Object.entries(upstreamRes.headers)) {
          if (value !== undefined && !DROPPED_RESPONSE_HEADERS.has(name) && !name.startsWith('access-control-')) res.setHeader(name, value);
        }
        res.setHeader(REQUEST_ID_HEADER, requestId);
        if (String(upstreamRes.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          res.setHeader('X-Accel-Buffering', 'no'); // and no proxy in front of us should buffer it either
          const stream = { res, upstream: request };
          openStreams.add(stream);
          res.once('close', () => openStreams.delete(stream));
        }
        res.flushHeaders();
        upstreamRes.on('error', () => undefined);
        upstreamRes.on('close', () => {
          if (!upstreamRes.complete && !res.writableEnded) res.destroy(); // cut short upstream: the client must see it too
        });
        upstreamRes.pipe(res);
      });

      request.on('error', (error) => {
        clearTimeout(timer);
        if (isConnectionRefused(error)) pool.refused(current);
        else pool.failed(current);
        if (retriable && !retried && !answered && !overLimit && !res.headersSent && isConnectionRefused(error)) {
          const next = pool.pick(current);
          if (next) {
            retried = true;
            logger.warn({ requestId, service, instance: current.url.host, retryOn: next.url.host }, 'REST service instance refused; retried on another');
            pool.done(current);
            instance = next;
            upstream = connect(next);
            if (bodyEnded) {
              upstream.end();
              const retry = upstream;
              timer = setTimeout(() => retry.destroy(new UpstreamTimeoutError('no answer in time')), settings.responseTimeoutMs);
            }
            return;
          }
        }
        upstreamBroken = true;
        req.resume();
        if (answered || overLimit || res.headersSent) return; // the answer is on its way (or was refused here)
        unavailable(error instanceof UpstreamTimeoutError ? 'timeout' : error.message);
      });
      return request;
    };
    let upstream = connect(instance);

    // the client went away (or the response is done): nothing more to fetch
    res.once('close', () => {
      clearTimeout(timer);
      release();
      if (!res.writableFinished) upstream.destroy();
      const identityLabel = identity.kind === 'anonymous' ? 'anonymous' : `${identity.kind}:${identity.id}`;
      logger.info({ requestId, method: req.method, service, path: upstreamPath, status: res.statusCode, bytesIn: received, actor: identityLabel, durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10, completed: res.writableFinished }, 'rest request');
    });

    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (overLimit) return;
      if (received > settings.maxBodyBytes) {
        overLimit = true;
        upstream.destroy();
        if (res.headersSent) {
          req.socket.destroy(); // answered already, but the client keeps sending past the cap
          return;
        }
        res.setHeader('Connection', 'close');
        sendError(res, 413, { message: `The request body is larger than ${settings.maxBodyBytes} bytes`, code: 'BAD_USER_INPUT', extensions: { reason: 'request.too-large' } });
        return;
      }
      if (upstreamBroken) return;
      if (!upstream.write(chunk)) {
        req.pause();
        upstream.once('drain', () => req.resume());
      }
    });
    req.on('end', () => {
      bodyEnded = true;
      if (overLimit || upstreamBroken) return;
      upstream.end();
      const sent = upstream;
      if (!answered) timer = setTimeout(() => sent.destroy(new UpstreamTimeoutError('no answer in time')), settings.responseTimeoutMs);
    });
    req.on('error', () => upstream.destroy());
  };

  const router = express.Router();
  router.use(
    cors({
      origin: options.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      allowedHeaders: ['authorization', 'content-type', 'x-request-id', 'range', 'if-range', 'if-none-match', 'last-event-id', 'cache-control'],
      exposedHeaders: ['x-request-id', 'content-disposition', 'content-length', 'content-range', 'accept-ranges', 'etag'],
      maxAge: 600,
    }),
    assignRequestId(options.trustRequestId),
    (req, res) => {
      proxy(req, res).catch((error: unknown) => {
        logger.error({ err: error, requestId: res.locals.requestId }, 'REST pass-through failed');
        sendError(res, 500, { message: 'Internal server error', code: 'INTERNAL_SERVER_ERROR' });
      });
    },
  );

  return {
    router,
    close: () => {
      for (const { res, upstream } of openStreams) {
        res.end();
        upstream.destroy();
      }
      openStreams.clear();
    },
  };
}
