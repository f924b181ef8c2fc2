import { createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import { isApiKeyScope, isRole, permissionsOfRoles, type ApiKeyScope, type Permission, type RoleCode } from './permissions';
import { VerifiedTokenCache } from './verified-token-cache';

/** Who is calling, as verified by the gateway. */
export type Identity =
  | { kind: 'anonymous' }
  /** `sessionId`: the staff session the access token belongs to (absent for identities not from a login). */
  | { kind: 'user'; id: string; name: string; roles: RoleCode[]; permissions: Permission[]; sessionId?: string }
  | { kind: 'apiKey'; id: string; name: string; scopes: ApiKeyScope[]; permissions: Permission[] };

export type AuthenticatedIdentity = Exclude<Identity, { kind: 'anonymous' }>;

export const ANONYMOUS: Identity = { kind: 'anonymous' };

/** Header carrying the gateway-signed identity token on every gateway → subgraph call. */
export const GATEWAY_TOKEN_HEADER = 'x-kartoteka-gateway-token';
export const REQUEST_ID_HEADER = 'x-request-id';
const ISSUER = 'kartoteka-gateway';

export function userIdentity(id: string, name: string, roles: RoleCode[], sessionId?: string): Identity {
  const identity: Identity = { kind: 'user', id, name, roles, permissions: permissionsOfRoles(roles) };
  return sessionId ? { ...identity, sessionId } : identity;
}

export function apiKeyIdentity(id: string, name: string, scopes: ApiKeyScope[]): Identity {
  return { kind: 'apiKey', id, name, scopes, permissions: [...scopes] };
}

export function hasPermission(identity: Identity, permission: Permission): boolean {
  return identity.kind !== 'anonymous' && identity.permissions.includes(permission);
}

/** The id to record as the actor of a change: a user id, or the API key id for partner calls. */
export function actorId(identity: Identity): string | null {
  return identity.kind === 'anonymous' ? null : identity.id;
}

/** One HMAC key per secret (a handful: one per subgraph, the staff tokens' one), built once instead of on every signature and check. */
const secretKeys = new Map<string, KeyObject>();

/** The HS256 key of `secret` for jose's sign/verify, built once per secret. */
export function hmacSecretKey(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    secretKeys.set(secret, key);
  }
  return key;
}

/** How long a gateway token is valid from its signing. */
export const GATEWAY_TOKEN_LIFETIME_SECONDS = 120;

/**
 * Signs the identity for one subgraph with that subgraph's own secret. The token is short-lived and bound
 * to the subgraph (audience), so a token captured for one subgraph is useless against another.
 * `requestId`: the request the token is for (the `rid` claim), or null for a token the gateway reuses for the same
 * caller over several requests (the subgraph then takes the request id from the x-request-id header).
 */
export async function signGatewayToken(identity: Identity, audience: string, secret: string, requestId: string | null, clientAddress?: string | null): Promise<string> {
  const claims: Record<string, unknown> = { kind: identity.kind };
  if (requestId !== null) claims.rid = requestId;
  // The caller's network address as the gateway saw it (login throttling keys on it); never a client-supplied value.
  if (clientAddress) claims.ip = clientAddress;
  if (identity.kind === 'user') Object.assign(claims, { name: identity.name, roles: identity.roles }, identity.sessionId ? { sid: identity.sessionId } : {});
  if (identity.kind === 'apiKey') Object.assign(claims, { name: identity.name, scopes: identity.scopes });
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setAudience(audience).setIssuedAt().setExpirationTime(`${GATEWAY_TOKEN_LIFETIME_SECONDS}s`);
  if (identity.kind !== 'anonymous') jwt.setSubject(identity.id);
  return jwt.sign(hmacSecretKey(secret));
}

/**
 * The staff user verified token claims describe (`name`, `roles`, `sid`; the subject is the user id): the gateway's
 * reading of identity's access tokens and the subgraphs' reading of gateway tokens. Roles unknown here are dropped.
 */
export function userIdentityFromClaims(payload: JWTPayload, subject: string): Identity {
  const roles = (Array.isArray(payload.roles) ? payload.roles : []).filter((role): role is RoleCode => typeof role === 'string' && isRole(role));
  return userIdentity(subject, typeof payload.name === 'string' ? payload.name : '', roles, typeof payload.sid === 'string' ? payload.sid : undefined);
}

export type VerifiedGatewayToken = { identity: Identity; requestId?: string; clientAddress?: string };

/** Verifies a gateway token; throws when it is missing, forged, expired or meant for another subgraph. */
export async function verifyGatewayToken(token: string, audience: string, secret: string): Promise<VerifiedGatewayToken> {
  return (await verifyGatewayTokenClaims(token, audience, secret)).value;
}

/**
 * verifyGatewayToken for a subgraph's gate: every token's verification is kept until the token expires
 * (VerifiedTokenCache), so the gateway's reused tokens cost one HMAC each, not one per request. The identities
 * handed out are shared by the requests presenting the same token, and must not be changed.
 */
export function createGatewayTokenVerifier(audience: string, secret: string, options: { maxEntries?: number; now?: () => number } = {}): (token: string) => Promise<VerifiedGatewayToken> {
  const cache = new VerifiedTokenCache((token) => verifyGatewayTokenClaims(token, audience, secret), options);
  return (token) => cache.get(token);
}

async function verifyGatewayTokenClaims(token: string, audience: string, secret: string): Promise<{ value: VerifiedGatewayToken; expiresAt: number | undefined }> {
  const { payload } = await jwtVerify(token, hmacSecretKey(secret), { issuer: ISSUER, audience, algorithms: ['HS256'] });
  const expiresAt = typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  return { value: gatewayTokenContents(payload), expiresAt };
}

function gatewayTokenContents(payload: JWTPayload): VerifiedGatewayToken {
  const requestId = typeof payload.rid === 'string' ? payload.rid : undefined;
  const clientAddress = typeof payload.ip === 'string' ? payload.ip : undefined;
  const name = typeof payload.name === 'string' ? payload.name : '';
  if (payload.kind === 'user' && payload.sub) return { identity: userIdentityFromClaims(payload, payload.sub), requestId, clientAddress };
  if (payload.kind === 'apiKey' && payload.sub) {
    const scopes = (Array.isArray(payload.scopes) ? payload.scopes : []).filter((s): s is ApiKeyScope => typeof s === 'string' && isApiKeyScope(s));
    return { identity: apiKeyIdentity(payload.sub, name, scopes), requestId, clientAddress };
  }
  return { identity: ANONYMOUS, requestId, clientAddress };
}
