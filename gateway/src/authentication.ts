import { jwtVerify } from 'jose';
import { ANONYMOUS, apiKeyIdentity, GATEWAY_TOKEN_HEADER, isApiKeyScope, isRole, signGatewayToken, userIdentity, type Identity, type RoleCode, type ApiKeyScope } from '@kartoteka/kit';
import type { SubgraphTarget } from './config';

export class AuthenticationError extends Error {}

export type Authenticator = (authorization: string | undefined, requestId: string) => Promise<Identity>;

/**
 * Turns the Authorization header into a verified identity: staff JWTs are checked locally (signature,
 * issuer, audience, expiry); partner API keys (`ktk_…`) are checked by the identity service on every call,
 * so a revoked key stops working at once. A present but invalid credential is an error, not anonymity.
 */
export function createAuthenticator(options: { jwtSecret: string; identity: SubgraphTarget; timeoutMs: number }): Authenticator {
  const key = new TextEncoder().encode(options.jwtSecret);
  const apiKeyUrl = options.identity.url.replace(/\/graphql$/, '/internal/authenticate-api-key');

  return async (authorization, requestId) => {
    if (!authorization) return ANONYMOUS;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw new AuthenticationError('The Authorization header must be "Bearer <token>"');
    const credential = match[1];

    if (credential.startsWith('ktk_')) {
      const token = await signGatewayToken(ANONYMOUS, 'identity', options.identity.secret, requestId);
      const response = await fetch(apiKeyUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [GATEWAY_TOKEN_HEADER]: token, 'x-request-id': requestId },
        body: JSON.stringify({ key: credential }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (response.status === 401) throw new AuthenticationError('The API key is invalid or revoked');
      if (!response.ok) throw new Error(`identity answered ${response.status} to an API key check`);
      const body = (await response.json()) as { id: string; name: string; scopes: string[] };
      return apiKeyIdentity(body.id, body.name, body.scopes.filter((scope): scope is ApiKeyScope => isApiKeyScope(scope)));
    }

    try {
      const { payload } = await jwtVerify(credential, key, { issuer: 'kartoteka-identity', audience: 'kartoteka', algorithms: ['HS256'] });
      const roles = (Array.isArray(payload.roles) ? payload.roles : []).filter((role): role is RoleCode => typeof role === 'string' && isRole(role));
      if (!payload.sub) throw new AuthenticationError('The token has no subject');
      return userIdentity(payload.sub, typeof payload.name === 'string' ? payload.name : '', roles);
    } catch {
      throw new AuthenticationError('The session token is invalid or expired');
    }
  };
}
