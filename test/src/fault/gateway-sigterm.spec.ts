import http from 'node:http';
import net from 'node:net';
import { JWT_SECRET, startStack, SUBGRAPH_NAMES, type Stack } from '../support/stack';
import { freePort, isListening, recordFigures, startNode, waitHealthy, type NodeProcess } from '../support/processes';
import { eventually, scaled } from '../support/timing';

/**
 * SIGTERM to the gateway (its own process, from its build) while requests are in flight: every request it
 * accepted completes with its full answer, new connections are refused, and it exits 0. Requests are held
 * in flight by a proxy in front of the counterparties subgraph, so "in flight" is a fact, not a timing.
 */
const IN_FLIGHT = 12;

type Held = { release: () => void };

/** Forwards to `target`, holding every request until `release()`; counts what it holds. */
function holdingProxy(target: string) {
  const held: Held[] = [];
  let releasing = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const forward = async () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) headers[name] = value;
        const answer = await fetch(target, { method: req.method, headers, body: Buffer.concat(chunks) });
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await answer.arrayBuffer()));
      };
      if (releasing) void forward();
      else held.push({ release: () => void forward() });
    });
  });
  return {
    server,
    held: () => held.length,
    release: () => {
      releasing = true;
      held.splice(0).forEach((request) => request.release());
    },
  };
}


let stack: Stack;
let gateway: NodeProcess | null = null;
let proxy: ReturnType<typeof holdingProxy> | null = null;
afterAll(async () => {
  await gateway?.stop('SIGKILL');
  proxy?.server.close();
  await stack?.stop();
});

it('finishes every in-flight request after SIGTERM, refuses new connections and exits 0', async () => {
  stack = await startStack();
  const token = await stack.login('manager@kartoteka.local');
  proxy = holdingProxy(stack.subgraphs.counterparties.url);
  await new Promise<void>((resolve) => proxy!.server.listen(0, '127.0.0.1', resolve));
  const proxyPort = (proxy.server.address() as net.AddressInfo).port;

  const port = await freePort();
  const env: NodeJS.ProcessEnv = { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), JWT_SECRET, LOG_LEVEL: 'info', SUBGRAPH_TIMEOUT_MS: String(scaled(60_000)), SHUTDOWN_GRACE_MS: String(scaled(60_000)) };
  for (const name of SUBGRAPH_NAMES) {
    env[`${name.toUpperCase()}_URL`] = name === 'counterparties' ? `http://127.0.0.1:${proxyPort}/graphql` : stack.subgraphs[name].url;
    env[`${name.toUpperCase()}_SECRET`] = stack.subgraphs[name].secret;
  }
  gateway = startNode('gateway', 'gateway/dist/main.js', env);
  await waitHealthy(gateway, `http://127.0.0.1:${port}/health/ready`);
  const url = `http://127.0.0.1:${port}/graphql`;
  const query = (n: number) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: `query Page${n} { counterparties(first: 5) { totalCount } }` }) }).then(
      async (response) => ({ status: response.status, body: (await response.json()) as { data?: { counterparties?: { totalCount: number } }; errors?: unknown[] } }),
      (error: unknown) => ({ status: 0, body: { errors: [String(error)] } as { data?: { counterparties?: { totalCount: number } }; errors?: unknown[] } }),
    );

  const inFlight = Array.from({ length: IN_FLIGHT }, (_, n) => query(n));
  await eventually(async () => proxy!.held() === IN_FLIGHT, `${IN_FLIGHT} requests held in flight`);

  const sigtermAt = Date.now();
  gateway.child.kill('SIGTERM');
  // draining: the listener closes (new connections are refused) while the accepted requests still wait
  await eventually(async () => !(await isListening(port)), 'the gateway stops accepting connections');
  expect(gateway.child.exitCode).toBeNull();
  const refusedAfterSigterm = await query(IN_FLIGHT);
  expect(refusedAfterSigterm.status).toBe(0);

  proxy.release();
  const results = await Promise.all(inFlight);
  const exitCode = await gateway.exited;
  const drainMs = Date.now() - sigtermAt;
  const completed = results.filter((result) => result.status === 200 && !result.body.errors && typeof result.body.data?.counterparties?.totalCount === 'number').length;
  recordFigures('gateway-sigterm', { inFlightAtSigterm: IN_FLIGHT, completed, dropped: IN_FLIGHT - completed, newConnectionsAfterSigterm: 'refused', exitCode, drainMs });
  expect(results.filter((result) => result.status !== 200 || result.body.errors)).toEqual([]);
  expect(completed).toBe(IN_FLIGHT);
  expect(exitCode).toBe(0);
  expect(gateway.output()).toMatch(/finishing in-flight requests/);
});
