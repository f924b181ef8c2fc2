import { decodeJwt } from 'jose';
import { apiKeyIdentity, DEMO_USERS, type Identity } from '@kartoteka/kit';
import { demoIdentity, postGraphQL, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { identitySubgraph } from '../../../subgraph';
import { seedIdentity } from '../../../seed/identity.seed';

const settings = { jwtSecret: 'test-jwt-secret', jwtTtlSeconds: 600 };
const ADMIN_ID = '00000000-0000-4000-8000-000000000001';
const admin: Identity = demoIdentity('admin@kartoteka.local');
const viewer: Identity = demoIdentity('viewer@kartoteka.local');

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(identitySubgraph(settings));
  await seedIdentity(subgraph.orm.em.fork(), { demo: true, bootstrapAdmin: null });
});
afterAll(() => subgraph?.close());

const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token expiresAt user { id name roles } } }';

describe('login', () => {
  it('issues a signed staff token for the demo admin', async () => {
    const result = await subgraph.request<{ login: { token: string; user: { id: string; roles: string[] } } }>(LOGIN, { email: 'Admin@Kartoteka.local', password: 'admin' });
    expect(result.errors).toBeUndefined();
    expect(result.data?.login.user).toMatchObject({ id: ADMIN_ID, roles: ['ADMIN'] });
    const claims = decodeJwt(result.data!.login.token);
    expect(claims).toMatchObject({ sub: ADMIN_ID, roles: ['ADMIN'], iss: 'kartoteka-identity', aud: 'kartoteka' });
  });

  it('refuses a wrong password and an unknown e-mail with the same error', async () => {
    const wrong = await subgraph.request(LOGIN, { email: 'admin@kartoteka.local', password: 'nope' });
    const unknown = await subgraph.request(LOGIN, { email: 'ghost@kartoteka.local', password: 'admin' });
    for (const result of [wrong, unknown]) {
      expect(result.data).toBeNull();
      expect(result.errors?.[0]).toMatchObject({ message: 'Invalid e-mail or password', extensions: { code: 'UNAUTHENTICATED' } });
    }
  });

  // throttling per e-mail and client address: auth/__tests__/login-throttle.spec.ts

  it('stores argon2id hashes, never the password', async () => {
    const rows = await subgraph.orm.em.getConnection().execute<{ password_hash: string }[]>("select password_hash from users where email = 'admin@kartoteka.local'");
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });
});

describe('me and users', () => {
  it('returns the caller for a user and null for anonymous callers', async () => {
    const mine = await subgraph.request<{ me: { id: string } | null }>('{ me { id email } }', {}, admin);
    expect(mine.data?.me?.id).toBe(ADMIN_ID);
    const anonymous = await subgraph.request<{ me: null }>('{ me { id } }');
    expect(anonymous.data?.me).toBeNull();
  });

  it('lists users for staff and refuses anonymous callers', async () => {
    const list = await subgraph.request<{ users: { totalCount: number; edges: { node: { name: string } }[] } }>('{ users(first: 2) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }', {}, viewer);
    expect(list.data?.users.totalCount).toBe(DEMO_USERS.length);
    expect(list.data?.users.edges).toHaveLength(2);
    const anonymous = await subgraph.request('{ users { totalCount } }');
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('lets only admins create users, validating input', async () => {
    const create = 'mutation($input: CreateUserInput!) { createUser(input: $input) { id email roles } }';
    const input = { email: 'new.person@kartoteka.local', name: 'Новый Сотрудник', password: 'long-enough-1', roles: ['MANAGER'] };
    const forbidden = await subgraph.request(create, { input }, viewer);
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const bad = await subgraph.request(create, { input: { ...input, email: 'not-an-email' } }, admin);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    const created = await subgraph.request<{ createUser: { email: string } }>(create, { input }, admin);
    expect(created.data?.createUser.email).toBe('new.person@kartoteka.local');
    const duplicate = await subgraph.request(create, { input }, admin);
    expect(duplicate.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
  });

  it('answers NOT_FOUND (not an internal error) for a malformed id and resolves a malformed reference to null', async () => {
    const byId = await subgraph.request('{ user(id: "not-a-uuid") { id } }', {}, viewer);
    expect(byId.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const references = await subgraph.request<{ _entities: unknown[] }>('query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id } } }', { r: [{ __typename: 'User', id: 'x' }, { __typename: 'User', id: ADMIN_ID }] }, viewer);
    expect(references.errors).toBeUndefined();
    expect(references.data?._entities).toEqual([null, { id: ADMIN_ID }]);
  });

  it('resolves User references in one batch and checks permissions on them', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name } } }';
    const representations = [{ __typename: 'User', id: ADMIN_ID }, { __typename: 'User', id: '00000000-0000-4000-8000-000000000002' }, { __typename: 'User', id: '00000000-0000-4000-8000-0000000000ff' }];
    const resolved = await subgraph.request<{ _entities: ({ id: string } | null)[] }>(query, { r: representations }, viewer);
    expect(resolved.data?._entities.map((user) => user?.id ?? null)).toEqual([ADMIN_ID, '00000000-0000-4000-8000-000000000002', null]);
    const anonymous = await subgraph.request(query, { r: representations });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('API keys', () => {
  const CREATE = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id name scopes prefix revokedAt } } }';

  async function authenticate(key: string) {
    const { signGatewayToken, GATEWAY_TOKEN_HEADER } = await import('@kartoteka/kit');
    const token = await signGatewayToken({ kind: 'anonymous' }, 'identity', subgraph.secret, 'test');
    const response = await fetch(subgraph.url.replace('/graphql', '/internal/authenticate-api-key'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [GATEWAY_TOKEN_HEADER]: token },
      body: JSON.stringify({ key }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('returns the secret once, stores only its hash, authenticates it and stops after revocation', async () => {
    const created = await subgraph.request<{ createApiKey: { secret: string; apiKey: { id: string; scopes: string[] } } }>(CREATE, { input: { name: '1C integration', scopes: ['counterparties:read'] } }, admin);
    expect(created.errors).toBeUndefined();
    const { secret, apiKey } = created.data!.createApiKey;
    expect(secret).toMatch(/^ktk_[0-9a-f]{32}_/);
    const stored = await subgraph.orm.em.getConnection().execute<{ secret_hash: string }[]>('select secret_hash from api_keys where id = ?', [apiKey.id]);
    expect(stored[0].secret_hash).toHaveLength(64);
    expect(secret).not.toContain(stored[0].secret_hash);

    expect(await authenticate(secret)).toEqual({ status: 200, body: { id: apiKey.id, name: '1C integration', scopes: ['counterparties:read'], rateLimitPerMinute: null } });
    expect((await authenticate(`${secret.slice(0, -1)}x`)).status).toBe(401);

    const revoked = await subgraph.request<{ revokeApiKey: { revokedAt: string | null } }>('mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: apiKey.id }, admin);
    expect(revoked.data?.revokeApiKey.revokedAt).toBeTruthy();
    expect((await authenticate(secret)).status).toBe(401);
  });

  it('carries its own rate limit to the gateway, validated', async () => {
    const created = await subgraph.request<{ createApiKey: { secret: string; apiKey: { id: string; rateLimitPerMinute: number | null } } }>(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id rateLimitPerMinute } } }',
      { input: { name: 'slow partner', scopes: ['deals:read'], rateLimitPerMinute: 30 } },
      admin,
    );
    expect(created.data?.createApiKey.apiKey.rateLimitPerMinute).toBe(30);
    expect((await authenticate(created.data!.createApiKey.secret)).body).toMatchObject({ id: created.data!.createApiKey.apiKey.id, rateLimitPerMinute: 30 });
    for (const rateLimitPerMinute of [0, -5, 100_001]) {
      const bad = await subgraph.request(CREATE, { input: { name: 'bad limit', scopes: ['deals:read'], rateLimitPerMinute } }, admin);
      expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rateLimitPerMinute' });
    }
  });

  it('refuses unknown scopes and non-admin callers', async () => {
    const bad = await subgraph.request(CREATE, { input: { name: 'x key', scopes: ['everything'] } }, admin);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scopes' });
    const partner = apiKeyIdentity('00000000-0000-4000-8000-00000000aaaa', 'partner', ['counterparties:read']);
    const forbidden = await subgraph.request(CREATE, { input: { name: 'x key', scopes: ['deals:read'] } }, partner);
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('gateway gate', () => {
  it('refuses a request without the gateway token or with a token signed by another secret', async () => {
    const bare = await postGraphQL(subgraph.url, '{ me { id } }');
    expect(bare.status).toBe(401);
    const { signGatewayToken, GATEWAY_TOKEN_HEADER } = await import('@kartoteka/kit');
    const forged = await signGatewayToken(admin, 'identity', 'not-the-secret', 'x');
    const response = await postGraphQL(subgraph.url, '{ me { id } }', {}, { [GATEWAY_TOKEN_HEADER]: forged });
    expect(response.status).toBe(401);
    expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers liveness and readiness', async () => {
    const base = subgraph.url.replace('/graphql', '');
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect(await (await fetch(`${base}/health/ready`)).json()).toMatchObject({ status: 'ready' });
  });
});

describe('managing accounts', () => {
  const SALES_ID = '00000000-0000-4000-8000-000000000003';
  const MANAGER_ID = '00000000-0000-4000-8000-000000000002';
  const UPDATE = 'mutation($input: UpdateUserInput!) { updateUser(input: $input) { id name roles active } }';

  it('lets an admin change roles and deactivate an account, which then cannot log in', async () => {
    const forbidden = await subgraph.request(UPDATE, { input: { id: SALES_ID, roles: ['ADMIN'] } }, viewer);
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const promoted = await subgraph.request<{ updateUser: { roles: string[]; active: boolean } }>(UPDATE, { input: { id: SALES_ID, roles: ['MANAGER', 'APPROVER'] } }, admin);
    expect(promoted.data?.updateUser).toMatchObject({ roles: ['MANAGER', 'APPROVER'], active: true });

    const deactivated = await subgraph.request<{ updateUser: { active: boolean } }>(UPDATE, { input: { id: SALES_ID, active: false } }, admin);
    expect(deactivated.data?.updateUser.active).toBe(false);
    const login = await subgraph.request(LOGIN, { email: 'sales@kartoteka.local', password: 'sales' });
    expect(login.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('keeps the last active administrator', async () => {
    const demote = await subgraph.request(UPDATE, { input: { id: ADMIN_ID, roles: ['VIEWER'] } }, admin);
    expect(demote.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'roles' });
    const deactivate = await subgraph.request(UPDATE, { input: { id: ADMIN_ID, active: false } }, admin);
    expect(deactivate.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'active' });
    const me = await subgraph.request<{ me: { roles: string[]; active: boolean } }>('{ me { roles active } }', {}, admin);
    expect(me.data?.me).toEqual({ roles: ['ADMIN'], active: true });
  });

  it('lets an admin set a password and a user change their own, proving the current one', async () => {
    const reset = await subgraph.request('mutation($input: SetUserPasswordInput!) { setUserPassword(input: $input) { id } }', { input: { id: MANAGER_ID, password: 'fresh-password-1' } }, admin);
    expect(reset.errors).toBeUndefined();
    expect((await subgraph.request(LOGIN, { email: 'manager@kartoteka.local', password: 'manager' })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    const manager = demoIdentity('manager@kartoteka.local');
    const CHANGE = 'mutation($input: ChangePasswordInput!) { changePassword(input: $input) { id } }';
    const wrong = await subgraph.request(CHANGE, { input: { currentPassword: 'not-it', newPassword: 'another-password-2' } }, manager);
    expect(wrong.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
    const changed = await subgraph.request(CHANGE, { input: { currentPassword: 'fresh-password-1', newPassword: 'another-password-2' } }, manager);
    expect(changed.errors).toBeUndefined();
    const login = await subgraph.request<{ login: { user: { id: string } } }>(LOGIN, { email: 'manager@kartoteka.local', password: 'another-password-2' });
    expect(login.data?.login.user.id).toBe(MANAGER_ID);
  });
});
