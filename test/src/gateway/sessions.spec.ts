import { createHmac } from 'node:crypto';
import { DEMO_USERS } from '@kartoteka/kit';
import { postGraphQL } from '@kartoteka/kit/testing';
import { loadConfig as loadGatewayConfig } from '../../../gateway/src/config';
import { startGateway, type RunningGateway } from '../../../gateway/src/gateway-server';
import { JWT_SECRET, startStack, SUBGRAPH_NAMES, type Stack } from '../support/stack';

/**
 * Sessions and limits through the gateway: rotation, reuse detection, logout, account changes, access-token
 * expiry, login throttling per client address (a trusted proxy reports it), and the per-identity rate limit.
 */
let stack: Stack;
/** A second gateway over the same services with tight rate limits. */
let limited: RunningGateway;

const PAIR = 'token expiresAt refreshToken refreshExpiresAt user { id roles }';
type Pair = { token: string; expiresAt: string; refreshToken: string; refreshExpiresAt: string; user: { id: string; roles: string[] } };
const LOGIN = `mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { ${PAIR} } }`;
const REFRESH = `mutation Refresh($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { ${PAIR} } }`;
const LOGOUT = 'mutation Logout($refreshToken: String!) { logout(refreshToken: $refreshToken) }';
const ME = '{ me { id roles } }';
const LIMITS = { user: 3, apiKey: 4, anonymous: 3 };

beforeAll(async () => {
  stack = await startStack({
    production: true,
    gatewayEnv: { TRUSTED_PROXIES: 'loopback' },
    // a long first back-off: a throttled address stays throttled however slow the machine is
    identity: { loginThrottle: { freeAttempts: 3, baseDelaySeconds: 600 } },
  });
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'production',
    PORT: '0',
    JWT_SECRET,
    LOG_LEVEL: 'silent',
    TRUSTED_PROXIES: 'loopback',
    RATE_LIMIT_USER_PER_MINUTE: String(LIMITS.user),
    RATE_LIMIT_API_KEY_PER_MINUTE: String(LIMITS.apiKey),
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(LIMITS.anonymous),
  };
  for (const name of SUBGRAPH_NAMES) {
    env[`${name.toUpperCase()}_URL`] = stack.subgraphs[name].url;
    env[`${name.toUpperCase()}_SECRET`] = stack.subgraphs[name].secret;
  }
  limited = await startGateway(loadGatewayConfig(env));
});
afterAll(async () => {
  await limited?.stop();
  await stack?.stop();
});

const passwordOf = (email: string) => DEMO_USERS.find((user) => user.email === email)?.password ?? '';

/** A call through a gateway, as if from `address` (the trusted loopback proxy reports it in X-Forwarded-For). */
const callFrom = <T = Record<string, unknown>>(url: string, address: string, query: string, variables: Record<string, unknown> = {}, token?: string) =>
  postGraphQL<T>(url, query, variables, { 'x-forwarded-for': address, ...(token ? { authorization: `Bearer ${token}` } : {}) });

async function login(email: string, address = '192.0.2.1', url = stack.gatewayUrl): Promise<Pair> {
  const result = await callFrom<{ login: Pair }>(url, address, LOGIN, { email, password: passwordOf(email) });
  if (!result.data?.login) throw new Error(`login failed: ${JSON.stringify(result.errors)}`);
  return result.data.login;
}

/** The claims of a JWT (no verification: the test only reads what identity put in). */
const claimsOf = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

/** An HS256 JWT, as identity signs them. */
function signHs256(claims: Record<string, unknown>, secret: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

const refresh = (refreshToken: string) => stack.call<{ refreshSession: Pair }>(REFRESH, { refreshToken });
const codeOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code;

describe('sessions through the gateway', () => {
  it('accepts the access token until it expires, and refuses an expired one', async () => {
    const pair = await login('viewer@kartoteka.local');
    expect((await stack.call<{ me: { id: string } }>(ME, {}, pair.token)).data?.me.id).toBe(pair.user.id);
    // the same claims, signed with the real secret, but expired a second ago
    const claims = claimsOf(pair.token);
    const now = Math.floor(Date.now() / 1000);
    // the signing itself is right: with a future expiry the gateway accepts it
    expect((await stack.call(ME, {}, signHs256({ ...claims, iat: now, exp: now + 60 }, JWT_SECRET))).status).toBe(200);
    const expired = signHs256({ ...claims, iat: now - 600, exp: now - 1 }, JWT_SECRET);
    const refused = await stack.call(ME, {}, expired);
    expect(refused.status).toBe(401);
    expect(codeOf(refused)).toBe('UNAUTHENTICATED');
  });

  it('rotates refresh tokens; a reused one ends the session for everyone holding it', async () => {
    const first = await login('manager@kartoteka.local');
    const second = (await refresh(first.refreshToken)).data!.refreshSession;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await stack.call<{ me: { id: string } }>(ME, {}, second.token)).data?.me.id).toBe(first.user.id);

    const stolen = await refresh(first.refreshToken);
    expect(stolen.data ?? null).toBeNull();
    expect(codeOf(stolen)).toBe('UNAUTHENTICATED');
    // the legitimate holder's newer token is revoked with the family
    expect(codeOf(await refresh(second.refreshToken))).toBe('UNAUTHENTICATED');
  });

  it('logout revokes the session', async () => {
    const pair = await login('approver@kartoteka.local');
    const out = await stack.call<{ logout: boolean }>(LOGOUT, { refreshToken: pair.refreshToken });
    expect(out.data?.logout).toBe(true);
    expect(codeOf(await refresh(pair.refreshToken))).toBe('UNAUTHENTICATED');
  });

  it('changing one\'s own password ends every other session of theirs and keeps the one it was changed from', async () => {
    const email = 'director@kartoteka.local';
    const here = await login(email);
    const elsewhere = await login(email, '198.51.100.77');
    const CHANGE = 'mutation($input: ChangePasswordInput!) { changePassword(input: $input) { id } }';
    const wrong = await stack.call(CHANGE, { input: { currentPassword: 'not-it', newPassword: 'a-new-long-password-1' } }, here.token);
    expect(codeOf(wrong)).toBe('BAD_USER_INPUT');
    // a refused change ends nothing
    const stillElsewhere = (await refresh(elsewhere.refreshToken)).data!.refreshSession;
    const changed = await stack.call(CHANGE, { input: { currentPassword: passwordOf(email), newPassword: 'a-new-long-password-1' } }, here.token);
    expect(changed.errors).toBeUndefined();
    expect(codeOf(await refresh(stillElsewhere.refreshToken))).toBe('UNAUTHENTICATED');
    const kept = await refresh(here.refreshToken);
    expect(kept.errors).toBeUndefined();
    expect(kept.data?.refreshSession.user.id).toBe(here.user.id);
  });

  it('a change of roles or a deactivation ends the user\'s sessions', async () => {
    const adminToken = await stack.login('admin@kartoteka.local');
    const UPDATE = 'mutation($input: UpdateUserInput!) { updateUser(input: $input) { id roles active } }';
    const sales = await login('sales@kartoteka.local');
    const promoted = await stack.call(UPDATE, { input: { id: sales.user.id, roles: ['MANAGER', 'APPROVER'] } }, adminToken);
    expect(promoted.errors).toBeUndefined();
    expect(codeOf(await refresh(sales.refreshToken))).toBe('UNAUTHENTICATED');

    const again = await login('sales@kartoteka.local');
    expect(again.user.roles).toEqual(['MANAGER', 'APPROVER']);
    const deactivated = await stack.call(UPDATE, { input: { id: sales.user.id, active: false } }, adminToken);
    expect(deactivated.errors).toBeUndefined();
    expect(codeOf(await refresh(again.refreshToken))).toBe('UNAUTHENTICATED');
    expect(codeOf(await callFrom(stack.gatewayUrl, '192.0.2.1', LOGIN, { email: 'sales@kartoteka.local', password: passwordOf('sales@kartoteka.local') }))).toBe('UNAUTHENTICATED');
  });
});

describe('login throttling by client address', () => {
  it('backs off the guessing address while the user logs in from another', async () => {
    const email = 'viewer@kartoteka.local';
    for (let i = 0; i < 3; i += 1) {
      expect(codeOf(await callFrom(stack.gatewayUrl, '203.0.113.9', LOGIN, { email, password: `guess-${i}` }))).toBe('UNAUTHENTICATED');
    }
    const throttled = await callFrom(stack.gatewayUrl, '203.0.113.9', LOGIN, { email, password: passwordOf(email) });
    expect(codeOf(throttled)).toBe('RATE_LIMITED');
    expect(throttled.errors?.[0].extensions?.retryAfter).toEqual(expect.any(Number));
    expect((await login(email, '198.51.100.20')).user.id).toBeTruthy();
  });

  it('believes X-Forwarded-For only from a configured proxy', async () => {
    const env: NodeJS.ProcessEnv = { NODE_ENV: 'production', PORT: '0', JWT_SECRET, LOG_LEVEL: 'silent' };
    for (const name of SUBGRAPH_NAMES) {
      env[`${name.toUpperCase()}_URL`] = stack.subgraphs[name].url;
      env[`${name.toUpperCase()}_SECRET`] = stack.subgraphs[name].secret;
    }
    const direct = await startGateway(loadGatewayConfig(env));
    try {
      const email = 'approver@kartoteka.local';
      // three failures "from" three addresses: without a trusted proxy they all count for 127.0.0.1
      for (const address of ['10.1.0.1', '10.1.0.2', '10.1.0.3']) {
        expect(codeOf(await callFrom(direct.url, address, LOGIN, { email, password: 'wrong' }))).toBe('UNAUTHENTICATED');
      }
      expect(codeOf(await callFrom(direct.url, '10.1.0.4', LOGIN, { email, password: passwordOf(email) }))).toBe('RATE_LIMITED');
    } finally {
      await direct.stop();
    }
  });
});

describe('rate limits per identity', () => {
  const expectRateLimited = (result: Awaited<ReturnType<typeof postGraphQL>>) => {
    expect(result.status).toBe(429);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
  };

  async function retryAfterHeader(url: string, token: string): Promise<{ status: number; retryAfter: string | null }> {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: ME }) });
    return { status: response.status, retryAfter: response.headers.get('retry-after') };
  }

  it('answers 429 with Retry-After once a user has used up the minute, and only for that user', async () => {
    const manager = await login('manager@kartoteka.local', '192.0.2.50');
    for (let i = 0; i < LIMITS.user; i += 1) expect((await postGraphQL(limited.url, ME, {}, { authorization: `Bearer ${manager.token}` })).status).toBe(200);
    const over = await retryAfterHeader(limited.url, manager.token);
    expect(over.status).toBe(429);
    expect(Number(over.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(over.retryAfter)).toBeLessThanOrEqual(60);
    expectRateLimited(await postGraphQL(limited.url, ME, {}, { authorization: `Bearer ${manager.token}` }));
    // another user is not affected
    const viewer = await login('viewer@kartoteka.local', '192.0.2.51');
    expect((await postGraphQL(limited.url, ME, {}, { authorization: `Bearer ${viewer.token}` })).status).toBe(200);
  });

  it('limits API keys by their own limit, or by the default', async () => {
    const adminToken = await stack.login('admin@kartoteka.local');
    const CREATE = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }';
    const own = (await stack.call<{ createApiKey: { secret: string } }>(CREATE, { input: { name: 'slow partner', scopes: ['counterparties:read'], rateLimitPerMinute: 2 } }, adminToken)).data!.createApiKey.secret;
    const standard = (await stack.call<{ createApiKey: { secret: string } }>(CREATE, { input: { name: 'usual partner', scopes: ['counterparties:read'] } }, adminToken)).data!.createApiKey.secret;
    const QUERY = '{ counterparties(first: 1) { totalCount } }';
    const callWith = (key: string) => postGraphQL(limited.url, QUERY, {}, { authorization: `Bearer ${key}` });

    for (let i = 0; i < 2; i += 1) expect((await callWith(own)).status).toBe(200);
    expectRateLimited(await callWith(own));
    for (let i = 0; i < LIMITS.apiKey; i += 1) expect((await callWith(standard)).status).toBe(200);
    expectRateLimited(await callWith(standard));
  });

  it('counts REST calls (files, event streams) against the same limit', async () => {
    const approver = await login('approver@kartoteka.local', '192.0.2.52');
    const restUrl = `${limited.url.replace(/\/graphql$/, '')}/rest/documents/files/00000000-0000-4000-8000-000000000000`;
    const rest = () => fetch(restUrl, { headers: { authorization: `Bearer ${approver.token}` } });
    for (let i = 0; i < LIMITS.user - 1; i += 1) expect((await rest()).status).not.toBe(429);
    expect((await postGraphQL(limited.url, ME, {}, { authorization: `Bearer ${approver.token}` })).status).toBe(200);
    const over = await rest();
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await over.json()).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
    expectRateLimited(await postGraphQL(limited.url, ME, {}, { authorization: `Bearer ${approver.token}` }));
  });

  it('limits anonymous callers per client address', async () => {
    for (let i = 0; i < LIMITS.anonymous; i += 1) expect((await callFrom(limited.url, '198.51.100.99', ME)).status).toBe(200);
    expectRateLimited(await callFrom(limited.url, '198.51.100.99', ME));
    expect((await callFrom(limited.url, '198.51.100.100', ME)).status).toBe(200);
  });
});
