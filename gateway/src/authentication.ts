import { jwtVerify } from 'jose';
import { ANONYMOUS, apiKeyIdentity, GATEWAY_TOKEN_HEADER, isApiKeyScope, hmacSecretKey, signGatewayToken, userIdentityFromClaims, VerifiedTokenCache, type Identity, type ApiKeyScope } from '@kartoteka/kit';
import type { SubgraphTarget } from './config';
import { isConnectionRefused, SubgraphInstances, type SubgraphInstance } from './subgraph-instances';

export class AuthenticationError extends Error {}

/** The verified identity, plus what the gateway itself needs about the caller: an API key's own rate limit. */
export type Caller = Identity & { rateLimitPerMinute?: number | null };

export type Authenticator = (authorization: string | undefined, requestId: string) => Promise<Caller>;

/**
 * Turns the Authorization header into a verified identity: staff access tokens are checked locally (signature,
 * issuer, audience, expiry) — they live at most 15 minutes, so a session identity ended (logout, deactivation,
 * a change of roles) stops working within that time, its refresh token at once; partner API keys (`ktk_…`) are
 * checked by the identity service on every call, so a revoked key stops working at once, and bring their own
 * rate limit. A present but invalid credential is an error, not anonymity.
 *
 * A staff token's verification is kept by its text until it expires (VerifiedTokenCache): the same token checked
 * again could only give the same identity until then, so each one costs one HMAC, not one per request. Every
 * request with that token gets the same identity object, which the subgraph tokens are reused by (SubgraphTokens).
 */
export function createAuthenticator(options: { jwtSecret: string; identity: SubgraphTarget; timeoutMs: number; instances?: SubgraphInstances }): Authenticator {
  const key = hmacSecretKey(options.jwtSecret);
  const staffTokens = new VerifiedTokenCache<Caller>(async (credential) => {
    const { payload } = await jwtVerify(credential, key, { issuer: 'kartoteka-identity', audience: 'kartoteka', algorithms: ['HS256'] });
    if (!payload.sub) throw new AuthenticationError('The token has no subject');
    return { value: userIdentityFromClaims(payload, payload.sub), expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined };
  });
  const pool = options.instances ?? new SubgraphInstances(options.identity.urls);
  const apiKeyUrl = (instance: SubgraphInstance) => instance.url.href.replace(/\/graphql\/?$/, '/internal/authenticate-api-key');

  /** The key check on one identity instance; a refused connection goes once to another (the check only reads). */
  const checkApiKey = async (credential: string, token: string, requestId: string, except?: SubgraphInstance): Promise<Response> => {
    const instance = (except ? pool.pick(except) : pool.pick()) as SubgraphInstance;
    try {
      const response = await fetch(apiKeyUrl(instance), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [GATEWAY_TOKEN_HEADER]: token, 'x-request-id': requestId },
        body: JSON.stringify({ key: credential }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      pool.succeeded(instance);
      return response;
    } catch (error) {
      const refused = isConnectionRefused((error as { cause?: unknown }).cause);
      if (refused) pool.refused(instance);
      else pool.failed(instance);
      if (refused && !except && pool.instances.length > 1) return checkApiKey(credential, token, requestId, instance);
      throw error;
    } finally {
      pool.done(instance);
    }
  };

  return async (authorization, requestId) => {
    if (!authorization) return ANONYMOUS;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw new AuthenticationError('The Authorization header must be "Bearer <token>"');
    const credential = match[1];

    if (credential.startsWith('ktk_')) {
      const token = await signGatewayToken(ANONYMOUS, 'identity', options.identity.secret, requestId);
      const response = await checkApiKey(credential, token, requestId);
      if (response.status === 401) throw new AuthenticationError('The API key is invalid or revoked');
      if (!response.ok) throw new Error(`identity answered ${response.status} to an API key check`);
      const body = (await response.json()) as { id: string; name: string; scopes: string[]; rateLimitPerMinute?: number | null };
      const identity = apiKeyIdentity(body.id, body.name, body.scopes.filter((scope): scope is ApiKeyScope => isApiKeyScope(scope)));
      return { ...identity, rateLimitPerMinute: typeof body.rateLimitPerMinute === 'number' ? body.rateLimitPerMinute : null };
    }

    try {
      return await staffTokens.get(credential);
    } catch {
      throw new AuthenticationError('The session token is invalid or expired');
    }
  };
}
