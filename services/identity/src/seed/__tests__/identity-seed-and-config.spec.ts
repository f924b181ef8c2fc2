import { startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { loadConfig } from '../../config';
import { identitySubgraph } from '../../subgraph';
import { seedIdentity } from '../identity.seed';

const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { user { email roles } } }';

describe('configuration', () => {
  it('has no default secrets in production (unset NODE_ENV) and names what is missing', () => {
    expect(() => loadConfig({})).toThrow(/JWT_SECRET[\s\S]*|DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', GATEWAY_SECRET: 's' })).toThrow(/JWT_SECRET/);
  });

  it('uses development defaults only in development', () => {
    const config = loadConfig({ NODE_ENV: 'development' });
    expect(config.production).toBe(false);
    expect(config.port).toBe(4101);
    expect(config.eventBusUrl).toBe('postgres://postgres@127.0.0.1:5432/kartoteka_events');
  });

  it('needs the event bus in production', () => {
    const base = { DATABASE_URL: 'postgres://x/y', GATEWAY_SECRET: 's', JWT_SECRET: 'j' };
    expect(() => loadConfig(base)).toThrow(/EVENT_BUS_URL/);
    expect(loadConfig({ ...base, EVENT_BUS_URL: 'postgres://bus:5432/events' }).eventBusUrl).toBe('postgres://bus:5432/events');
  });

  it('reads a bootstrap admin only when both e-mail and password are given', () => {
    const base = { DATABASE_URL: 'postgres://x/y', GATEWAY_SECRET: 's', JWT_SECRET: 'j', EVENT_BUS_URL: 'postgres://x/events' };
    expect(loadConfig(base).bootstrapAdmin).toBeNull();
    expect(loadConfig({ ...base, ADMIN_EMAIL: 'boss@firm.ru' }).bootstrapAdmin).toBeNull();
    expect(loadConfig({ ...base, ADMIN_EMAIL: 'boss@firm.ru', ADMIN_PASSWORD: 'a-long-secret' }).bootstrapAdmin).toMatchObject({ email: 'boss@firm.ru' });
  });
});

describe('seeding outside demo mode', () => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(identitySubgraph({ jwtSecret: 'x', jwtTtlSeconds: 60 }));
  });
  afterAll(() => subgraph?.close());

  it('creates no default account, then only the configured admin', async () => {
    expect(await seedIdentity(subgraph.orm.em.fork(), { demo: false, bootstrapAdmin: null })).toMatch(/nobody can log in/);
    const demoLogin = await subgraph.request(LOGIN, { email: 'admin@kartoteka.local', password: 'admin' });
    expect(demoLogin.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    await seedIdentity(subgraph.orm.em.fork(), { demo: false, bootstrapAdmin: { email: 'Boss@Firm.ru', password: 'a-long-secret', name: 'Boss' } });
    const login = await subgraph.request<{ login: { user: { email: string; roles: string[] } } }>(LOGIN, { email: 'boss@firm.ru', password: 'a-long-secret' });
    expect(login.data?.login.user).toEqual({ email: 'boss@firm.ru', roles: ['ADMIN'] });
    expect(await seedIdentity(subgraph.orm.em.fork(), { demo: true, bootstrapAdmin: null })).toMatch(/users exist/);
  });
});
