import { randomUUID } from 'node:crypto';
import { legalEntityInput, CREATE_COUNTERPARTY } from '../support/fixtures';
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
    // the gateway's access line: who asked what, how long it took (no variables, nothing the caller sent)
    const access = stack.logs.filter((line) => line.service === 'gateway' && line.msg === 'graphql request' && line.requestId === requestId);
    expect(access).toEqual([expect.objectContaining({ level: 30, actor: expect.stringMatching(/^user:/), durationMs: expect.any(Number) })]);
    expect(Object.keys(access[0]).filter((key) => !['level', 'time', 'service', 'name', 'requestId', 'operationName', 'actor', 'durationMs', 'errors', 'msg'].includes(key))).toEqual([]);
  });

  it('answers liveness and readiness', async () => {
    const base = stack.gatewayUrl.replace('/graphql', '');
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
  });
});

describe('malformed requests: HTTP 4xx with a typed code, never 500 — anonymous or not', () => {
  type Probe = { name: string; init: RequestInit; url?: string; status: number; code: string };
  const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const probes = (): Probe[] => [
    { name: 'several operations, no operationName', init: json({ query: 'query A { me { id } } query B { me { id } }' }), status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
    { name: 'an unknown operationName', init: json({ query: 'query A { me { id } }', operationName: 'Nope' }), status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
    { name: 'a subscription', init: json({ query: 'subscription { me { id } }' }), status: 400, code: 'BAD_REQUEST' },
    { name: 'a query over the token limit', init: json({ query: `{ ${Array.from({ length: 3000 }, () => 'me { id }').join(' ')} }` }), status: 400, code: 'GRAPHQL_PARSE_FAILED' },
    { name: 'a syntax error', init: json({ query: '{ me { id }' }), status: 400, code: 'GRAPHQL_PARSE_FAILED' },
    { name: 'an unknown field', init: json({ query: '{ nothing }' }), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
    { name: 'a body that is not JSON', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' }, status: 400, code: 'BAD_REQUEST' },
    { name: 'a body over the size limit', init: json({ query: '{ me { id } }', variables: { x: 'x'.repeat(1_100_000) } }), status: 413, code: 'BAD_REQUEST' },
    { name: 'variables that are not an object', init: json({ query: '{ me { id } }', variables: [1, 2] }), status: 400, code: 'BAD_REQUEST' },
    { name: 'variables as a JSON string', init: json({ query: '{ me { id } }', variables: '{}' }), status: 400, code: 'BAD_REQUEST' },
    { name: 'a query that is not a string', init: json({ query: 5 }), status: 400, code: 'BAD_REQUEST' },
    { name: 'no query at all', init: json({ operationName: 'A' }), status: 400, code: 'BAD_REQUEST' },
    { name: 'a variable of the wrong type', init: json({ query: 'query($f: Int!) { counterparties(first: $f) { totalCount } }', variables: { f: 'ten' } }), status: 400, code: 'BAD_USER_INPUT' },
    {
      name: 'a mutation over GET',
      init: { method: 'GET', headers: { 'apollo-require-preflight': '1' } },
      url: `?query=${encodeURIComponent('mutation { login(email: "a@b.c", password: "x") { token } }')}`,
      status: 405,
      code: 'BAD_REQUEST',
    },
  ];

  it.each([['anonymous', false], ['signed in', true]])('%s', async (_who, signedIn) => {
    for (const probe of probes()) {
      const headers = { ...(probe.init.headers as Record<string, string>), ...(signedIn ? { authorization: `Bearer ${token}` } : {}) };
      const response = await fetch(`${stack.gatewayUrl}${probe.url ?? ''}`, { ...probe.init, headers });
      const text = await response.text();
      const body = JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[] };
      expect({ probe: probe.name, status: response.status, code: body.errors?.[0]?.extensions?.code }).toEqual({ probe: probe.name, status: probe.status, code: probe.code });
      expect(text).not.toMatch(/\bat .+\.js:\d+|stacktrace|node_modules/);
    }
  });
});

describe('logs', () => {
  it('every error line carries requestId and service, and no SQL parameters, passwords or tokens', async () => {
    const secret = `Тайное имя ${randomUUID()}`;
    const password = `pw-${randomUUID()}`;
    const failedLogin = await stack.call('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: 'viewer@kartoteka.local', p: password });
    expect(failedLogin.errors?.[0].extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    // A true internal error with user data in its statement: the counterparties table is briefly missing.
    const admin = await stack.login('admin@kartoteka.local');
    const connection = stack.subgraphs.counterparties.orm.em.getConnection();
    const input = legalEntityInput({ name: secret });
    await connection.execute('alter table counterparties rename to counterparties_away');
    let result;
    try {
      result = await stack.call(CREATE_COUNTERPARTY, { input }, admin);
    } finally {
      await connection.execute('alter table counterparties_away rename to counterparties');
    }
    expect(result.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(result)).not.toMatch(/counterparties_away|relation|\bat /);

    const errorLines = stack.logs.filter((line) => Number(line.level) >= 50);
    expect(errorLines.length).toBeGreaterThan(0);
    for (const line of errorLines) {
      expect(line).toEqual(expect.objectContaining({ requestId: expect.any(String), service: expect.any(String) }));
    }
    const internal = errorLines.find((line) => line.service === 'counterparties' && line.msg === 'internal error');
    expect(internal?.err).toEqual(expect.objectContaining({ message: expect.stringMatching(/relation .* does not exist/), stack: expect.stringMatching(/\n\s+at /) }));
    const everything = JSON.stringify(stack.logs);
    for (const value of [secret, String(input.inn), password, token, admin]) expect(everything).not.toContain(value);
  });
});
