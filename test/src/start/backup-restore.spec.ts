import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createLogger, DEMO_USERS, startSubgraphServer, type RunningSubgraph, type SubgraphDefinition } from '@kartoteka/kit';
import { postGraphQL, testServerUrl } from '@kartoteka/kit/testing';
import { identitySubgraph } from '../../../services/identity/src/subgraph';
import { counterpartiesSubgraph } from '../../../services/counterparties/src/subgraph';
import { defaultDocumentsSettings } from '../../../services/documents/src/config';
import { documentsSubgraph } from '../../../services/documents/src/subgraph';
import { defaultDealsSettings } from '../../../services/deals/src/config';
import { dealsSubgraph } from '../../../services/deals/src/subgraph';
import { defaultFinanceSettings } from '../../../services/finance/src/config';
import { financeSubgraph } from '../../../services/finance/src/subgraph';
import { defaultMailingsSettings } from '../../../services/mailings/src/config';
import { mailingsSubgraph } from '../../../services/mailings/src/subgraph';
import { loadConfig as loadGatewayConfig } from '../../../gateway/src/config';
import { startGateway, type RunningGateway } from '../../../gateway/src/gateway-server';
import { CARD_QUERY, CREATE_COUNTERPARTY, CREATE_DEAL, CREATE_DOCUMENT, legalEntityInput } from '../support/fixtures';
import { ROOT } from '../support/processes';
import { JWT_SECRET, startStack, SUBGRAPH_NAMES, type Stack, type SubgraphName } from '../support/stack';
import { TEST_SUBGRAPH_TIMEOUT_MS } from '../support/timing';

/**
 * Backup and restore of every database (scripts/backup.mjs, scripts/restore.mjs): data created through the
 * gateway, all databases dumped with pg_dump -Fc, the databases dropped, restored with pg_restore, and then the
 * same rows and schema in every database, and the same card read through a fresh stack on the restored databases.
 */

const MANAGER = DEMO_USERS.find((user) => user.email === 'manager@kartoteka.local')!;
const DATABASES = [...SUBGRAPH_NAMES, 'events'] as const;
type DatabaseName = (typeof DATABASES)[number];

/** Content of a database: per table its rows (as JSON, in a stable order), and the schema (columns, indexes). */
async function contentOf(url: string): Promise<Record<string, string>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = (await client.query<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)).rows.map((row) => row.table_name);
    const content: Record<string, string> = {};
    for (const table of tables) {
      const { rows } = await client.query<{ n: string; digest: string | null }>(`select count(*)::text as n, md5(string_agg(to_jsonb(r)::text, ',' order by to_jsonb(r)::text)) as digest from "${table}" r`);
      content[table] = `${rows[0].n}:${rows[0].digest ?? ''}`;
    }
    const columns = await client.query<{ d: string }>(`select md5(string_agg(table_name || '.' || column_name || ':' || data_type || ':' || is_nullable || ':' || coalesce(column_default, ''), ',' order by table_name, column_name)) as d from information_schema.columns where table_schema = 'public'`);
    const indexes = await client.query<{ d: string }>(`select md5(string_agg(indexdef, ',' order by indexdef)) as d from pg_indexes where schemaname = 'public'`);
    content['(columns)'] = columns.rows[0].d;
    content['(indexes)'] = indexes.rows[0].d;
    return content;
  } finally {
    await client.end();
  }
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const databaseName = (url: string) => new URL(url).pathname.slice(1);
const exists = (url: string) => admin(async (client) => (await client.query('select 1 from pg_database where datname = $1', [databaseName(url)])).rowCount === 1);

function script(name: 'backup' | 'restore', args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', `${name}.mjs`), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

type FreshStack = { gatewayUrl: string; stop: () => Promise<void> };

/** The services and the gateway started anew on existing (restored) databases: nothing migrated, nothing seeded. */
async function startOn(urls: Record<DatabaseName, string>, filesDir: string): Promise<FreshStack> {
  const eventBusUrl = urls.events;
  const documents = defaultDocumentsSettings({ eventBusUrl });
  const definitions: Record<SubgraphName, SubgraphDefinition> = {
    identity: identitySubgraph({ jwtSecret: JWT_SECRET, jwtTtlSeconds: 3600, eventBusUrl }),
    counterparties: counterpartiesSubgraph({ eventBusUrl }),
    documents: documentsSubgraph({ ...documents, files: { ...documents.files, dir: filesDir } }),
    deals: dealsSubgraph(defaultDealsSettings({ eventBusUrl })),
    finance: financeSubgraph(defaultFinanceSettings({ eventBusUrl })),
    mailings: mailingsSubgraph(defaultMailingsSettings({ eventBusUrl })),
  };
  const secrets = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, randomBytes(24).toString('hex')])) as Record<SubgraphName, string>;
  const subgraphs: RunningSubgraph[] = [];
  let gateway: RunningGateway | null = null;
  const stop = async () => {
    await gateway?.stop();
    await Promise.all(subgraphs.map((subgraph) => subgraph.stop()));
  };
  try {
    for (const name of SUBGRAPH_NAMES) {
      const config = { service: name, production: false, host: '127.0.0.1', port: 0, databaseUrl: urls[name], gatewaySecret: secrets[name], logLevel: 'silent', shutdownGraceMs: 2000 };
      subgraphs.push(await startSubgraphServer(definitions[name], config, { logger: createLogger(name, 'silent') }));
    }
    const env: NodeJS.ProcessEnv = { NODE_ENV: 'production', PORT: '0', JWT_SECRET, LOG_LEVEL: 'silent', SUBGRAPH_TIMEOUT_MS: String(TEST_SUBGRAPH_TIMEOUT_MS), RATE_LIMIT_USER_PER_MINUTE: '1000000', RATE_LIMIT_API_KEY_PER_MINUTE: '1000000', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000' };
    SUBGRAPH_NAMES.forEach((name, i) => {
      env[`${name.toUpperCase()}_URL`] = subgraphs[i].url;
      env[`${name.toUpperCase()}_SECRET`] = secrets[name];
    });
    gateway = await startGateway(loadGatewayConfig(env), { logger: createLogger('gateway', 'silent') });
    return { gatewayUrl: gateway.url, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

async function login(gatewayUrl: string, email: string): Promise<string> {
  const password = DEMO_USERS.find((user) => user.email === email)!.password;
  const result = await postGraphQL<{ login: { token: string } }>(gatewayUrl, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: password });
  if (!result.data?.login.token) throw new Error(`login failed: ${JSON.stringify(result.errors)}`);
  return result.data.login.token;
}

let stack: Stack | null = null;
let urls: Record<DatabaseName, string>;
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kartoteka-backup-'));
  stack = await startStack();
  urls = { ...(Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, stack!.subgraphs[name].database.url])) as Record<SubgraphName, string>), events: stack.eventBusUrl };
});

afterAll(async () => {
  await stack?.stop().catch(() => undefined);
  // the restored databases (stack.stop dropped the originals before they were restored under the same names)
  await admin(async (client) => {
    for (const url of Object.values(urls ?? {})) await client.query(`drop database if exists "${databaseName(url)}" with (force)`);
  });
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('backup and restore of every database', () => {
  it('round-trips all databases through pg_dump -Fc and pg_restore: same rows, same schema, same card through a fresh stack', async () => {
    const s = stack!;
    // data in every service, created through the gateway
    const token = await s.login(MANAGER.email);
    const created = await s.call<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput({ name: 'ООО «Резервная Копия»', responsibleManagerId: MANAGER.id }) }, token);
    const id = created.data?.createCounterparty.id;
    if (!id) throw new Error(JSON.stringify(created.errors));
    const document = await s.call(CREATE_DOCUMENT, { input: { type: 'INVOICE', counterpartyId: id, title: 'Счёт № 1', date: '2026-11-01', amountMinor: 123_45, currency: 'RUB', invoice: { dueDate: '2026-11-15' } } }, token);
    const deal = await s.call(CREATE_DEAL, { input: { title: 'Поставка бумаги', counterpartyId: id, amountMinor: 1_000_00, currency: 'RUB' } }, token);
    expect([document.errors, deal.errors]).toEqual([undefined, undefined]);
    await s.settle();
    const card = await s.call<{ counterparty: Record<string, unknown> }>(CARD_QUERY, { id }, token);
    expect(card.errors).toBeUndefined();
    expect(card.data?.counterparty).toMatchObject({ name: 'ООО «Резервная Копия»', documents: { totalCount: 1 }, deals: { totalCount: 1 } });

    // quiet: no request and no background worker writes while the content is read and dumped
    await s.gateway.stop();
    await Promise.all(SUBGRAPH_NAMES.map((name) => s.subgraphs[name].stop()));
    const before = Object.fromEntries(await Promise.all(DATABASES.map(async (name) => [name, await contentOf(urls[name])] as const)));
    expect(Object.keys(before.counterparties).length).toBeGreaterThan(3);

    const folder = join(work, 'backup');
    const backup = script('backup', ['--out', folder, ...DATABASES.flatMap((name) => ['--database', `${name}=${urls[name]}`])]);
    expect({ status: backup.status, stderr: backup.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    expect(backup.stdout.trim()).toBe(folder);
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as { format: string; databases: { name: string; database: string; file: string; bytes: number; sha256: string; pgDumpMajor: number }[] };
    expect(manifest.format).toBe('kartoteka-backup/1');
    expect(manifest.databases.map((entry) => entry.name)).toEqual([...DATABASES]);
    for (const entry of manifest.databases) {
      expect(entry.bytes).toBeGreaterThan(0);
      // pg_dump's custom format
      expect(readFileSync(join(folder, entry.file)).subarray(0, 5).toString('latin1')).toBe('PGDMP');
    }

    // drop every database (the stack's own teardown), then restore them all
    await s.stop();
    stack = null;
    for (const name of DATABASES) expect(await exists(urls[name])).toBe(false);
    const databaseArgs = DATABASES.flatMap((name) => ['--database', `${name}=${urls[name]}`]);
    const restore = script('restore', [folder, ...databaseArgs]);
    expect({ status: restore.status, stderr: restore.stderr }).toEqual({ status: 0, stderr: expect.any(String) });

    const after = Object.fromEntries(await Promise.all(DATABASES.map(async (name) => [name, await contentOf(urls[name])] as const)));
    expect(after).toEqual(before);
    // and plainly, in SQL
    const row = await (async () => {
      const client = new Client({ connectionString: urls.counterparties });
      await client.connect();
      try {
        return (await client.query<{ name: string }>('select name from counterparties where id = $1', [id])).rows[0];
      } finally {
        await client.end();
      }
    })();
    expect(row).toEqual({ name: 'ООО «Резервная Копия»' });

    // the product reads it back: a fresh stack on the restored databases, a new login, the same card
    const fresh = await startOn(urls, join(work, 'files'));
    try {
      const freshToken = await login(fresh.gatewayUrl, MANAGER.email);
      const again = await postGraphQL<{ counterparty: Record<string, unknown> }>(fresh.gatewayUrl, CARD_QUERY, { id }, { authorization: `Bearer ${freshToken}` });
      expect(again.errors).toBeUndefined();
      expect(again.data).toEqual(card.data);
    } finally {
      await fresh.stop();
    }
  });

  it('refuses to restore over a database that holds data unless told to, and --clean / --recreate replace it', async () => {
    const folder = join(work, 'backup');
    const databaseArgs = ['--database', `counterparties=${urls.counterparties}`];
    const expected = await contentOf(urls.counterparties);

    const refused = script('restore', [folder, ...databaseArgs]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/exists and holds \d+ tables; pass --clean or --recreate/);

    // a change made after the backup is undone by either way of replacing
    const change = async () => {
      const client = new Client({ connectionString: urls.counterparties });
      await client.connect();
      await client.query(`update counterparties set name = 'изменено после копии'`);
      await client.end();
    };
    await change();
    expect(await contentOf(urls.counterparties)).not.toEqual(expected);
    const clean = script('restore', [folder, '--clean', ...databaseArgs]);
    expect({ status: clean.status, stderr: clean.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    expect(await contentOf(urls.counterparties)).toEqual(expected);

    await change();
    const recreate = script('restore', [folder, '--recreate', ...databaseArgs]);
    expect({ status: recreate.status, stderr: recreate.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    expect(await contentOf(urls.counterparties)).toEqual(expected);
  });

  it('refuses a damaged dump before touching any database', async () => {
    const folder = join(work, 'backup');
    const damaged = join(work, 'damaged');
    spawnSync('cp', ['-r', folder, damaged]);
    const file = join(damaged, 'deals.dump');
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(file, bytes);
    const before = await contentOf(urls.counterparties);
    const result = script('restore', [damaged, '--recreate', '--database', `counterparties=${urls.counterparties}`, '--database', `deals=${urls.deals}`]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/deals\.dump: checksum differs/);
    // counterparties comes first and was left alone
    expect(await contentOf(urls.counterparties)).toEqual(before);
    expect(existsSync(join(damaged, 'manifest.json'))).toBe(true);
  });
});
