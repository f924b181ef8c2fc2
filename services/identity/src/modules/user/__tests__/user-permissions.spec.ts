import { apiKeyIdentity, ROLE_PERMISSIONS, type Identity } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { identitySubgraph } from '../../../subgraph';
import { seedIdentity } from '../../../seed/identity.seed';

// User.permissions: the portal's "may I" checks come from the API's own role→permission map.

const settings = { jwtSecret: 'test-jwt-secret', jwtTtlSeconds: 600 };
const VIEWER_ID = '00000000-0000-4000-8000-000000000006';
const ACCOUNTANT_ID = '00000000-0000-4000-8000-000000000007';
const viewer: Identity = demoIdentity('viewer@kartoteka.local');
const accountant: Identity = demoIdentity('accountant@kartoteka.local');

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(identitySubgraph(settings));
  await seedIdentity(subgraph.orm.em.fork(), { demo: true, bootstrapAdmin: null });
});
afterAll(() => subgraph?.close());

const sorted = (values: readonly string[]) => [...values].sort();

describe('User.permissions', () => {
  it('gives `me` the permissions of all its roles', async () => {
    const mine = await subgraph.request<{ me: { roles: string[]; permissions: string[] } }>('{ me { roles permissions } }', {}, accountant);
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.me.roles.sort()).toEqual(['ACCOUNTANT', 'APPROVER']);
    expect(sorted(mine.data!.me.permissions)).toEqual(sorted([...new Set([...ROLE_PERMISSIONS.ACCOUNTANT, ...ROLE_PERMISSIONS.APPROVER])]));
    expect(mine.data!.me.permissions).toContain('finance:write');
    expect(mine.data!.me.permissions).not.toContain('counterparties:write');

    const viewers = await subgraph.request<{ me: { permissions: string[] } }>('{ me { permissions } }', {}, viewer);
    expect(sorted(viewers.data!.me.permissions)).toEqual(sorted(ROLE_PERMISSIONS.VIEWER));
  });

  it('comes with the user of a login', async () => {
    const result = await subgraph.request<{ login: { user: { id: string; permissions: string[] } } }>(
      'mutation { login(email: "viewer@kartoteka.local", password: "viewer") { user { id permissions } } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.login.user.id).toBe(VIEWER_ID);
    expect(sorted(result.data!.login.user.permissions)).toEqual(sorted(ROLE_PERMISSIONS.VIEWER));
  });

  it('is visible for other users only with users:read', async () => {
    const query = `query($id: ID!) { user(id: $id) { permissions } }`;
    const staff = await subgraph.request<{ user: { permissions: string[] } }>(query, { id: ACCOUNTANT_ID }, viewer);
    expect(staff.errors).toBeUndefined();
    expect(staff.data!.user.permissions).toContain('payments:match');

    // a key may read users (users:read) but another key without it may not even reach the user
    const withRead = await subgraph.request<{ user: { permissions: string[] } }>(query, { id: ACCOUNTANT_ID }, apiKeyIdentity('00000000-0000-4000-8000-00000000aaa1', 'directory', ['users:read']));
    expect(withRead.errors).toBeUndefined();
    const without = await subgraph.request(query, { id: ACCOUNTANT_ID }, apiKeyIdentity('00000000-0000-4000-8000-00000000aaa2', 'crm', ['counterparties:read']));
    expect(without.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
