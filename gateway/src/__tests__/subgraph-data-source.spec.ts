import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GATEWAY_TOKEN_HEADER, REQUEST_ID_HEADER, userIdentity, verifyGatewayToken, type Identity } from '@kartoteka/kit';
import { SubgraphDataSource } from '../subgraph-data-source';
import type { GatewayContext } from '../gateway-context';

/** A stand-in subgraph: answers every POST with `answer(body)`, counting TCP connections and requests. */
async function fakeSubgraph(answer: (body: { query: string }, req: http.IncomingMessage) => { status: number; body: unknown } | null) {
  const seen: { token: string | undefined; requestId: string | undefined; body: { query: string } }[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += String(chunk)));
    req.on('end', () => {
      const body = JSON.parse(raw) as { query: string };
      seen.push({ token: req.headers[GATEWAY_TOKEN_HEADER] as string | undefined, requestId: req.headers[REQUEST_ID_HEADER] as string | undefined, body });
      const reply = answer(body, req);
      if (!reply) return; // never answers
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    });
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    seen,
    connections: () => connections,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const contextOf = (requestId: string, identity: Identity = { kind: 'anonymous' }, clientAddress?: string) => ({ identity, requestId, clientAddress, logger: { warn: () => undefined } }) as unknown as GatewayContext;

function call(source: SubgraphDataSource, context: GatewayContext, query = '{ ping }') {
  return source.process({ kind: 'health check', request: { query }, context } as never);
}

describe('SubgraphDataSource', () => {
  let subgraph: Awaited<ReturnType<typeof fakeSubgraph>>;
  afterEach(() => subgraph?.close());

  it('reuses kept-alive connections, and a caller\'s signed token across requests with each request id beside it', async () => {
    subgraph = await fakeSubgraph(() => ({ status: 200, body: { data: { ping: 'pong' } } }));
    const source = new SubgraphDataSource({ name: 'deals', url: subgraph.url, secret: 'deals-secret', timeoutMs: 5000 });
    const alice = userIdentity('00000000-0000-4000-8000-000000000001', 'Alice', ['MANAGER']);
    const bob = userIdentity('00000000-0000-4000-8000-000000000002', 'Bob', ['VIEWER']);
    for (let i = 0; i < 4; i += 1) expect((await call(source, contextOf(`alice-${i}`, alice, '10.0.0.1'))).data).toEqual({ ping: 'pong' });
    await call(source, contextOf('alice-elsewhere', alice, '10.0.0.2'));
    await call(source, contextOf('bob-0', bob, '10.0.0.1'));
    await call(source, contextOf('anonymous-0'));
    await call(source, contextOf('anonymous-1'));
    expect(subgraph.connections()).toBe(1);
    expect(subgraph.seen.map((call) => call.requestId)).toEqual(['alice-0', 'alice-1', 'alice-2', 'alice-3', 'alice-elsewhere', 'bob-0', 'anonymous-0', 'anonymous-1']);
    const tokens = subgraph.seen.map((call) => call.token!);
    expect(new Set(tokens.slice(0, 4)).size).toBe(1);
    // another client address, another caller, an anonymous request: a token of its own
    expect(new Set(tokens.slice(3, 7)).size).toBe(4);
    const verified = await Promise.all(tokens.map((token) => verifyGatewayToken(token, 'deals', 'deals-secret')));
    expect(verified.map(({ identity, clientAddress, requestId }) => [identity.kind === 'anonymous' ? 'anonymous' : identity.name, clientAddress ?? null, requestId ?? null])).toEqual([
      ...Array.from({ length: 4 }, () => ['Alice', '10.0.0.1', null]),
      ['Alice', '10.0.0.2', null],
      ['Bob', '10.0.0.1', null],
      ['anonymous', null, null],
      ['anonymous', null, null],
    ]);
    await expect(verifyGatewayToken(tokens[0], 'identity', 'deals-secret')).rejects.toThrow();
  });

  it('passes a typed 4xx refusal on as it is', async () => {
    subgraph = await fakeSubgraph(() => ({ status: 400, body: { errors: [{ message: 'Enter a whole number', extensions: { code: 'BAD_USER_INPUT', field: 'amountMinor' } }] } }));
    const source = new SubgraphDataSource({ name: 'deals', url: subgraph.url, secret: 's', timeoutMs: 5000 });
    const error = await call(source, contextOf('r')).then(() => null, (e: { message: string; extensions: unknown }) => e);
    expect({ message: error?.message, extensions: error?.extensions }).toEqual({ message: 'Enter a whole number', extensions: { code: 'BAD_USER_INPUT', field: 'amountMinor' } });
  });

  it('reports a subgraph that does not answer in time, or at all, as SERVICE_UNAVAILABLE', async () => {
    subgraph = await fakeSubgraph(() => null);
    const slow = new SubgraphDataSource({ name: 'deals', url: subgraph.url, secret: 's', timeoutMs: 200 });
    const started = Date.now();
    await expect(call(slow, contextOf('r'))).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE', service: 'deals' } });
    expect(Date.now() - started).toBeLessThan(2000);
    const down = new SubgraphDataSource({ name: 'deals', url: 'http://127.0.0.1:1/graphql', secret: 's', timeoutMs: 5000 });
    await expect(call(down, contextOf('r'))).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE', service: 'deals' } });
  });
});
