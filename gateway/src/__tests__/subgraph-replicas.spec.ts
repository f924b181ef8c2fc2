import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config';
import { isReadOperation, SubgraphDataSource } from '../subgraph-data-source';
import { SubgraphInstances } from '../subgraph-instances';
import type { GatewayContext } from '../gateway-context';

type Behaviour = 'answer' | 'unavailable' | 'reset' | 'silent';

/**
 * A stand-in instance of a subgraph on a real port: answers `{ data: { from: <name> } }`, or 503, or drops the
 * connection once the request has arrived, or never answers; it counts the requests that reached it.
 */
async function instance(name: string, behaviour: Behaviour = 'answer', port = 0) {
  const state = { behaviour, seen: [] as string[] };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += String(chunk)));
    req.on('end', () => {
      state.seen.push((JSON.parse(raw) as { query: string }).query);
      if (state.behaviour === 'silent') return;
      if (state.behaviour === 'reset') return void req.socket.destroy();
      if (state.behaviour === 'unavailable') return void res.writeHead(503, { 'content-type': 'text/plain' }).end('draining');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { from: name } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    state,
    port: actual,
    url: `http://127.0.0.1:${actual}/graphql`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Instance = Awaited<ReturnType<typeof instance>>;

/** A port nothing listens on (a server started and closed again). */
async function closedPortUrl(): Promise<{ url: string; port: number }> {
  const gone = await instance('gone');
  await gone.close();
  return { url: gone.url, port: gone.port };
}

const context = { identity: { kind: 'anonymous' }, requestId: 'r', logger: { warn: () => undefined } } as unknown as GatewayContext;

function call(source: SubgraphDataSource, query: string) {
  return source.process({ kind: 'health check', request: { query }, context } as never);
}

const QUERY = 'query Card__documents__1 { from }';
const MUTATION = 'mutation Approve__documents__0 { from }';

describe('several instances of a subgraph', () => {
  const open: Instance[] = [];
  const start = async (name: string, behaviour?: Behaviour, port?: number) => {
    const started = await instance(name, behaviour, port);
    open.push(started);
    return started;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });

  it('reads every instance of a subgraph from <NAME>_URLS, or the one of <NAME>_URL', () => {
    const base = { NODE_ENV: 'development', DOCUMENTS_URL: 'http://10.0.0.1:4103/graphql' };
    expect(loadConfig(base).subgraphs.documents).toMatchObject({ url: 'http://10.0.0.1:4103/graphql', urls: ['http://10.0.0.1:4103/graphql'] });
    const replicas = loadConfig({ ...base, DOCUMENTS_URLS: ' http://10.0.0.2:4103/graphql, http://10.0.0.3:4103/graphql,http://10.0.0.2:4103/graphql ' });
    expect(replicas.subgraphs.documents).toMatchObject({ url: 'http://10.0.0.2:4103/graphql', urls: ['http://10.0.0.2:4103/graphql', 'http://10.0.0.3:4103/graphql'] });
    expect(replicas.subgraphs.deals.urls).toEqual(['http://127.0.0.1:4104/graphql']);
    expect(replicas.instanceDownMs).toBeGreaterThan(0);
    expect(() => loadConfig({ ...base, DOCUMENTS_URLS: 'http://10.0.0.2:4103/graphql,documents:4103' })).toThrow(/DOCUMENTS_URLS: not an http\(s\) URL: documents:4103/);
  });

  it('tells reads from mutations by the fetch the gateway builds', () => {
    expect(isReadOperation(QUERY)).toBe(true);
    expect(isReadOperation('{ _entities(representations: []) { __typename } }')).toBe(true);
    expect(isReadOperation('query($representations:[_Any!]!){_entities(representations:$representations){__typename}}')).toBe(true);
    expect(isReadOperation(MUTATION)).toBe(false);
    expect(isReadOperation('mutation{approve}')).toBe(false);
    expect(isReadOperation(undefined)).toBe(false);
  });

  it('spreads fetches over the instances, each over its own kept-alive connections', async () => {
    const a = await start('a');
    const b = await start('b');
    const source = new SubgraphDataSource({ name: 'documents', url: a.url, urls: [a.url, b.url], secret: 's', timeoutMs: 10_000 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => call(source, QUERY)));
    expect(answers.every((answer) => answer.errors === undefined)).toBe(true);
    const from = answers.map((answer) => (answer.data as { from: string }).from);
    expect(from.filter((name) => name === 'a').length).toBeGreaterThan(0);
    expect(from.filter((name) => name === 'b').length).toBeGreaterThan(0);
    expect(a.state.seen.length + b.state.seen.length).toBe(20);
    expect(source.instances.instances.map((one) => one.pending)).toEqual([0, 0]);
    // sequential calls alternate when both are idle
    const sequential: string[] = [];
    for (let i = 0; i < 4; i += 1) sequential.push(((await call(source, QUERY)).data as { from: string }).from);
    expect(new Set(sequential)).toEqual(new Set(['a', 'b']));
  });

  it('sends a read that got 503 once more, to another instance; a mutation that got 503 never', async () => {
    const draining = await start('draining', 'unavailable');
    const healthy = await start('healthy');
    const source = new SubgraphDataSource({ name: 'documents', url: draining.url, urls: [draining.url, healthy.url], secret: 's', timeoutMs: 10_000 });
    // the first choice among idle instances is the first listed
    expect((await call(source, QUERY)).data).toEqual({ from: 'healthy' });
    expect(draining.state.seen).toEqual([QUERY]);
    expect(healthy.state.seen).toEqual([QUERY]);

    draining.state.seen.length = 0;
    healthy.state.seen.length = 0;
    const fresh = new SubgraphDataSource({ name: 'documents', url: draining.url, urls: [draining.url, healthy.url], secret: 's', timeoutMs: 10_000 });
    await expect(call(fresh, MUTATION)).rejects.toMatchObject({ extensions: { response: { status: 503 } } });
    expect(draining.state.seen).toEqual([MUTATION]);
    expect(healthy.state.seen).toEqual([]);
  });

  it('sends a read whose connection died before any answer once more; a mutation that may have arrived never', async () => {
    const dying = await start('dying', 'reset');
    const healthy = await start('healthy');
    const source = new SubgraphDataSource({ name: 'documents', url: dying.url, urls: [dying.url, healthy.url], secret: 's', timeoutMs: 10_000 });
    expect((await call(source, QUERY)).data).toEqual({ from: 'healthy' });
    expect(dying.state.seen).toEqual([QUERY]);

    dying.state.seen.length = 0;
    healthy.state.seen.length = 0;
    const fresh = new SubgraphDataSource({ name: 'documents', url: dying.url, urls: [dying.url, healthy.url], secret: 's', timeoutMs: 10_000 });
    await expect(call(fresh, MUTATION)).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(dying.state.seen).toEqual([MUTATION]);
    expect(healthy.state.seen).toEqual([]);
  });

  it('never repeats a fetch that timed out', async () => {
    const silent = await start('silent', 'silent');
    const healthy = await start('healthy');
    const source = new SubgraphDataSource({ name: 'documents', url: silent.url, urls: [silent.url, healthy.url], secret: 's', timeoutMs: 300 });
    await expect(call(source, QUERY)).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(silent.state.seen).toEqual([QUERY]);
    expect(healthy.state.seen).toEqual([]);
  });

  it('moves any fetch off an instance that refuses connections, leaves it alone for a while, then probes it again', async () => {
    const gone = await closedPortUrl();
    const healthy = await start('healthy');
    let clock = 1_000_000;
    const instances = new SubgraphInstances([gone.url, healthy.url], { downMs: 5000, now: () => clock });
    const source = new SubgraphDataSource({ name: 'documents', url: gone.url, instances, secret: 's', timeoutMs: 10_000 });
    // a refused connection reached nothing: even a mutation goes on to the other instance
    expect((await call(source, MUTATION)).data).toEqual({ from: 'healthy' });
    const [down] = instances.instances;
    expect(instances.isDown(down)).toBe(true);
    for (let i = 0; i < 4; i += 1) expect((await call(source, QUERY)).data).toEqual({ from: 'healthy' });
    expect(healthy.state.seen).toHaveLength(5);

    // back on its port, but still marked down until its time has passed
    const back = await start('back', 'answer', gone.port);
    expect((await call(source, QUERY)).data).toEqual({ from: 'healthy' });
    expect(back.state.seen).toEqual([]);
    clock += 5001;
    const after: string[] = [];
    for (let i = 0; i < 4; i += 1) after.push(((await call(source, QUERY)).data as { from: string }).from);
    expect(after).toContain('back');
    expect(instances.isDown(down)).toBe(false);
  });

  it('reports the subgraph unavailable when every instance refuses, after one retry', async () => {
    const first = await closedPortUrl();
    const second = await closedPortUrl();
    const source = new SubgraphDataSource({ name: 'documents', url: first.url, urls: [first.url, second.url], secret: 's', timeoutMs: 10_000 });
    await expect(call(source, QUERY)).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE', service: 'documents' } });
    expect(source.instances.instances.every((one) => source.instances.isDown(one))).toBe(true);
    // all down: still tried (the one back first), so a restarted subgraph answers at once
    const back = await start('back', 'answer', second.port);
    expect((await call(source, QUERY)).data).toEqual({ from: 'back' });
    expect(back.state.seen).toHaveLength(1);
  });
});
