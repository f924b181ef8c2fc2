import { spawn } from 'node:child_process';
import http from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, ROOT, waitHealthy, type NodeProcess } from '../support/processes';
import { JWT_SECRET, SUBGRAPH_NAMES, type Stack, type SubgraphName } from '../support/stack';

/**
 * The stack as production runs it, for the CPU figures: every subgraph and the gateway as its own OS process
 * started from its build (`dist`), on the databases an in-process stack prepared (migrations, seeds), so the CPU
 * each one spends can be read from /proc apart from the others and from the load generator.
 */
export type ProcessStack = {
  gatewayUrl: string;
  processes: NodeProcess[];
  /** Where each subgraph process listens (its /graphql), and the node options they run with. */
  subgraphUrls: Record<SubgraphName, string>;
  nodeArgs: string[];
  stop: () => Promise<void>;
};

/**
 * The node options every service and the gateway run with in production: scripts/start.mjs and the images
 * (deploy/docker/*.Dockerfile, NODE_OPTIONS) set the same, so the benchmarks measure what production runs.
 * Why: RSS under load is almost all V8 heap (external memory and buffers stay near 4 MiB), and node's defaults size
 * it far above the 40–70 MiB each process keeps alive: 32 MiB of young generation (two 16 MiB semi-spaces), and an
 * old generation allowed to grow to 4× its live size before a full collection (a limit of GiBs selects V8's
 * largest heap-growing factor; 256 MiB selects its smallest, 1.3×). `pnpm bench:soak` checks the result;
 * BENCH_SOAK_COMPARE=1 measures these options against node's defaults (RSS and CPU-ms per card) in one run.
 */
export const PRODUCTION_NODE_FLAGS: string[] = ['--max-semi-space-size=8', '--max-old-space-size=256'];

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) of a process in milliseconds, or null when it is gone. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces: fields count from after its closing parenthesis
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Resident set size of a process in MiB, or null when it is gone. */
export function processRssMb(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** The PostgreSQL backends serving `databases` (pids from pg_stat_activity, read through `client`). */
export async function backendPids(client: Client, databases: string[]): Promise<number[]> {
  const result = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = any($1) and pid <> pg_backend_pid()', [databases]);
  return result.rows.map((row) => row.pid);
}

/** Reads a set of processes' CPU before and after some work. Backends started meanwhile count in full. */
export class CpuMeter {
  private readonly start = new Map<number, number>();

  constructor(private readonly pids: () => Promise<number[]> | number[]) {}

  async begin(): Promise<void> {
    this.start.clear();
    for (const pid of await this.pids()) this.start.set(pid, processCpuMs(pid) ?? 0);
  }

  /** CPU-ms spent since begin() by the processes alive now (those gone meanwhile are lost, rarely any). */
  async end(): Promise<number> {
    let total = 0;
    for (const pid of new Set([...this.start.keys(), ...(await this.pids())])) {
      const now = processCpuMs(pid);
      if (now !== null) total += now - (this.start.get(pid) ?? 0);
    }
    return total;
  }
}

function databaseName(url: string): string {
  return new URL(url).pathname.slice(1);
}

/** The databases of the subgraphs and of the event bus that `stack` prepared. */
export function stackDatabases(stack: Stack): string[] {
  return [...SUBGRAPH_NAMES.map((name) => databaseName(stack.subgraphs[name].database.url)), databaseName(stack.eventBusUrl)];
}

/**
 * Stops the in-process servers of `stack` (their databases stay) and starts the same subgraphs and the gateway
 * as separate processes on them, with the same secrets. The in-process `stack.stop()` still drops the databases.
 */
export async function startProcessStack(stack: Stack, options: { logLevel?: string; nodeArgs?: string[] } = {}): Promise<ProcessStack> {
  await stack.gateway.stop();
  await Promise.all(SUBGRAPH_NAMES.map((name) => stack.subgraphs[name].stop()));
  const logLevel = options.logLevel ?? 'info';
  const nodeArgs = [
    ...(options.nodeArgs ?? PRODUCTION_NODE_FLAGS),
    // BENCH_NODE_ARGS: extra node options for every process (e.g. `--heapsnapshot-signal=SIGUSR2`, or other V8 flags to compare)
    ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
    // BENCH_CPU_PROF=<dir>: every process writes a V8 CPU profile there when it stops (open in Chrome DevTools)
    ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
  ];
  // output kept bounded (the last 100 kB): a long run under load logs far more than a test needs to show
  const start = (name: string, file: string, env: NodeJS.ProcessEnv) => startNodeWithArgs(name, file, env, nodeArgs);
  const ports = Object.fromEntries(await Promise.all(SUBGRAPH_NAMES.map(async (name) => [name, await freePort()] as const))) as Record<SubgraphName, number>;
  const processes: NodeProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((child) => child.stop('SIGTERM')));
  };
  try {
    await Promise.all(
      SUBGRAPH_NAMES.map(async (name) => {
        const child = start(name, `services/${name}/dist/main.js`, {
          NODE_ENV: 'production',
          HOST: '127.0.0.1',
          PORT: String(ports[name]),
          DATABASE_URL: stack.subgraphs[name].database.url,
          EVENT_BUS_URL: stack.eventBusUrl,
          GATEWAY_SECRET: stack.subgraphs[name].secret,
          LOG_LEVEL: logLevel,
          ...(name === 'identity' ? { JWT_SECRET } : {}),
          ...(name === 'documents' ? { FILES_DIR: stack.filesDir, SMTP_URL: '' } : {}),
          ...(name === 'mailings' ? { UNSUBSCRIBE_SECRET: 'bench-unsubscribe-secret-0123456789abcdef' } : {}),
        });
        processes.push(child);
        await waitHealthy(child, `http://127.0.0.1:${ports[name]}/health/ready`);
      }),
    );
    const gatewayPort = await freePort();
    const gateway = start('gateway', 'gateway/dist/main.js', {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(gatewayPort),
      JWT_SECRET,
      LOG_LEVEL: logLevel,
      RATE_LIMIT_USER_PER_MINUTE: '0',
      RATE_LIMIT_API_KEY_PER_MINUTE: '0',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
      ...Object.fromEntries(
        SUBGRAPH_NAMES.flatMap((name) => [
          [`${name.toUpperCase()}_URL`, `http://127.0.0.1:${ports[name]}/graphql`],
          [`${name.toUpperCase()}_SECRET`, stack.subgraphs[name].secret],
        ]),
      ),
    });
    processes.push(gateway);
    await waitHealthy(gateway, `http://127.0.0.1:${gatewayPort}/health/ready`);
    const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, `http://127.0.0.1:${ports[name]}/graphql`])) as Record<SubgraphName, string>;
    return { gatewayUrl: `http://127.0.0.1:${gatewayPort}/graphql`, processes, subgraphUrls, nodeArgs, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The peer gateway (test/src/bench/peer-gateway.mjs: Hive Gateway on the committed supergraph) as one more process
 * over the subgraph processes of `processes`, with the same node options; its version for the report. Not one of
 * `processes.processes` (the stack's goals are not its): the caller stops it.
 */
export async function startPeerGateway(stack: Stack, processes: ProcessStack): Promise<{ url: string; process: NodeProcess; version: string }> {
  const port = await freePort();
  const child = startNodeWithArgs('peer gateway', 'test/src/bench/peer-gateway.mjs', {
    NODE_ENV: 'production',
    PORT: String(port),
    JWT_SECRET,
    SUPERGRAPH: join(ROOT, 'gateway', 'supergraph.graphql'),
    ...Object.fromEntries(
      SUBGRAPH_NAMES.flatMap((name) => [
        [`${name.toUpperCase()}_URL`, processes.subgraphUrls[name]],
        [`${name.toUpperCase()}_SECRET`, stack.subgraphs[name].secret],
      ]),
    ),
  }, processes.nodeArgs);
  try {
    await waitHealthy(child, `http://127.0.0.1:${port}/healthcheck`);
  } catch (error) {
    await child.stop('SIGKILL');
    throw new Error(`the peer gateway did not start: ${String(error)}\n${child.output()}`);
  }
  const manifest = JSON.parse(readFileSync(require.resolve('@graphql-hive/gateway-runtime/package.json'), 'utf8')) as { version: string };
  return { url: `http://127.0.0.1:${port}/graphql`, process: child, version: manifest.version };
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path)
    .filter((entry) => entry !== '__tests__' && !entry.endsWith('.spec.ts'))
    .reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), 0);
}

/** The packages whose build (`dist`) is older than their sources: the processes would run old code (`pnpm build`). */
export function staleBuilds(): string[] {
  const packages = [...SUBGRAPH_NAMES.map((name) => `services/${name}`), 'services/kit', 'gateway'];
  return packages.filter((pkg) => {
    const built = join(ROOT, pkg, 'dist');
    return !existsSync(built) || newestMtime(join(ROOT, pkg, 'src')) > newestMtime(built);
  });
}

/** support's startNode with node options (e.g. --cpu-prof, which NODE_OPTIONS does not take), its output bounded. */
/** Settings a benchmark run may vary on purpose (e.g. `DATABASE_PREPARED_STATEMENTS=off` for a before/after). */
function passedThrough(): NodeJS.ProcessEnv {
  return process.env.DATABASE_PREPARED_STATEMENTS ? { DATABASE_PREPARED_STATEMENTS: process.env.DATABASE_PREPARED_STATEMENTS } : {};
}

function startNodeWithArgs(name: string, file: string, env: NodeJS.ProcessEnv, nodeArgs: string[]): NodeProcess {
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, file)], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...passedThrough(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk).slice(-100_000)));
  child.stderr?.on('data', (chunk) => (output += String(chunk).slice(-100_000)));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
  return {
    name,
    child,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs `run` from `concurrency` clients at once for `durationMs`; the number of calls completed. */
/**
 * A GraphQL client for load: one POST over a pool of kept-alive connections (at most `connections`), the body
 * serialised once, every answer read whole and parsed, and failed unless it has data and no errors. What a load tool
 * (wrk, autocannon) does; `fetch` (undici's WHATWG streams) cost the bench process about as much CPU per card as the
 * gateway, on the same two cores as the stack it measures.
 */
export function graphqlLoadClient(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>, connections: number): { request: () => Promise<void>; close: () => void } {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const body = JSON.stringify({ query, variables });
  const options: http.RequestOptions = {
    host: target.hostname,
    port: target.port,
    path: target.pathname,
    method: 'POST',
    agent,
    headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  };
  const request = () =>
    new Promise<void>((resolve, reject) => {
      const outgoing = http.request(options, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          try {
            const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: unknown; errors?: unknown };
            if (response.statusCode !== 200 || answer.errors || !answer.data) reject(new Error(`HTTP ${response.statusCode}: ${JSON.stringify(answer.errors ?? answer)}`));
            else resolve();
          } catch (error) {
            reject(error);
          }
        });
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  return { request, close: () => agent.destroy() };
}

export async function underLoad(concurrency: number, durationMs: number, run: () => Promise<unknown>): Promise<number> {
  const until = Date.now() + durationMs;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        await run();
        done += 1;
      }
    }),
  );
  return done;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
