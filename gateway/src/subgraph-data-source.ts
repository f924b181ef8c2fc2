import http from 'node:http';
import https from 'node:https';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { ANONYMOUS, GATEWAY_TOKEN_HEADER, REQUEST_ID_HEADER, signGatewayToken, type Identity } from '@kartoteka/kit';
import type { GatewayContext } from './gateway-context';
import { SubgraphTokens } from './subgraph-tokens';
import { isConnectionRefused, SubgraphInstances, type SubgraphInstance } from './subgraph-instances';

/**
 * The headers of a gateway → subgraph REST call: a short-lived token carrying the verified identity and the
 * request id, signed with that subgraph's own secret, and the request id itself. (GraphQL fetches reuse a caller's
 * token for a while instead: SubgraphTokens.)
 */
export async function subgraphRequestHeaders(subgraph: { name: string; secret: string }, identity: Identity, requestId: string, clientAddress?: string): Promise<Record<string, string>> {
  return { [GATEWAY_TOKEN_HEADER]: await signGatewayToken(identity, subgraph.name, subgraph.secret, requestId, clientAddress), [REQUEST_ID_HEADER]: requestId };
}

type FetcherResponse = Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0];
type GatewayGraphQLRequest = GraphQLDataSourceProcessOptions<GatewayContext>['request'];
type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

/** A subgraph's answer as the data source's error handling reads it (the parts of a fetch Response it uses). */
class SubgraphResponse {
  readonly headers: { get: (name: string) => string | null };

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    rawHeaders: http.IncomingHttpHeaders,
    private readonly body: string,
  ) {
    this.headers = {
      get: (name) => {
        const value = rawHeaders[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    };
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body) as unknown;
  }

  async text(): Promise<string> {
    return this.body;
  }
}

class SubgraphTimeoutError extends Error {
  override name = 'TimeoutError';
}

/** Errors raised before the instance started to answer (the request may not have reached it). */
const beforeAnswer = new WeakSet<object>();

/** Connection errors that end a request before any answer: the instance went away (or was never there). */
const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

/**
 * Whether a subgraph operation only reads: the gateway's fetches of a `query` operation (and entity lookups)
 * are `query …` or `{ … }`; a mutation's are `mutation …`. Only those that read are ever sent twice.
 */
export function isReadOperation(query: string | undefined): boolean {
  return typeof query === 'string' && /^\s*(?:query\b|\{)/.test(query);
}

export type SubgraphDataSourceOptions = {
  name: string;
  /** The subgraph's (first) instance; used when neither `urls` nor `instances` is given. */
  url: string;
  /** Every instance of the subgraph (replicas); each fetch goes to one of them. */
  urls?: readonly string[];
  /** The instance choice shared with the REST pass-through; built from `urls` when absent. */
  instances?: SubgraphInstances;
  secret: string;
  timeoutMs: number;
};

/**
 * A call to one subgraph: carries a short-lived token signed with that subgraph's own secret (the verified
 * identity and the request id), times out, and reports an unreachable subgraph as SERVICE_UNAVAILABLE so
 * the rest of the response still arrives. Calls go over a pool of kept-alive connections per instance
 * (no TCP handshake per fetch) with plain node:http — no fetch Request/Response/stream objects per call —
 * and a caller's signed token is reused for a short while (SubgraphTokens), the request id beside it in the
 * x-request-id header.
 *
 * A subgraph may run as several instances: each fetch goes to the least busy instance that is up
 * (`SubgraphInstances`). A fetch that fails on one instance is sent once more to another when that cannot do
 * anything twice: a refused connection (nothing reached the instance; any operation), or — for a read (a
 * `query` fetch, never a mutation's) — a connection lost before any answer or a 503. A timeout is never
 * retried: the time is spent.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly instances: SubgraphInstances;
  private readonly tokens: SubgraphTokens;
  private readonly subgraph: { name: string; secret: string; timeoutMs: number };

  constructor(options: SubgraphDataSourceOptions) {
    super({ url: options.urls?.[0] ?? options.url });
    this.subgraph = { name: options.name, secret: options.secret, timeoutMs: options.timeoutMs };
    this.tokens = new SubgraphTokens({ name: options.name, secret: options.secret });
    this.instances = options.instances ?? new SubgraphInstances(options.urls?.length ? options.urls : [options.url]);
    // no cache hints are kept (every answer is private and fresh): nothing to read from the subgraph's headers
    this.honorSubgraphCacheControlHeader = false;
    // RemoteGraphQLDataSource's own sendRequest (private in its typings) builds fetch objects for every call
    (this as unknown as { sendRequest: SubgraphDataSource['sendToSubgraph'] }).sendRequest = (request, context) => this.sendToSubgraph(request, context);
  }

  override async willSendRequest({ request, context: given }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const context = given as Partial<GatewayContext>;
    const token = await this.tokens.token(context.identity ?? ANONYMOUS, context.clientAddress);
    request.http?.headers.set(GATEWAY_TOKEN_HEADER, token);
    request.http?.headers.set(REQUEST_ID_HEADER, context.requestId ?? 'unknown');
  }

  /**
   * One POST to `instance` over its kept-alive pool; the whole answer is read, then parsed once. A kept-alive
   * connection the instance closed just as it was reused (ECONNRESET before any answer) is the one case tried
   * again, once, on a new connection to the same instance.
   */
  private post(instance: SubgraphInstance, body: string, headers: Record<string, string>, retried = false): Promise<SubgraphResponse> {
    return new Promise((resolve, reject) => {
      const target = instance.url;
      const request = (target.protocol === 'https:' ? https : http).request(
        target,
        { method: 'POST', agent: instance.agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => {
            clearTimeout(timer);
            reject(error);
          });
          response.on('end', () => {
            clearTimeout(timer);
            resolve(new SubgraphResponse(target.href, response.statusCode ?? 0, response.statusMessage ?? '', response.headers, Buffer.concat(chunks).toString('utf8')));
          });
        },
      );
      const timer = setTimeout(() => request.destroy(new SubgraphTimeoutError(`The ${this.subgraph.name} service did not answer within ${this.subgraph.timeoutMs} ms`)), this.subgraph.timeoutMs);
      let answered = false;
      request.on('response', () => (answered = true));
      request.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (!retried && !answered && request.reusedSocket && error.code === 'ECONNRESET') {
          resolve(this.post(instance, body, headers, true));
          return;
        }
        if (!answered && error.code && CONNECTION_ERRORS.has(error.code)) beforeAnswer.add(error);
        reject(error);
      });
      request.end(body);
    });
  }

  /** One attempt on `instance`, its outcome reported to the instance choice. */
  private async attempt(instance: SubgraphInstance, body: string, headers: Record<string, string>): Promise<{ response: SubgraphResponse } | { error: unknown }> {
    try {
      const response = await this.post(instance, body, headers);
      this.instances.succeeded(instance);
      return { response };
    } catch (error) {
      if (isConnectionRefused(error)) this.instances.refused(instance);
      else this.instances.failed(instance);
      return { error };
    } finally {
      this.instances.done(instance);
    }
  }

  /** The fetch on one instance, and once more on another when that is safe (see the class comment). */
  private async fetchWithFailover(body: string, headers: Record<string, string>, read: boolean, context: GatewayContext | undefined): Promise<SubgraphResponse> {
    const first = this.instances.pick() as SubgraphInstance; // never null without an exception
    let outcome = await this.attempt(first, body, headers);
    const retryable =
      'error' in outcome ? isConnectionRefused(outcome.error) || (read && typeof outcome.error === 'object' && outcome.error !== null && beforeAnswer.has(outcome.error)) : read && outcome.response.status === 503;
    if (retryable) {
      const second = this.instances.pick(first);
      if (second) {
        const reason = 'error' in outcome ? String((outcome.error as Error | null)?.message) : `HTTP ${outcome.response.status}`;
        context?.logger?.warn({ subgraph: this.subgraph.name, instance: first.url.host, retryOn: second.url.host, reason }, 'subgraph instance failed; retried on another');
        outcome = await this.attempt(second, body, headers);
      }
    }
    if ('error' in outcome) throw outcome.error;
    return outcome.response;
  }

  /** As RemoteGraphQLDataSource's, over `post` instead of a fetch per call. */
  private async sendToSubgraph(request: GatewayGraphQLRequest, context: GatewayContext): Promise<GatewayGraphQLResponse> {
    const { http: httpRequest, ...withoutHttp } = request;
    if (!httpRequest) throw new Error("Internal error: Only 'http' requests are supported.");
    const headers: Record<string, string> = {};
    for (const [name, value] of httpRequest.headers) headers[name] = value;
    let response: SubgraphResponse | undefined;
    try {
      response = await this.fetchWithFailover(JSON.stringify(withoutHttp), headers, isReadOperation(withoutHttp.query), context);
      if (!response.ok) throw await this.errorFromResponse(response as unknown as FetcherResponse);
      const body = await this.parseBody(response as unknown as FetcherResponse);
      if (typeof body !== 'object' || body === null) throw new Error(`Expected JSON response body, but received: ${String(body)}`);
      return { ...(body as GatewayGraphQLResponse), http: response as unknown as GatewayGraphQLResponse['http'] };
    } catch (error) {
      this.didEncounterError(error as Error, undefined as never, response as unknown as FetcherResponse | undefined, context);
      throw error;
    }
  }

  /**
   * A subgraph that refuses a request with HTTP 4xx still says why, with a typed code (BAD_USER_INPUT and its
   * field, GRAPHQL_VALIDATION_FAILED…): that answer reaches the client as it is, instead of an untyped
   * "400: Bad Request" the client would only see as an internal error.
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const fallback = await super.errorFromResponse(response);
    if (response.status < 400 || response.status >= 500) return fallback;
    const body = (fallback.extensions.response as { body?: unknown } | undefined)?.body as { errors?: { message?: unknown; extensions?: Record<string, unknown> }[] } | undefined;
    const typed = Array.isArray(body?.errors) ? body.errors.find((error) => typeof error?.extensions?.code === 'string' && typeof error.message === 'string') : undefined;
    if (!typed) return fallback;
    const { code, field } = typed.extensions as { code: string; field?: unknown };
    return new GraphQLError(String(typed.message), { extensions: { code, ...(typeof field === 'string' ? { field } : {}) } });
  }

  override didEncounterError(error: Error, _request: unknown, response?: unknown, context?: GatewayContext): void {
    if (response) throw error; // the subgraph answered: keep its error (already mapped to a code)
    context?.logger?.warn({ subgraph: this.subgraph.name, err: error.message }, 'subgraph unreachable');
    throw new GraphQLError(`The ${this.subgraph.name} service is unavailable; this part of the answer is missing`, {
      extensions: { code: 'SERVICE_UNAVAILABLE', service: this.subgraph.name },
    });
  }
}
