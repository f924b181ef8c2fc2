import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postGraphQL } from '@kartoteka/kit/testing';
import { CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';

/**
 * `pnpm start` as a new user runs it (after the build that `pnpm test` does first): embedded PostgreSQL,
 * migrations, demo data, all processes; Ctrl-C stops everything; a second start keeps the data.
 */
const ROOT = join(__dirname, '..', '..', '..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

type Started = { child: ChildProcess; output: () => string };

async function start(env: NodeJS.ProcessEnv): Promise<Started> {
  // as a user would run it: production mode (jest sets NODE_ENV=test)
  const { NODE_ENV: _jestMode, ...inherited } = process.env;
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs')], { cwd: ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`start did not finish in time:\n${output}`)), 150_000);
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
  const ports = { gateway: await freePort(), portal: await freePort(), pg: await freePort(), identity: await freePort(), counterparties: await freePort(), documents: await freePort(), deals: await freePort(), mailSink: await freePort() };
  const env: NodeJS.ProcessEnv = {
    KARTOTEKA_DATA_DIR: dataDir,
    KARTOTEKA_DATABASE_URL: '',
    KARTOTEKA_EMBEDDED_PG_PORT: String(ports.pg),
    GATEWAY_PORT: String(ports.gateway),
    PORTAL_PORT: String(ports.portal),
    IDENTITY_PORT: String(ports.identity),
    COUNTERPARTIES_PORT: String(ports.counterparties),
    DOCUMENTS_PORT: String(ports.documents),
    DEALS_PORT: String(ports.deals),
    KARTOTEKA_MAIL_SINK_PORT: String(ports.mailSink),
    SMTP_URL: '',
  };
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

  expect(await stop(running)).toBe(0);
  for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);

  running = await start(env);
  expect(running.output()).toMatch(/counterparties exist, nothing seeded/);
  expect(await count(await login())).toBe(63);
  expect(await stop(running)).toBe(0);
}, 300_000);
