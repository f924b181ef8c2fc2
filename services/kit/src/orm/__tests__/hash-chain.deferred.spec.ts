import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { Pool, type PoolClient } from 'pg';
import { chainTimestampSql, CHAIN_FILL_SETTING, hashChainDeferredSql, hashChainSql, verifyHashChain, type HashChainSpec } from '../hash-chain';
import { createOrmOptions } from '../orm-config';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';

/** Only so that the ORM starts: the chained tables are made with raw SQL below. */
@Entity({ tableName: 'chain_probes' })
class ChainProbe {
  @PrimaryKey({ type: 'uuid' }) id!: string;
}

let database: TestDatabase;
let orm: MikroORM;
let pool: Pool;
let nextLockKey = 7_000_001;

function specOf(table: string): HashChainSpec {
  return {
    table,
    format: `kartoteka-${table}-v1`,
    lockKey: nextLockKey++,
    columns: [{ sql: 'r.id::text' }, { sql: 'r.n', kind: 'int' }, { sql: chainTimestampSql('r.at') }, { sql: 'r.note' }],
    jsonColumn: 'data',
    backfillOrder: 'at, id',
  };
}

async function run(sql: readonly string[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    for (const statement of sql) await client.query(statement);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

/** A table chained as the services' history tables are: hashChainSql over `existing` rows, then (unless `immediate`) hashChainDeferredSql. */
async function chainedTable(table: string, options: { existing?: number; immediate?: boolean } = {}): Promise<HashChainSpec> {
  const spec = specOf(table);
  await run([`create table "${table}" (id uuid primary key, n int not null, at timestamptz not null default now(), note text null, data jsonb not null default '{}')`]);
  for (let i = 0; i < (options.existing ?? 0); i += 1) {
    await pool.query(`insert into "${table}" (id, n, at, note, data) values ($1, $2, $3, $4, $5)`, [randomUUID(), i, new Date(Date.UTC(2026, 0, 1 + i)), i % 2 ? null : `старая ${i}`, { i }]);
  }
  await run(hashChainSql(spec).up);
  if (!options.immediate) await run(hashChainDeferredSql(spec).up);
  return spec;
}

const insertSql = (table: string) => `insert into "${table}" (id, n, note, data) values ($1, $2, $3, $4)`;

async function insert(client: PoolClient | Pool, table: string, n: number, id = randomUUID()): Promise<string> {
  await client.query(insertSql(table), [id, n, `строка ${n}`, { n, "кавычки": 'a "b"' }]);
  return id;
}

async function inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function rowsOf(table: string): Promise<{ id: string; n: number; seq: string | null }[]> {
  return (await pool.query(`select id::text, n, seq from "${table}" order by seq nulls first`)).rows;
}

const verify = (spec: HashChainSpec, batchSize?: number) => verifyHashChain(orm.em.fork(), spec, batchSize);

beforeAll(async () => {
  database = await createTestDatabase('hash_chain');
  orm = await MikroORM.init(createOrmOptions({ service: 'chainprobe', entities: [ChainProbe], migrationsList: [] }, { databaseUrl: database.url, poolMax: 2 }));
  pool = new Pool({ connectionString: database.url, max: 12 });
});

afterAll(async () => {
  await pool?.end();
  await orm?.close(true);
  await database?.drop();
});

describe('hash chains appended at commit (hashChainDeferredSql)', () => {
  it('switches a chained table with rows to chaining at commit: the old rows stay valid, the new ones follow them', async () => {
    const spec = await chainedTable('switched', { existing: 3, immediate: true });
    await insert(pool, 'switched', 10);
    await run(hashChainDeferredSql(spec).up);
    const nullable = await pool.query(`select column_name, is_nullable from information_schema.columns where table_name = 'switched' and column_name in ('seq', 'prev_hash', 'hash') order by 1`);
    expect(nullable.rows.map((row) => row.is_nullable)).toEqual(['YES', 'YES', 'YES']);
    await insert(pool, 'switched', 11);
    await inTransaction(async (client) => {
      await insert(client, 'switched', 12);
      await insert(client, 'switched', 13);
    });
    expect((await rowsOf('switched')).map((row) => [row.n, Number(row.seq)])).toEqual([[0, 1], [1, 2], [2, 3], [10, 4], [11, 5], [12, 6], [13, 7]]);
    expect(await verify(spec, 2)).toMatchObject({ valid: true, checkedCount: 7, headSeq: 7 });
  });

  it('inserts a row unchained and without the lock, and chains it at commit', async () => {
    const spec = await chainedTable('at_commit');
    await inTransaction(async (client) => {
      const id = await insert(client, 'at_commit', 1);
      const [row] = (await client.query(`select seq, prev_hash, hash from at_commit where id = $1`, [id])).rows;
      expect(row).toEqual({ seq: null, prev_hash: null, hash: null });
      // nobody else waits for this transaction: the lock is free until it commits
      expect((await pool.query('select pg_try_advisory_xact_lock($1::bigint) as got', [spec.lockKey])).rows[0].got).toBe(true);
    });
    const rows = (await pool.query(`select seq, prev_hash from at_commit`)).rows;
    expect(rows).toEqual([{ seq: '1', prev_hash: '0'.repeat(64) }]);
    expect((await pool.query(`select count(*)::int as n from at_commit where seq is null or prev_hash is null or hash is null`)).rows[0].n).toBe(0);
    expect(await verify(spec)).toMatchObject({ valid: true, checkedCount: 1 });
  });

  it("chains the rows of one transaction in insertion order, a multi-row INSERT's rows included", async () => {
    const spec = await chainedTable('in_order');
    // ids in descending order, so that neither id nor at order could pass for insertion order
    const ids = Array.from({ length: 6 }, () => randomUUID()).sort().reverse();
    await inTransaction(async (client) => {
      await insert(client, 'in_order', 0, ids[0]);
      await client.query(`insert into in_order (id, n, at) select (array[$1, $2, $3]::uuid[])[i], i, now() - i * interval '1 day' from generate_series(1, 3) i`, [ids[1], ids[2], ids[3]]);
      await insert(client, 'in_order', 4, ids[4]);
    });
    await insert(pool, 'in_order', 5, ids[5]);
    expect((await rowsOf('in_order')).map((row) => [row.n, Number(row.seq), row.id])).toEqual(ids.map((id, n) => [n, n + 1, id]));
    expect(await verify(spec)).toMatchObject({ valid: true, checkedCount: 6 });
  });

  it('chains at the end of the statement under SET CONSTRAINTS ALL IMMEDIATE', async () => {
    const spec = await chainedTable('immediate_mode');
    await inTransaction(async (client) => {
      await client.query('set constraints all immediate');
      const id = await insert(client, 'immediate_mode', 1);
      expect((await client.query(`select seq from immediate_mode where id = $1`, [id])).rows[0].seq).toBe('1');
      // chained: from now on its chain columns are as final as any committed row's
      await expect(client.query(`update immediate_mode set note = 'x' where id = $1`, [id])).rejects.toThrow(/append-only/);
    }); // the transaction failed: its COMMIT rolls it back
    await inTransaction(async (client) => {
      await client.query('set constraints all immediate');
      await insert(client, 'immediate_mode', 2);
      await insert(client, 'immediate_mode', 3);
    });
    expect((await rowsOf('immediate_mode')).map((row) => [row.n, Number(row.seq)])).toEqual([[2, 1], [3, 2]]);
    expect(await verify(spec)).toMatchObject({ valid: true, checkedCount: 2 });
  });

  it('never forks under concurrent writers: 8 transactions of 2 rows each give seq 1..16, every transaction\'s rows adjacent', async () => {
    const spec = await chainedTable('concurrent');
    const writers = Array.from({ length: 8 }, (_, w) =>
      inTransaction(async (client) => {
        await insert(client, 'concurrent', w * 2);
        await client.query('select pg_sleep(0.02)');
        await insert(client, 'concurrent', w * 2 + 1);
        await client.query('select pg_sleep(0.02)');
      }),
    );
    await Promise.all(writers);
    const rows = await rowsOf('concurrent');
    expect(rows.map((row) => Number(row.seq))).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    for (let i = 0; i < 16; i += 2) expect([rows[i].n % 2, rows[i + 1].n]).toEqual([0, rows[i].n + 1]);
    expect(await verify(spec)).toMatchObject({ valid: true, checkedCount: 16, headSeq: 16 });
  });

  it('leaves no gap after a rolled-back transaction', async () => {
    const spec = await chainedTable('rolled_back');
    await insert(pool, 'rolled_back', 1);
    const client = await pool.connect();
    try {
      await client.query('begin');
      await insert(client, 'rolled_back', 2);
      await client.query('set constraints all immediate'); // chained already: its seq is given back by the rollback
      await insert(client, 'rolled_back', 3);
      await client.query('rollback');
    } finally {
      client.release();
    }
    await insert(pool, 'rolled_back', 4);
    expect((await rowsOf('rolled_back')).map((row) => [row.n, Number(row.seq)])).toEqual([[1, 1], [4, 2]]);
    expect(await verify(spec)).toMatchObject({ valid: true, checkedCount: 2 });
  });

  it('still refuses UPDATE, DELETE and TRUNCATE of committed rows, the fill setting or not', async () => {
    const spec = await chainedTable('guarded');
    const id = await insert(pool, 'guarded', 1);
    await expect(pool.query(`update guarded set note = 'edited' where id = $1`, [id])).rejects.toThrow(/guarded is append-only: UPDATE/);
    await expect(pool.query(`delete from guarded where id = $1`, [id])).rejects.toThrow(/guarded is append-only: DELETE/);
    await expect(pool.query(`truncate guarded`)).rejects.toThrow(/guarded is append-only: TRUNCATE/);
    await expect(
      inTransaction(async (client) => {
        await client.query(`select set_config($1, $2, true)`, [CHAIN_FILL_SETTING, id]);
        await client.query(`update guarded set seq = 99, prev_hash = repeat('1', 64), hash = repeat('2', 64) where id = $1`, [id]);
      }),
    ).rejects.toThrow(/append-only: UPDATE/);
    await expect(
      inTransaction(async (client) => {
        await client.query(`select set_config($1, $2, true)`, [CHAIN_FILL_SETTING, id]);
        await client.query(`update guarded set seq = null, prev_hash = null, hash = null where id = $1`, [id]);
      }),
    ).rejects.toThrow(/append-only: UPDATE/);
    expect(await verify(spec)).toMatchObject({ valid: true, checkedCount: 1 });
  });

  it('refuses a hand-made chaining of a new row: set by UPDATE (the transaction fails at commit) or given in the INSERT', async () => {
    const spec = await chainedTable('hand_made');
    await insert(pool, 'hand_made', 1);
    // without the setting the guard refuses it at once
    await expect(
      inTransaction(async (client) => {
        const id = await insert(client, 'hand_made', 2);
        await client.query(`update hand_made set seq = 2, prev_hash = repeat('1', 64), hash = repeat('2', 64) where id = $1`, [id]);
      }),
    ).rejects.toThrow(/append-only: UPDATE/);
    // with the setting named by hand it gets past the guard, and the chaining refuses the filled row at commit
    await expect(
      inTransaction(async (client) => {
        const id = await insert(client, 'hand_made', 3);
        await client.query(`select set_config($1, $2, true)`, [CHAIN_FILL_SETTING, id]);
        await client.query(`update hand_made set seq = 2, prev_hash = repeat('1', 64), hash = repeat('2', 64) where id = $1`, [id]);
      }),
    ).rejects.toThrow(/row .* was chained by hand/);
    // nor may the fill change anything but the chain columns
    await expect(
      inTransaction(async (client) => {
        const id = await insert(client, 'hand_made', 4);
        await client.query(`select set_config($1, $2, true)`, [CHAIN_FILL_SETTING, id]);
        await client.query(`update hand_made set note = 'edited', seq = 2, prev_hash = repeat('1', 64), hash = repeat('2', 64) where id = $1`, [id]);
      }),
    ).rejects.toThrow(/append-only: UPDATE/);
    await expect(pool.query(`insert into hand_made (id, n, seq, prev_hash, hash) values ($1, 5, 2, repeat('1', 64), repeat('2', 64))`, [randomUUID()])).rejects.toThrow(
      /was chained by hand/,
    );
    await insert(pool, 'hand_made', 6);
    expect((await rowsOf('hand_made')).map((row) => [row.n, Number(row.seq)])).toEqual([[1, 1], [6, 2]]);
    expect(await verify(spec)).toMatchObject({ valid: true, checkedCount: 2 });
  });

  it('goes back to chaining at the INSERT with the down', async () => {
    const spec = await chainedTable('reverted');
    await insert(pool, 'reverted', 1);
    await run(hashChainDeferredSql(spec).down);
    await inTransaction(async (client) => {
      const id = await insert(client, 'reverted', 2);
      expect((await client.query(`select seq from reverted where id = $1`, [id])).rows[0].seq).toBe('2');
    });
    await expect(pool.query(`update reverted set note = 'x'`)).rejects.toThrow(/append-only: UPDATE/);
    const nullable = await pool.query(`select is_nullable from information_schema.columns where table_name = 'reverted' and column_name in ('seq', 'prev_hash', 'hash')`);
    expect(nullable.rows.map((row) => row.is_nullable)).toEqual(['NO', 'NO', 'NO']);
    expect(await verify(spec)).toMatchObject({ valid: true, checkedCount: 2 });
    await run(hashChainDeferredSql(spec).up); // and forth again
    await insert(pool, 'reverted', 3);
    expect(await verify(spec)).toMatchObject({ valid: true, checkedCount: 3 });
  });

  it('holds the lock only for the chaining and the commit (timings printed, not asserted)', async () => {
    // 8 writers, each: its history row, then 40 ms of other work in the transaction (flushes, events, …)
    const writers = 8;
    const timed = async (table: string) => {
      const started = Date.now();
      const durations = await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          const before = Date.now();
          await inTransaction(async (client) => {
            await insert(client, table, w);
            await client.query('select pg_sleep(0.04)');
          });
          return Date.now() - before;
        }),
      );
      durations.sort((a, b) => a - b);
      return { wallMs: Date.now() - started, medianTransactionMs: durations[writers / 2], slowestTransactionMs: durations[writers - 1] };
    };
    await chainedTable('timed_insert', { immediate: true });
    const specDeferred = await chainedTable('timed_commit');
    const atInsert = await timed('timed_insert');
    const atCommit = await timed('timed_commit');
    console.log(`${writers} concurrent writers, 40 ms of work after the history row: chained at INSERT ${JSON.stringify(atInsert)}, at COMMIT ${JSON.stringify(atCommit)}`);
    expect(await verify(specDeferred)).toMatchObject({ valid: true, checkedCount: writers });
  });
});
