import type { EntityManager } from '@mikro-orm/postgresql';

/** A statement parameter: text, a number, a flag or null (json travels as its text). */
export type BoundValue = string | number | boolean | null;

/**
 * Runs `sql` with its `?` bound as real statement parameters, in `em`'s transaction. `em.execute` writes every
 * parameter into the SQL text (escaping it character by character), which for the megabytes of jsonb a bulk
 * round sends was a good part of the import's CPU; here the driver sends them as parameters. Bulk paths only (the
 * statement is not in the ORM's query log).
 */
export async function executeBound<T = Record<string, unknown>>(em: EntityManager, sql: string, params: readonly BoundValue[]): Promise<T[]> {
  const knex = em.getTransactionContext<ReturnType<EntityManager['getKnex']>>() ?? em.getKnex();
  const result = (await knex.raw(sql, [...params])) as { rows: T[] };
  return result.rows;
}

/**
 * One set-based INSERT of `rows` (plain objects; `n` is their position) into `table`: the rows travel as one jsonb
 * parameter, typed by `recordType` (jsonb_to_recordset), and are inserted in `n` order as `select` maps them (a
 * BEFORE INSERT trigger sees them in that order, each after the ones before it). `params` fill the `?` of `select`:
 * values the same for every row.
 */
export async function insertRows(em: EntityManager, table: string, rows: readonly Record<string, unknown>[], recordType: string, columns: string, select: string, params: readonly BoundValue[] = []): Promise<void> {
  if (!rows.length) return;
  await executeBound(em, `insert into "${table}" (${columns}) select ${select} from jsonb_to_recordset(?::jsonb) as r(n int, ${recordType}) order by r.n`, [...params, JSON.stringify(rows)]);
}
