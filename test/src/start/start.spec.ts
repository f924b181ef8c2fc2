import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoFinanceCounterparties } from '@kartoteka/kit';
import { postGraphQL } from '@kartoteka/kit/testing';
import { CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { freePort, isListening, ROOT } from '../support/processes';
import { eventually, scaled } from '../support/timing';

/**
 * `pnpm start` as a new user runs it (after the build that `pnpm test` does first): embedded PostgreSQL,
 * migrations, demo data, all processes; Ctrl-C stops everything; a second start keeps the data.
 */

type StartPorts = Record<'gateway' | 'portal' | 'pg' | 'identity' | 'counterparties' | 'documents' | 'deals' | 'finance' | 'mailSink', number>;

async function freePorts(): Promise<StartPorts> {
  return { gateway: await freePort(), portal: await freePort(), pg: await freePort(), identity: await freePort(), counterparties: await freePort(), documents: await freePort(), deals: await freePort(), finance: await freePort(), mailSink: await freePort() };
}

/** `pnpm start` on its own ports, with the embedded PostgreSQL and the local mail sink. */
function startEnvOf(ports: StartPorts): NodeJS.ProcessEnv {
  return {
    KARTOTEKA_DATABASE_URL: '',
    KARTOTEKA_EMBEDDED_PG_PORT: String(ports.pg),
    GATEWAY_PORT: String(ports.gateway),
    PORTAL_PORT: String(ports.portal),
    IDENTITY_PORT: String(ports.identity),
    COUNTERPARTIES_PORT: String(ports.counterparties),
    DOCUMENTS_PORT: String(ports.documents),
    DEALS_PORT: String(ports.deals),
    FINANCE_PORT: String(ports.finance),
    KARTOTEKA_MAIL_SINK_PORT: String(ports.mailSink),
    SMTP_URL: '',
  };
}



type Started = { child: ChildProcess; output: () => string };

async function start(env: NodeJS.ProcessEnv, root = ROOT): Promise<Started> {
  // as a user would run it: production mode (jest sets NODE_ENV=test)
  const { NODE_ENV: _jestMode, ...inherited } = process.env;
  const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], { cwd: root, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`start did not finish in time:\n${output}`)), scaled(150_000));
    const check = setInterval(() => {
      if (output.includes('Kartoteka is running')) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`start exited with ${code}:\n${output}`));
    });
  });
  return { child, output: () => output };
}

async function stop(started: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  started.child.kill('SIGINT');
  return exited;
}

const dataDir = mkdtempSync(join(tmpdir(), 'kartoteka-start-'));
let running: Started | null = null;
afterAll(async () => {
  if (running && running.child.exitCode === null) await stop(running);
  rmSync(dataDir, { recursive: true, force: true });
});

it('starts the whole product with demo data from one command, stops cleanly and keeps the data', async () => {
  const ports = await freePorts();
  const env: NodeJS.ProcessEnv = { KARTOTEKA_DATA_DIR: dataDir, ...startEnvOf(ports) };
  const gatewayUrl = `http://127.0.0.1:${ports.gateway}/graphql`;
  const login = async () => {
    const result = await postGraphQL<{ login: { token: string } }>(gatewayUrl, 'mutation { login(email: "admin@kartoteka.local", password: "admin") { token } }');
    return result.data!.login.token;
  };
  const count = async (token: string) => {
    const result = await postGraphQL<{ counterparties: { totalCount: number } }>(gatewayUrl, '{ counterparties(first: 1) { totalCount } }', {}, { authorization: `Bearer ${token}` });
    return result.data!.counterparties.totalCount;
  };

  running = await start(env);
  expect(running.output()).toContain(`Portal   http://127.0.0.1:${ports.portal}/`);
  expect(running.output()).toContain(`Gateway  ${gatewayUrl}`);
  expect(running.output()).toContain('admin@kartoteka.local    / admin');
  expect(running.output()).toMatch(/62 demo counterparties/);
  expect(running.output()).toMatch(/documents: \d{3,} demo documents/);

  const token = await login();
  expect(await count(token)).toBe(62);
  const created = await postGraphQL(gatewayUrl, CREATE_COUNTERPARTY, { input: legalEntityInput() }, { authorization: `Bearer ${token}` });
  expect(created.errors).toBeUndefined();
  const portalPage = await fetch(`http://127.0.0.1:${ports.portal}/counterparties`);
  expect(portalPage.status).toBe(200);
  expect(await portalPage.text()).toContain('importmap');

  // The live EDMS demo: the lawyer has a contract waiting for approval.
  const lawyer = await postGraphQL<{ login: { token: string } }>(gatewayUrl, 'mutation { login(email: "approver@kartoteka.local", password: "approver") { token } }');
  const tasks = await postGraphQL<{ myApprovalTasks: { totalCount: number } }>(gatewayUrl, '{ myApprovalTasks(first: 5) { totalCount } }', {}, { authorization: `Bearer ${lawyer.data!.login.token}` });
  expect(tasks.data?.myApprovalTasks.totalCount).toBe(1);

  // The finance demo: a year of history reaches finance through documents' events; the client who always pays on
  // time ends up with an A, the one with a terminated contract with a D
  expect(running.output()).toMatch(/finance: demo history \(terms of \d+ contracts, \d+ payments/);
  const ratingOf = async (id: string) => {
    const result = await postGraphQL<{ counterparty: { rating: { grade: string | null } | null; finance: { contracts: unknown[] } } | null }>(
      gatewayUrl,
      'query($id: ID!) { counterparty(id: $id) { rating { grade } finance { contracts { contractId } } } }',
      { id },
      { authorization: `Bearer ${token}` },
    );
    return result.data?.counterparty ?? null;
  };
  const profiles = demoFinanceCounterparties();
  const onTime = profiles.find((counterparty) => counterparty.payment === 'ON_TIME')!;
  const terminated = profiles.find((counterparty) => counterparty.payment === 'TERMINATED')!;
  await eventually(async () => ((await ratingOf(onTime.id))?.rating?.grade === 'A' ? true : null), 'the on-time client is rated A', { timeoutMs: 120_000 });
  await eventually(async () => ((await ratingOf(terminated.id))?.rating?.grade === 'D' ? true : null), 'the client with a terminated contract is rated D', { timeoutMs: 120_000 });
  expect((await ratingOf(onTime.id))?.finance.contracts.length).toBeGreaterThan(0);

  expect(await stop(running)).toBe(0);
  for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);

  running = await start(env);
  expect(running.output()).toMatch(/counterparties exist, nothing seeded/);
  expect(await count(await login())).toBe(63);
  expect(await stop(running)).toBe(0);
}, scaled(300_000));

/**
 * A clone as a user has it after `pnpm install` and the build, placed at `target`: the working tree copied
 * (timestamps kept, so nothing looks stale), the root node_modules hard-linked (same files, no space).
 */
function cloneTo(target: string): void {
  mkdirSync(target);
  for (const entry of readdirSync(ROOT)) {
    if (['.git', '.data', 'node_modules', 'coverage'].includes(entry)) continue;
    const copied = spawnSync('cp', ['-a', join(ROOT, entry), join(target, entry)], { encoding: 'utf8' });
    if (copied.status !== 0) throw new Error(`copying ${entry}: ${copied.stderr}`);
  }
  const linked = spawnSync('cp', ['-al', join(ROOT, 'node_modules'), join(target, 'node_modules')], { encoding: 'utf8' });
  if (linked.status !== 0) throw new Error(`linking node_modules: ${linked.stderr}`);
  // as after `pnpm setup`: the build outputs are newer than the sources (here the build `pnpm test` just made;
  // rebuilding a stale working tree is the first test's business, not this one's)
  const now = new Date();
  for (const output of ['services/kit/dist/index.js', ...['identity', 'counterparties', 'documents', 'deals', 'finance', 'mailings'].map((name) => `services/${name}/dist/main.js`), 'gateway/dist/main.js', 'frontends/root-config/dist/index.html']) {
    utimesSync(join(target, output), now, now);
  }
}

async function exitOf(env: NodeJS.ProcessEnv, root: string): Promise<{ code: number | null; output: string }> {
  const { NODE_ENV: _jestMode, ...inherited } = process.env;
  const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], { cwd: root, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  return { code, output };
}

// Run as root (as CI does), PostgreSQL runs as the `postgres` user, which cannot enter a 0700 folder.
const asRoot = process.getuid?.() === 0;
(asRoot ? describe : describe.skip)('as root, from a clone in a folder only root may enter', () => {
  const closed = mkdtempSync(join(tmpdir(), 'kartoteka-closed-'));
  // where start.mjs keeps what the postgres user cannot reach (default /var/lib/kartoteka; here a throwaway)
  const shared = mkdtempSync(join(tmpdir(), 'kartoteka-shared-'));
  const clone = join(closed, 'kartoteka');
  let closedRun: Started | null = null;
  afterAll(async () => {
    if (closedRun && closedRun.child.exitCode === null) await stop(closedRun);
    rmSync(closed, { recursive: true, force: true });
    rmSync(shared, { recursive: true, force: true });
  });

  it('starts, keeps its data across restarts, and stops cleanly', async () => {
    chmodSync(closed, 0o700);
    chmodSync(shared, 0o755);
    cloneTo(clone);
    const ports = await freePorts();
    const env: NodeJS.ProcessEnv = {
      KARTOTEKA_POSTGRES_DIR: shared,
      KARTOTEKA_DEMO: 'false',
      ADMIN_EMAIL: 'root-admin@example.com',
      ADMIN_PASSWORD: 'a long enough password',
      ...startEnvOf(ports),
    };
    const gatewayUrl = `http://127.0.0.1:${ports.gateway}/graphql`;
    const login = async () => {
      const result = await postGraphQL<{ login: { token: string } }>(gatewayUrl, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: env.ADMIN_EMAIL, p: env.ADMIN_PASSWORD });
      if (!result.data?.login.token) throw new Error(`login failed: ${JSON.stringify(result.errors)}`);
      return result.data.login.token;
    };
    const count = async (token: string) => {
      const result = await postGraphQL<{ counterparties: { totalCount: number } }>(gatewayUrl, '{ counterparties(first: 1) { totalCount } }', {}, { authorization: `Bearer ${token}` });
      return result.data!.counterparties.totalCount;
    };

    closedRun = await start(env, clone);
    // the postgres user cannot enter the clone: its binaries and data live in the shared folder instead
    expect(closedRun.output()).toContain(`the postgres user cannot enter ${join(clone, '.data')}`);
    const clusters = readdirSync(shared).filter((name) => name.startsWith('data-'));
    expect(clusters).toHaveLength(1);
    expect(statSync(join(shared, clusters[0])).mode & 0o777).toBe(0o700);
    expect(readdirSync(shared).some((name) => name.startsWith('postgres-') && existsSync(join(shared, name, '.complete')))).toBe(true);
    const token = await login();
    expect(await count(token)).toBe(0);
    const created = await postGraphQL(gatewayUrl, CREATE_COUNTERPARTY, { input: legalEntityInput() }, { authorization: `Bearer ${token}` });
    if (created.errors) throw new Error(`${JSON.stringify(created.errors)}\n${readFileSync(join(clone, '.data', 'logs', 'counterparties.log'), 'utf8').split('\n').filter((line) => /"level":(40|50|60)/.test(line)).join('\n')}`);
    expect(await stop(closedRun)).toBe(0);

    // the same clone starts again on the same data
    closedRun = await start(env, clone);
    expect(readdirSync(shared).filter((name) => name.startsWith('data-'))).toEqual(clusters);
    expect(await count(await login())).toBe(1);
    expect(await stop(closedRun)).toBe(0);
    for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);
  }, scaled(300_000));

  it('stops with one sentence saying what to do when existing data became unreachable', async () => {
    // data made earlier in the clone's own data folder, which the postgres user can no longer enter
    mkdirSync(join(clone, '.data', 'postgres'), { recursive: true });
    writeFileSync(join(clone, '.data', 'postgres', 'PG_VERSION'), '18\n');
    const ports = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    const result = await exitOf(
      {
        KARTOTEKA_POSTGRES_DIR: shared,
        KARTOTEKA_DATABASE_URL: '',
        KARTOTEKA_EMBEDDED_PG_PORT: String(ports[0]),
        GATEWAY_PORT: String(ports[1]),
        PORTAL_PORT: String(ports[2]),
        IDENTITY_PORT: String(ports[3]),
        COUNTERPARTIES_PORT: String(ports[4]),
        DOCUMENTS_PORT: String(ports[5]),
        DEALS_PORT: String(ports[6]),
        KARTOTEKA_MAIL_SINK_PORT: String(ports[7]),
        FINANCE_PORT: String(ports[8]),
        SMTP_URL: '',
      },
      clone,
    );
    expect(result.code).toBe(1);
    const errors = result.output.split('\n').filter((line) => line.startsWith('[kartoteka]') && !/stopping|stopped/.test(line) && !line.includes('building'));
    expect(errors).toEqual([expect.stringMatching(/no longer reachable by the postgres user.*chmod o\+x.*KARTOTEKA_DATA_DIR/)]);
    expect(result.output).not.toMatch(/\n\s+at /); // no stack trace
  }, scaled(120_000));
});
