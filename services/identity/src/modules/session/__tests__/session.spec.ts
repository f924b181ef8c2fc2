import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { Identity } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type GraphQLResponse, type TestSubgraph } from '@kartoteka/kit/testing';
import { loadConfig } from '../../../config';
import { identitySubgraph } from '../../../subgraph';
import { seedIdentity } from '../../../seed/identity.seed';

const admin: Identity = demoIdentity('admin@kartoteka.local');
const PAIR = 'token expiresAt refreshToken refreshExpiresAt user { id roles }';
const LOGIN = `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { ${PAIR} } }`;
const REFRESH = `mutation($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { ${PAIR} } }`;
const LOGOUT = 'mutation($refreshToken: String!) { logout(refreshToken: $refreshToken) }';
const UPDATE = 'mutation($input: UpdateUserInput!) { updateUser(input: $input) { id roles active } }';

type Pair = { token: string; expiresAt: string; refreshToken: string; refreshExpiresAt: string; user: { id: string; roles: string[] } };

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(identitySubgraph({ jwtSecret: 'test-jwt-secret', jwtTtlSeconds: 300, refreshTtlSeconds: 3600, sessionMaxSeconds: 7200 }));
  await seedIdentity(subgraph.orm.em.fork(), { demo: true, bootstrapAdmin: null });
});
afterAll(() => subgraph?.close());

async function login(email: string, password = email.split('@')[0]): Promise<Pair> {
  const result = await subgraph.request<{ login: Pair }>(LOGIN, { email, password });
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.login;
}

const refresh = (refreshToken: string) => subgraph.request<{ refreshSession: Pair }>(REFRESH, { refreshToken });
const codeOf = (result: GraphQLResponse) => result.errors?.[0]?.extensions?.code;
const sessionOf = (token: string) => decodeJwt(token).sid as string;

async function sessionRow(id: string): Promise<{ revoked_at: string | null; revoke_reason: string | null }> {
  const rows = await subgraph.orm.em.getConnection().execute<{ revoked_at: string | null; revoke_reason: string | null }[]>('select revoked_at, revoke_reason from sessions where id = ?', [id]);
  return rows[0];
}

describe('sessions', () => {
  it('issues a short-lived access token and a refresh token stored only as its hash', async () => {
    const before = Math.floor(Date.now() / 1000);
    const pair = await login('viewer@kartoteka.local');
    const claims = decodeJwt(pair.token);
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(Date.parse(pair.expiresAt)).toBe(claims.exp! * 1000);
    expect(pair.refreshToken).toMatch(/^ktr_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(pair.refreshExpiresAt) - Date.now()).toBeGreaterThan(3500 * 1000);
    const rows = await subgraph.orm.em.getConnection().execute<{ token_hash: string }[]>('select token_hash from refresh_tokens rt join sessions s on s.id = rt.session_id where s.id = ?', [sessionOf(pair.token)]);
    expect(rows.map((row) => row.token_hash)).toEqual([createHash('sha256').update(pair.refreshToken).digest('hex')]);
    expect(JSON.stringify(rows)).not.toContain(pair.refreshToken);
  });

  it('rotates the refresh token on every use, within the same session', async () => {
    const first = await login('manager@kartoteka.local');
    const second = await refresh(first.refreshToken);
    expect(second.errors).toBeUndefined();
    const next = second.data!.refreshSession;
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(next.token).not.toBe(first.token);
    expect(sessionOf(next.token)).toBe(sessionOf(first.token));
    expect(decodeJwt(next.token)).toMatchObject({ sub: first.user.id, roles: ['MANAGER'] });
    const third = await refresh(next.refreshToken);
    expect(third.data?.refreshSession.refreshToken).toBeTruthy();
  });

  it('treats a second use of a refresh token as theft: the whole session ends, the newest token too', async () => {
    const first = await login('approver@kartoteka.local');
    const rotated = (await refresh(first.refreshToken)).data!.refreshSession;
    const reused = await refresh(first.refreshToken);
    expect(reused.data).toBeNull();
    expect(reused.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(await sessionRow(sessionOf(first.token))).toMatchObject({ revoke_reason: 'reuse', revoked_at: expect.anything() });
    expect(codeOf(await refresh(rotated.refreshToken))).toBe('UNAUTHENTICATED');
    // other sessions of the same user live on
    const other = await login('approver@kartoteka.local');
    expect((await refresh(other.refreshToken)).data?.refreshSession.token).toBeTruthy();
  });

  it('refuses a concurrent double use: exactly one refresh wins, and the session is then revoked', async () => {
    const pair = await login('sales@kartoteka.local');
    const results = await Promise.all([refresh(pair.refreshToken), refresh(pair.refreshToken)]);
    expect(results.filter((result) => result.data?.refreshSession)).toHaveLength(1);
    expect(results.filter((result) => codeOf(result) === 'UNAUTHENTICATED')).toHaveLength(1);
    expect((await sessionRow(sessionOf(pair.token))).revoke_reason).toBe('reuse');
  });

  it('ends the session on logout, with any token of its family', async () => {
    const pair = await login('viewer@kartoteka.local');
    const rotated = (await refresh(pair.refreshToken)).data!.refreshSession;
    const out = await subgraph.request<{ logout: boolean }>(LOGOUT, { refreshToken: rotated.refreshToken });
    expect(out.data?.logout).toBe(true);
    expect(codeOf(await refresh(rotated.refreshToken))).toBe('UNAUTHENTICATED');
    expect((await sessionRow(sessionOf(pair.token))).revoke_reason).toBe('logout');
    expect((await subgraph.request<{ logout: boolean }>(LOGOUT, { refreshToken: rotated.refreshToken })).data?.logout).toBe(false);
    expect((await subgraph.request<{ logout: boolean }>(LOGOUT, { refreshToken: 'not-a-token' })).data?.logout).toBe(false);
  });

  it('refuses malformed, unknown and lapsed refresh tokens, and no refresh outlives the session', async () => {
    expect(codeOf(await refresh('garbage'))).toBe('UNAUTHENTICATED');
    expect(codeOf(await refresh(`ktr_${'A'.repeat(43)}`))).toBe('UNAUTHENTICATED');
    const idle = await login('viewer@kartoteka.local');
    await subgraph.orm.em.getConnection().execute(`update refresh_tokens set expires_at = now() - interval '1 second' where session_id = ?`, [sessionOf(idle.token)]);
    expect(codeOf(await refresh(idle.refreshToken))).toBe('UNAUTHENTICATED');
    const old = await login('viewer@kartoteka.local');
    await subgraph.orm.em.getConnection().execute(`update sessions set expires_at = now() - interval '1 second' where id = ?`, [sessionOf(old.token)]);
    expect(codeOf(await refresh(old.refreshToken))).toBe('UNAUTHENTICATED');
    // the refresh token and the access token never outlive the session's absolute end
    const young = await login('viewer@kartoteka.local');
    const end = new Date(Date.now() + 60_000);
    await subgraph.orm.em.getConnection().execute('update sessions set expires_at = ? where id = ?', [end, sessionOf(young.token)]);
    const capped = (await refresh(young.refreshToken)).data!.refreshSession;
    expect(Date.parse(capped.refreshExpiresAt)).toBeLessThanOrEqual(end.getTime());
    expect(Date.parse(capped.expiresAt)).toBeLessThanOrEqual(end.getTime());
  });
});

describe('housekeeping', () => {
  it('forgets a user\'s sessions a day after they ended, and lapsed refresh tokens, at their next login', async () => {
    const ended = await login('approver@kartoteka.local');
    const live = await login('approver@kartoteka.local');
    const rotated = (await refresh(live.refreshToken)).data!.refreshSession;
    const sql = (query: string, params: unknown[]) => subgraph.orm.em.getConnection().execute(query, params);
    await sql(`update sessions set revoked_at = now() - interval '2 days', revoke_reason = 'logout' where id = ?`, [sessionOf(ended.token)]);
    await sql(`update refresh_tokens set expires_at = now() - interval '2 days' where session_id = ? and used_at is not null`, [sessionOf(live.token)]);
    await login('approver@kartoteka.local');
    expect(await sql('select id from sessions where id = ?', [sessionOf(ended.token)])).toEqual([]);
    expect(await sql('select id from refresh_tokens where session_id = ?', [sessionOf(ended.token)])).toEqual([]);
    const left = await sql('select token_hash from refresh_tokens where session_id = ?', [sessionOf(live.token)]);
    expect(left).toEqual([{ token_hash: createHash('sha256').update(rotated.refreshToken).digest('hex') }]);
    expect((await refresh(rotated.refreshToken)).data?.refreshSession.token).toBeTruthy();
  });
});

describe('account changes end sessions', () => {
  const SALES_ID = '00000000-0000-4000-8000-000000000003';

  it('a change of roles ends every session of that user, and only of that user', async () => {
    const target = await login('sales@kartoteka.local');
    const bystander = await login('viewer@kartoteka.local');
    const renamed = await subgraph.request(UPDATE, { input: { id: SALES_ID, name: 'Sales, renamed' } }, admin);
    expect(renamed.errors).toBeUndefined();
    // a change of name alone keeps the session
    const stillValid = (await refresh(target.refreshToken)).data!.refreshSession;
    const changed = await subgraph.request(UPDATE, { input: { id: SALES_ID, roles: ['VIEWER'] } }, admin);
    expect(changed.errors).toBeUndefined();
    expect(codeOf(await refresh(stillValid.refreshToken))).toBe('UNAUTHENTICATED');
    expect((await sessionRow(sessionOf(target.token))).revoke_reason).toBe('roles-changed');
    expect((await refresh(bystander.refreshToken)).data?.refreshSession.token).toBeTruthy();
    // a new login carries the new roles
    expect((await login('sales@kartoteka.local')).user.roles).toEqual(['VIEWER']);
  });

  it('deactivation ends the sessions; an admin password reset does too', async () => {
    const manager = await login('manager@kartoteka.local');
    const reset = await subgraph.request('mutation($input: SetUserPasswordInput!) { setUserPassword(input: $input) { id } }', { input: { id: manager.user.id, password: 'brand-new-password' } }, admin);
    expect(reset.errors).toBeUndefined();
    expect(codeOf(await refresh(manager.refreshToken))).toBe('UNAUTHENTICATED');
    expect((await sessionRow(sessionOf(manager.token))).revoke_reason).toBe('password-reset');

    const sales = await login('sales@kartoteka.local');
    expect((await subgraph.request(UPDATE, { input: { id: SALES_ID, active: false } }, admin)).errors).toBeUndefined();
    expect(codeOf(await refresh(sales.refreshToken))).toBe('UNAUTHENTICATED');
    expect((await sessionRow(sessionOf(sales.token))).revoke_reason).toBe('deactivated');
  });
});

describe('session configuration', () => {
  const base = { DATABASE_URL: 'postgres://x/y', GATEWAY_SECRET: 's', JWT_SECRET: 'j', EVENT_BUS_URL: 'postgres://x/events' };

  it('keeps access tokens at most 15 minutes and defaults to 10', () => {
    expect(loadConfig(base).jwtTtlSeconds).toBe(600);
    expect(loadConfig({ ...base, JWT_TTL_SECONDS: '900' }).jwtTtlSeconds).toBe(900);
    expect(() => loadConfig({ ...base, JWT_TTL_SECONDS: '901' })).toThrow(/JWT_TTL_SECONDS/);
    expect(() => loadConfig({ ...base, REFRESH_TTL_SECONDS: '60' })).toThrow(/REFRESH_TTL_SECONDS/);
    expect(loadConfig({ ...base, LOGIN_FREE_ATTEMPTS: '3', LOGIN_BASE_DELAY_SECONDS: '2' }).loginThrottle).toMatchObject({ freeAttempts: 3, baseDelaySeconds: 2 });
  });
});
