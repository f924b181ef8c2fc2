import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { GATEWAY_TOKEN_HEADER, REQUEST_ID_HEADER, signGatewayToken, type Identity } from '@kartoteka/kit';
import type { GatewayContext } from './gateway-context';

type Fetcher = NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher'];

/**
 * The headers of every gateway → subgraph call (GraphQL and REST): a short-lived token carrying the verified
 * identity and the request id, signed with that subgraph's own secret, and the request id itself.
 */
export async function subgraphRequestHeaders(subgraph: { name: string; secret: string }, identity: Identity, requestId: string, clientAddress?: string): Promise<Record<string, string>> {
  return { [GATEWAY_TOKEN_HEADER]: await signGatewayToken(identity, subgraph.name, subgraph.secret, requestId, clientAddress), [REQUEST_ID_HEADER]: requestId };
}

/**
 * A call to one subgraph: carries a short-lived token signed with that subgraph's own secret (the verified
 * identity and the request id), times out, and reports an unreachable subgraph as SERVICE_UNAVAILABLE so
 * the rest of the response still arrives.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(private readonly subgraph: { name: string; url: string; secret: string; timeoutMs: number }) {
    const timeoutFetch = ((input: string, init?: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(subgraph.timeoutMs) })) as unknown as Fetcher;
    super({ url: subgraph.url, fetcher: timeoutFetch });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const identity = context.identity ?? { kind: 'anonymous' as const };
    const requestId = context.requestId ?? 'unknown';
    for (const [name, value] of Object.entries(await subgraphRequestHeaders(this.subgraph, identity, requestId, context.clientAddress))) request.http?.headers.set(name, value);
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
