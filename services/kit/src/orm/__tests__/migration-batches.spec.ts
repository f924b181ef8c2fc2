import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { Client } from 'pg';
import { migrateUp } from '../migration-cli';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';

@Entity({ tableName: 'batch_probes' })
class BatchProbe {
  @PrimaryKey({ type: 'int' }) id!: number;
  @Property({ type: 'string' }) name!: string;
}

class Migration00000000000001 extends Migration {
  async up(): Promise<void> {
    this.addSql('create table batch_probes (id int primary key, name text not null)');
    this.addSql(`insert into batch_probes select n, 'row ' || n from generate_series(1, 100) as n`);
  }
}

/** Builds an index without blocking writes: PostgreSQL refuses this inside a transaction. */
class Migration00000000000002 extends Migration {
  override isTransactional(): boolean {
    return false;
  }

  async up(): Promise<void> {
    this.addSql('create index concurrently if not exists batch_probes_name_index on batch_probes (name)');
  }
}

class Migration00000000000003 extends Migration {
  async up(): Promise<void> {
    this.addSql('alter table batch_probes add column note text');
  }
}

/** Fails halfway: its first statement must not stay applied. */
class Migration00000000000004 extends Migration {
  async up(): Promise<void> {
    this.addSql('alter table batch_probes add column half text');
    this.addSql('select * from batch_probes_missing');
  }
}

const migrations = [
  { name: 'Migration00000000000001', class: Migration00000000000001 },
  { name: 'Migration00000000000002', class: Migration00000000000002 },
  { name: 'Migration00000000000003', class: Migration00000000000003 },
];
const definition = { service: 'batchprobe', entities: [BatchProbe], migrationsList: migrations };

let database: TestDatabase;
let client: Client;
beforeAll(async () => {
  database = await createTestDatabase('migration_batches');
  client = new Client({ connectionString: database.url });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await database.drop();
});

const columns = async () =>
  (await client.query<{ column_name: string }>(`select column_name from information_schema.columns where table_name = 'batch_probes' order by ordinal_position`)).rows.map((row) => row.column_name);

it('applies a non-transactional migration (create index concurrently) on its own, after the migrations before it committed, on a fresh database', async () => {
  expect(await migrateUp(definition, database.url)).toEqual(['Migration00000000000001', 'Migration00000000000002', 'Migration00000000000003']);
  const index = await client.query<{ valid: boolean }>(`select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = 'batch_probes_name_index'`);
  expect(index.rows).toEqual([{ valid: true }]);
  expect(await columns()).toEqual(['id', 'name', 'note']);
  const recorded = await client.query<{ name: string }>('select name from mikro_orm_migrations order by id');
  expect(recorded.rows.map((row) => row.name)).toEqual(migrations.map((migration) => migration.name));
  // nothing pending: a second run applies nothing
  expect(await migrateUp(definition, database.url)).toEqual([]);
});

it('a failing migration leaves its run of transactional migrations unapplied and unrecorded', async () => {
  const failing = { ...definition, migrationsList: [...migrations, { name: 'Migration00000000000004', class: Migration00000000000004 }] };
  await expect(migrateUp(failing, database.url)).rejects.toThrow(/batch_probes_missing/);
  expect(await columns()).toEqual(['id', 'name', 'note']);
  const recorded = await client.query('select 1 from mikro_orm_migrations where name = $1', ['Migration00000000000004']);
  expect(recorded.rowCount).toBe(0);
});
