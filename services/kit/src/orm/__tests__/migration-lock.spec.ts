import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { Client } from 'pg';
import { migrateUp } from '../migration-cli';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';

@Entity({ tableName: 'lock_probes' })
class LockProbe {
  @PrimaryKey({ type: 'int' }) id!: number;
  @Property({ type: 'string' }) name!: string;
}

/** A migration slow enough that two instances starting together overlap in it. */
class Migration00000000000001 extends Migration {
  async up(): Promise<void> {
    this.addSql('create table lock_probes (id int primary key, name text not null)');
    this.addSql('select pg_sleep(0.5)');
    this.addSql(`insert into lock_probes values (1, 'first')`);
  }
}

const definition = { service: 'lockprobe', entities: [LockProbe], migrationsList: [{ name: 'Migration00000000000001', class: Migration00000000000001 }] };

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('migration_lock');
});
afterAll(() => database.drop());

it('two instances migrating one database at once apply each migration exactly once, both succeed', async () => {
  const results = await Promise.all([migrateUp(definition, database.url), migrateUp(definition, database.url)]);
  // one applied it, the other found nothing pending once it got the lock
  expect(results.map((applied) => applied.length).sort()).toEqual([0, 1]);
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    expect((await client.query('select name from lock_probes')).rows).toEqual([{ name: 'first' }]);
    // the lock is released (pg_locks is server-wide: only this database's migration locks count)
    const held = await client.query(
      `select count(*)::int as n from pg_locks where locktype = 'advisory' and classid = $1 and database = (select oid from pg_database where datname = current_database())`,
      [0x4d494752],
    );
    expect(held.rows[0].n).toBe(0);
  } finally {
    await client.end();
  }
});
