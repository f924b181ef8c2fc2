import { DriverException, Entity, Property, TableNotFoundException } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { BaseEntity } from '../base.entity';
import { createOrmOptions } from '../orm-config';
import { preparedRows, preparedStatementName, preparedStatementsEnabled } from '../prepared-rows';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';

/** The ORM needs an entity; the statements below read the table with plain SQL. */
@Entity({ tableName: 'parts' })
class Part extends BaseEntity {
  @Property({ type: 'text' })
  name!: string;
}

let database: TestDatabase;
let orm: MikroORM;
const statements: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase('prepared_rows');
  // one pooled connection: every call below meets the statements that connection has prepared
  orm = await MikroORM.init(createOrmOptions({ service: 'prepared', entities: [Part], migrationsList: [] }, { databaseUrl: database.url, poolMax: 1, onQuery: (sql) => statements.push(sql) }));
  await orm.em.getConnection().execute(`create table parts (id uuid primary key, name text not null, position int not null, tags text[] not null default '{}', details jsonb not null default '{}')`);
  await orm.em.getConnection().execute(`insert into parts (id, name, position, tags, details) values
    ('00000000-0000-4000-8000-000000000001', 'первый', 1, '{a}', '{"k": 1}'),
    ('00000000-0000-4000-8000-000000000002', 'it''s ? second', 2, '{}', '{}'),
    ('00000000-0000-4000-8000-000000000003', 'third', 3, '{b,c}', '{"k": [3]}')`);
});

afterAll(async () => {
  await orm?.close(true);
  await database?.drop();
});

const SELECT_BY_IDS = 'select p.id, p.name, p.tags, p.details from unnest(?::uuid[]) as wanted(id) join parts p on p.id = wanted.id where p.position <= ? order by p.position';

/** The named statements the pool's one connection has prepared (read in a transaction: the same connection). */
async function prepared(): Promise<string[]> {
  const rows = await orm.em.fork().getConnection().execute<{ name: string }[]>('select name from pg_prepared_statements order by name');
  return rows.map((row) => row.name);
}

describe('preparedRows', () => {
  it('binds parameters (an array is one parameter), parses rows as em.execute does and logs the statement', async () => {
    statements.length = 0;
    const em = orm.em.fork();
    const ids = ['00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000ff'];
    const rows = await preparedRows<{ id: string; name: string; tags: string[]; details: unknown }>(em, SELECT_BY_IDS, [ids, 3]);
    expect(rows).toEqual([
      { id: '00000000-0000-4000-8000-000000000001', name: 'первый', tags: ['a'], details: { k: 1 } },
      { id: '00000000-0000-4000-8000-000000000003', name: 'third', tags: ['b', 'c'], details: { k: [3] } },
    ]);
    expect(rows).toEqual(await em.execute(SELECT_BY_IDS.replace('unnest(?::uuid[])', 'unnest(array[?]::uuid[])'), [ids, 3]));
    // a bound value is data, never SQL: a quote and a question mark in it change nothing
    expect(await preparedRows(em, 'select name from parts where name = ?', ["it's ? second"])).toEqual([{ name: "it's ? second" }]);
    expect(statements).toContain(SELECT_BY_IDS);
  });

  it('prepares a statement once per connection and reuses it', async () => {
    const em = orm.em.fork();
    const text = 'select count(*)::int as n from parts where position >= ?';
    const name = preparedStatementName(text);
    expect(name).toMatch(/^k\d+_[0-9a-f]{24}$/);
    expect(preparedStatementName(text)).toBe(name);
    expect(preparedStatementName(`${text} `)).not.toBe(name);
    expect(await prepared()).not.toContain(name);
    expect(await preparedRows(em, text, [2])).toEqual([{ n: 2 }]);
    expect(await prepared()).toContain(name);
    expect(await preparedRows(em, text, [1])).toEqual([{ n: 3 }]);
    expect((await prepared()).filter((each) => each === name)).toHaveLength(1);
  });

  it('runs in the transaction of the EntityManager', async () => {
    await orm.em.fork().transactional(async (em) => {
      await em.getConnection().execute(`insert into parts (id, name, position) values ('00000000-0000-4000-8000-000000000004', 'uncommitted', 4)`, [], 'run', em.getTransactionContext());
      expect(await preparedRows(em, 'select name from parts where position = ?', [4])).toEqual([{ name: 'uncommitted' }]);
      await em.getConnection().execute('delete from parts where position = 4', [], 'run', em.getTransactionContext());
    });
    expect(await preparedRows(orm.em.fork(), 'select name from parts where position = ?', [4])).toEqual([]);
  });

  it('prepares again when a schema change made a named plan stale', async () => {
    const em = orm.em.fork();
    const text = 'select * from parts where position = ?';
    expect(Object.keys((await preparedRows<Record<string, unknown>>(em, text, [1]))[0]).sort()).toEqual(['details', 'id', 'name', 'position', 'tags']);
    const before = preparedStatementName(text);
    await em.getConnection().execute('alter table parts add column note text');
    try {
      const [row] = await preparedRows<Record<string, unknown>>(em, text, [1]);
      expect(row).toMatchObject({ name: 'первый', note: null });
      expect(preparedStatementName(text)).not.toBe(before);
    } finally {
      await em.getConnection().execute('alter table parts drop column note');
    }
  });

  it("turns the driver's errors into the ORM's exceptions", async () => {
    const error = await preparedRows(orm.em.fork(), 'select * from missing_parts where id = ?', ['x']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TableNotFoundException);
    expect(error).toBeInstanceOf(DriverException);
  });

  it('can be turned off for poolers that cannot keep named statements', () => {
    expect(preparedStatementsEnabled({})).toBe(true);
    expect(preparedStatementsEnabled({ DATABASE_PREPARED_STATEMENTS: 'off' })).toBe(false);
    expect(preparedStatementsEnabled({ DATABASE_PREPARED_STATEMENTS: 'OFF' })).toBe(false);
    expect(preparedStatementsEnabled({ DATABASE_PREPARED_STATEMENTS: 'on' })).toBe(true);
  });
});
