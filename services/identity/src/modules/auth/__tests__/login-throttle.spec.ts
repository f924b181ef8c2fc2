import { randomUUID } from 'node:crypto';
import { GATEWAY_TOKEN_HEADER, signGatewayToken } from '@kartoteka/kit';
import { postGraphQL, startTestSubgraph, type GraphQLResponse, type TestSubgraph } from '@kartoteka/kit/testing';
import { identitySubgraph } from '../../../subgraph';
import { seedIdentity } from '../../../seed/identity.seed';
import { DEFAULT_LOGIN_THROTTLE, loginDelaySeconds, type LoginThrottleSettings } from '../login-throttle';

/** A long first delay: a throttled attempt stays throttled however slow the machine; "later" is made by moving rows back. */
const throttle: LoginThrottleSettings = { freeAttempts: 3, baseDelaySeconds: 600, maxDelaySeconds: 6000, windowSeconds: 24 * 3600, accountSlowdownAfter: 8 };

describe('loginDelaySeconds', () => {
  it('lets the free attempts through, then doubles the wait with every failure, up to the ceiling', () => {
    const settings = DEFAULT_LOGIN_THROTTLE;
    expect([0, 1, 4].map((failures) => loginDelaySeconds(failures, failures, settings))).toEqual([0, 0, 0]);
    expect([5, 6, 7, 8].map((failures) => loginDelaySeconds(failures, failures, settings))).toEqual([1, 2, 4, 8]);
    expect(loginDelaySeconds(60, 60, settings)).toBe(settings.maxDelaySeconds);
  });

  it('once the account as a whole collects many failures, gives every address one free attempt, never none', () => {
    const settings = DEFAULT_LOGIN_THROTTLE;
    expect(loginDelaySeconds(0, settings.accountSlowdownAfter + 500, settings)).toBe(0);
    expect(loginDelaySeconds(1, settings.accountSlowdownAfter, settings)).toBe(1);
    expect(loginDelaySeconds(1, settings.accountSlowdownAfter - 1, settings)).toBe(0);
  });
});

describe('login throttling per e-mail and client address', () => {
  let subgraph: TestSubgraph;

  beforeAll(async () => {
    subgraph = await startTestSubgraph(identitySubgraph({ jwtSecret: 'test-jwt-secret', jwtTtlSeconds: 600, loginThrottle: throttle }));
    await seedIdentity(subgraph.orm.em.fork(), { demo: true, bootstrapAdmin: null });
  });
  afterAll(() => subgraph?.close());

  const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token user { email } } }';

  /** A login as the gateway forwards it: the client address rides in the gateway-signed token. */
  async function loginFrom(clientAddress: string, email: string, password: string): Promise<GraphQLResponse<{ login: { token: string } }>> {
    const token = await signGatewayToken({ kind: 'anonymous' }, 'identity', subgraph.secret, randomUUID(), clientAddress);
    return postGraphQL(subgraph.url, LOGIN, { email, password }, { [GATEWAY_TOKEN_HEADER]: token });
  }

  /** Makes the recorded failures of an address look `seconds` older: time passing, without waiting for it. */
  async function age(email: string, clientAddress: string, seconds: number): Promise<void> {
    await subgraph.orm.em.getConnection().execute(`update login_failures set at = at - (? * interval '1 second') where email = ? and client_address = ?`, [seconds, email, clientAddress]);
  }

  const codeOf = (result: GraphQLResponse) => result.errors?.[0]?.extensions?.code;

  it('backs off one address with growing delays while the user logs in from another', async () => {
    const email = 'approver@kartoteka.local';
    for (let i = 0; i < throttle.freeAttempts; i += 1) {
      const failed = await loginFrom('203.0.113.5', email, `guess-${i}`);
      expect(failed.errors?.[0]).toMatchObject({ message: 'Invalid e-mail or password', extensions: { code: 'UNAUTHENTICATED' } });
    }
    // even the right password waits: the attacker learns nothing during the back-off
    const throttled = await loginFrom('203.0.113.5', email, 'approver');
    expect(throttled.data).toBeNull();
    expect(throttled.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    const firstWait = throttled.errors![0].extensions!.retryAfter as number;
    expect(firstWait).toBeGreaterThan(throttle.baseDelaySeconds - 60);
    expect(firstWait).toBeLessThanOrEqual(throttle.baseDelaySeconds);

    // the real user, elsewhere, is not affected
    const elsewhere = await loginFrom('198.51.100.7', email, 'approver');
    expect(elsewhere.errors).toBeUndefined();
    expect(elsewhere.data?.login.token).toBeTruthy();

    // once the wait is over, one more attempt; failing it doubles the next wait
    await age(email, '203.0.113.5', throttle.baseDelaySeconds);
    expect((await loginFrom('203.0.113.5', email, 'guess-again')).errors?.[0].message).toBe('Invalid e-mail or password');
    const longer = await loginFrom('203.0.113.5', email, 'approver');
    expect(codeOf(longer)).toBe('RATE_LIMITED');
    expect(longer.errors![0].extensions!.retryAfter as number).toBeGreaterThan(2 * throttle.baseDelaySeconds - 60);
  });

  it('records throttled attempts as nothing: hammering during the wait does not extend it', async () => {
    const email = 'viewer@kartoteka.local';
    for (let i = 0; i < throttle.freeAttempts; i += 1) await loginFrom('192.0.2.10', email, `guess-${i}`);
    const before = await subgraph.orm.em.getConnection().execute<{ count: string }[]>(`select count(*) from login_failures where email = ?`, [email]);
    for (let i = 0; i < 5; i += 1) expect(codeOf(await loginFrom('192.0.2.10', email, 'viewer'))).toBe('RATE_LIMITED');
    const after = await subgraph.orm.em.getConnection().execute<{ count: string }[]>(`select count(*) from login_failures where email = ?`, [email]);
    expect(after[0].count).toBe(before[0].count);
    await age(email, '192.0.2.10', throttle.baseDelaySeconds);
    const later = await loginFrom('192.0.2.10', email, 'viewer');
    expect(later.data?.login.token).toBeTruthy();
    // a success clears that address's record
    const left = await subgraph.orm.em.getConnection().execute<{ count: string }[]>(`select count(*) from login_failures where email = ? and client_address = ?`, [email, '192.0.2.10']);
    expect(Number(left[0].count)).toBe(0);
  });

  it('lets only the free attempts of parallel guesses from one address through', async () => {
    const email = 'manager@kartoteka.local';
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => loginFrom('192.0.2.77', email, `parallel-${i}`)));
    const codes = results.map(codeOf);
    expect(codes.filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(throttle.freeAttempts);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(10 - throttle.freeAttempts);
  });

  it('slows a distributed guess down account-wide without locking out an address that has not failed', async () => {
    const email = 'sales@kartoteka.local';
    // failures from many addresses, none of them backed off yet: the account reaches the slow-down
    for (let i = 0; i < throttle.accountSlowdownAfter; i += 1) {
      expect(codeOf(await loginFrom(`10.9.0.${Math.floor(i / 2)}`, email, `spray-${i}`))).toBe('UNAUTHENTICATED');
    }
    // a new address: one free attempt, then its own back-off at once (not after three)
    expect(codeOf(await loginFrom('10.9.1.1', email, 'spray-x'))).toBe('UNAUTHENTICATED');
    expect(codeOf(await loginFrom('10.9.1.1', email, 'spray-y'))).toBe('RATE_LIMITED');
    // the real user, from an address that has not failed, gets in
    const user = await loginFrom('10.9.2.2', email, 'sales');
    expect(user.data?.login.token).toBeTruthy();
  });

  it('throttles callers without a forwarded address together, under "unknown"', async () => {
    const email = 'admin@kartoteka.local';
    for (let i = 0; i < throttle.freeAttempts; i += 1) expect(codeOf(await subgraph.request(LOGIN, { email, password: `x-${i}` }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await subgraph.request(LOGIN, { email, password: 'admin' }))).toBe('RATE_LIMITED');
    const rows = await subgraph.orm.em.getConnection().execute<{ client_address: string }[]>(`select distinct client_address from login_failures where email = ?`, [email]);
    expect(rows.map((row) => row.client_address)).toEqual(['unknown']);
    expect((await loginFrom('192.0.2.200', email, 'admin')).data?.login.token).toBeTruthy();
  });

  it('refuses an over-long e-mail like an unknown one', async () => {
    const result = await loginFrom('192.0.2.1', `${'a'.repeat(300)}@kartoteka.local`, 'x');
    expect(result.errors?.[0]).toMatchObject({ message: 'Invalid e-mail or password', extensions: { code: 'UNAUTHENTICATED' } });
  });
});
