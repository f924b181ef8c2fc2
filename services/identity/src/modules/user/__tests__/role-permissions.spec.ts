import { randomUUID } from 'node:crypto';
import { API_KEY_SCOPES, apiKeyIdentity, ROLE_PERMISSIONS, ROLES } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { identitySubgraph } from '../../../subgraph';
import { seedIdentity } from '../../../seed/identity.seed';

let subgraph: TestSubgraph;
const admin = demoIdentity('admin@kartoteka.local');
const viewer = demoIdentity('viewer@kartoteka.local');

beforeAll(async () => {
  subgraph = await startTestSubgraph(identitySubgraph({ jwtSecret: 'test-jwt-secret', jwtTtlSeconds: 600 }));
  await seedIdentity(subgraph.orm.em.fork(), { demo: true, bootstrapAdmin: null });
});
afterAll(() => subgraph?.close());

describe('rolePermissions', () => {
  it('gives any logged-in caller every role with the permissions the subgraphs check', async () => {
    const result = await subgraph.request<{ rolePermissions: { role: string; permissions: string[] }[] }>('{ rolePermissions { role permissions } }', {}, viewer);
    expect(result.errors).toBeUndefined();
    expect(result.data!.rolePermissions.map((row) => row.role)).toEqual([...ROLES]);
    for (const row of result.data!.rolePermissions) expect(row.permissions).toEqual([...ROLE_PERMISSIONS[row.role as (typeof ROLES)[number]]]);
    expect(result.data!.rolePermissions.find((row) => row.role === 'VIEWER')!.permissions.some((permission) => permission.endsWith(':write'))).toBe(false);
  });

  it('refuses anonymous callers', async () => {
    const anonymous = await subgraph.request('{ rolePermissions { role } }');
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('apiKeyScopes', () => {
  it('lists the scopes a key may carry, including projects, tasks and statement import', async () => {
    const result = await subgraph.request<{ apiKeyScopes: string[] }>('{ apiKeyScopes }', {}, admin);
    expect(result.data?.apiKeyScopes).toEqual([...API_KEY_SCOPES]);
    expect(result.data?.apiKeyScopes).toEqual(expect.arrayContaining(['projects:read', 'projects:write', 'tasks:read', 'tasks:write', 'payments:import']));
    expect(result.data?.apiKeyScopes).not.toContain('events:manage');
  });

  it('creates a key with the new scopes and refuses admin-only permissions as scopes, on the scopes field', async () => {
    const CREATE = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { prefix scopes } } }';
    const created = await subgraph.request<{ createApiKey: { secret: string; apiKey: { prefix: string; scopes: string[] } } }>(CREATE, { input: { name: 'PM tool', scopes: ['projects:write', 'tasks:write'] } }, admin);
    expect(created.errors).toBeUndefined();
    expect(created.data!.createApiKey.apiKey.scopes).toEqual(['projects:write', 'tasks:write']);
    expect(created.data!.createApiKey.secret.startsWith(created.data!.createApiKey.apiKey.prefix)).toBe(true);
    for (const scope of ['events:manage', 'audit:verify', 'users:manage']) {
      const refused = await subgraph.request(CREATE, { input: { name: 'Too much', scopes: [scope] } }, admin);
      expect({ scope, error: refused.errors?.[0].extensions }).toMatchObject({ scope, error: { code: 'BAD_USER_INPUT', field: 'scopes' } });
    }
  });

  it('keeps key management to administrators (not an API key, not a viewer)', async () => {
    for (const identity of [viewer, apiKeyIdentity(randomUUID(), 'partner', ['users:read'])]) {
      const refused = await subgraph.request('{ apiKeys { id } }', {}, identity);
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('typed user errors carry a stable reason for the portal to word', () => {
  it('a taken e-mail and the last active administrator', async () => {
    const taken = await subgraph.request('mutation($input: CreateUserInput!) { createUser(input: $input) { id } }', { input: { email: 'manager@kartoteka.local', name: 'Двойник', password: 'long-enough', roles: ['VIEWER'] } }, admin);
    expect(taken.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email', reason: 'user.email-taken' });
    const lastAdmin = await subgraph.request('mutation($input: UpdateUserInput!) { updateUser(input: $input) { id } }', { input: { id: '00000000-0000-4000-8000-000000000001', active: false } }, admin);
    expect(lastAdmin.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'active', reason: 'user.last-admin' });
  });
});
