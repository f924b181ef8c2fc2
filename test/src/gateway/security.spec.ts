import { randomUUID } from 'node:crypto';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let token: string;

beforeAll(async () => {
  stack = await startStack({ production: true, captureLogs: true, gatewayEnv: { MAX_COST: '400' } });
  token = await stack.login('viewer@kartoteka.local');
});
afterAll(() => stack?.stop());

describe('gateway protections in production mode', () => {
  it('disables introspection', async () => {
    const result = await stack.call('{ __schema { types { name } } }', {}, token);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0].message).toMatch(/introspection/i);
  });

  it('gives no field suggestions', async () => {
    const result = await stack.call('{ counterpartie(first: 1) { totalCount } }', {}, token);
    expect(result.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(result.errors)).not.toMatch(/Did you mean/);
  });

  it('refuses too deep queries', async () => {
    // counterparty → documents → edges → node → counterparty → … : 5 levels per round trip, 4 round trips
    const nest = (depth: number): string => (depth === 0 ? 'id' : `id documents(first: 1) { edges { node { counterparty { ${nest(depth - 1)} } } } }`);
    const deep = `{ counterparties(first: 1) { edges { node { ${nest(4)} } } } }`;
    const result = await stack.call(deep, {}, token);
    expect(result.data ?? null).toBeNull();
    expect(JSON.stringify(result.errors)).toMatch(/depth/i);
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: me { id }`).join(' ');
    const result = await stack.call(`{ ${aliases} }`, {}, token);
    expect(result.data ?? null).toBeNull();
    expect(JSON.stringify(result.errors)).toMatch(/alias/i);
  });

  it('refuses too costly queries', async () => {
    const everything = 'id name shortName kind status inn kpp ogrn legalAddress postalAddress tags version contacts { id name position email phone } bankAccounts { id bankName bik account correspondentAccount } responsibleManager { id name email }';
    const result = await stack.call(`{ counterparties(first: 100) { edges { node { ${everything} history(first: 100) { edges { node { id at action actorName changes { field from to } } } } } } } }`, {}, token);
    expect(result.data ?? null).toBeNull();
    expect(JSON.stringify(result.errors)).toMatch(/cost/i);
  });

  it('blocks CSRF-prone requests and batched requests', async () => {
    const simple = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent('{ me { id } }')}`);
    expect(simple.status).toBe(400);
    const batched = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]) });
    expect(batched.status).toBe(400);
  });

  it('allows CORS only for the portal origin', async () => {
    const preflight = (origin: string) =>
      fetch(stack.gatewayUrl, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
    expect((await preflight('http://127.0.0.1:8080')).headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8080');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('carries the request id to the caller and into the logs of the gateway and every subgraph it called', async () => {
    const requestId = randomUUID();
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { id } counterparties(first: 1) { totalCount } }' }),
    });
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const services = new Set(stack.logs.filter((line) => line.requestId === requestId).map((line) => line.service));
    expect([...services].sort()).toEqual(['counterparties', 'gateway', 'identity']);
  });

  it('answers liveness and readiness', async () => {
    const base = stack.gatewayUrl.replace('/graphql', '');
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
  });
});
