import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { OrmDefinition } from '../orm/orm-config';

export type TestDatabase = { url: string; name: string; drop: () => Promise<void> };

/** Server for tests: the machine's PostgreSQL unless TEST_DATABASE_URL points elsewhere. */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: testServerUrl() });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

function testDatabaseName(prefix: string): string {
  return `t_${prefix}_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

function testDatabase(name: string): TestDatabase {
  return {
    name,
    url: withDatabase(testServerUrl(), name),
    drop: () => withAdmin(async (client) => void (await client.query(`drop database if exists "${name}" with (force)`))),
  };
}

/**
 * Creates `name` from `template`. A throwaway database does not need its commits on disk before they return
 * (`synchronous_commit = off`: a crash of the test server loses the last moments, never consistency), which
 * spares every write-heavy spec a WAL flush per transaction.
 */
async function createFrom(admin: Client, name: string, template: string): Promise<void> {
  await admin.query(`create database "${name}" template "${template}" encoding 'UTF8'`);
  await admin.query(`alter database "${name}" set synchronous_commit = off`);
}

/** A throwaway database per test file (and worker), dropped afterwards. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = testDatabaseName(prefix);
  await withAdmin((admin) => createFrom(admin, name, 'template0'));
  return testDatabase(name);
}

/** Advisory-lock namespace of the template builds ("TMPL"), apart from the migrations' and jobs' locks. */
const TEMPLATE_LOCK_NAMESPACE = 0x544d504c;

/**
 * The name of the migrated template of a service's current migrations: a digest of every migration's name and
 * code, so an edited or added migration gets a template of its own and a stale one is never copied.
 */
export function migratedTemplateName(definition: Pick<OrmDefinition, 'service' | 'migrationsList'>): string {
  const digest = createHash('sha256');
  for (const migration of definition.migrationsList) digest.update(`${migration.name}\n${String(migration.class)}\n`);
  return `tpl_${definition.service.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${digest.digest('hex').slice(0, 16)}`;
}

/**
 * A throwaway database with the service's migrations applied, copied from a migrated template that the first
 * spec to need it builds (under an exclusive advisory lock, so parallel workers build it once) and every later one
 * copies under a shared lock: a copy is a file-level clone, far cheaper than running every migration again for
 * each spec. The template refuses connections once built (a database being copied must have none). Templates of
 * other migrations of the same service are dropped when a new one is built, unless a copy of one is under way.
 */
export async function createMigratedTestDatabase(
  definition: Pick<OrmDefinition, 'service' | 'migrationsList'>,
  migrate: (databaseUrl: string) => Promise<unknown>,
): Promise<TestDatabase> {
  const template = migratedTemplateName(definition);
  const name = testDatabaseName(definition.service);
  await withAdmin(async (admin) => {
    const lock = (kind: 'lock' | 'lock_shared' | 'unlock' | 'unlock_shared' | 'try_lock', database: string) =>
      // PostgreSQL spells the non-blocking one pg_try_advisory_lock (there is no pg_advisory_try_lock).
      admin.query<{ ok: string }>(`select ${kind === 'try_lock' ? 'pg_try_advisory_lock' : `pg_advisory_${kind}`}($1, hashtext($2))::text as ok`, [TEMPLATE_LOCK_NAMESPACE, database]);
    const ready = async (): Promise<boolean> => (await admin.query(`select 1 from pg_database where datname = $1 and datistemplate`, [template])).rowCount === 1;
    for (let attempt = 1; ; attempt += 1) {
      await lock('lock_shared', template);
      try {
        if (await ready()) {
          await createFrom(admin, name, template);
          return;
        }
      } finally {
        await lock('unlock_shared', template);
      }
      if (attempt > 5) throw new Error(`The migrated template ${template} was dropped five times while this spec waited for it`);
      await lock('lock', template);
      try {
        if (!(await ready())) {
          const building = `${template}_build`;
          await admin.query(`drop database if exists "${building}" with (force)`);
          await createFrom(admin, building, 'template0');
          await migrate(withDatabase(testServerUrl(), building));
          await admin.query(`drop database if exists "${template}" with (force)`);
          await admin.query(`alter database "${building}" rename to "${template}"`);
          await admin.query(`alter database "${template}" with is_template true allow_connections false`);
          const prefix = template.slice(0, template.lastIndexOf('_') + 1).replace(/_/g, '\\_');
          const stale = await admin.query<{ datname: string }>(`select datname from pg_database where datistemplate and datname like $1 and datname <> $2`, [`${prefix}%`, template]);
          for (const { datname } of stale.rows) {
            const [{ ok }] = (await lock('try_lock', datname)).rows;
            if (ok !== 'true') continue; // being copied right now: left for a later build
            try {
              await admin.query(`alter database "${datname}" with is_template false`);
              await admin.query(`drop database if exists "${datname}" with (force)`);
            } finally {
              await lock('unlock', datname);
            }
          }
        }
      } finally {
        await lock('unlock', template);
      }
    }
  });
  return testDatabase(name);
}
