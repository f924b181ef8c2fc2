import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RawRow } from './read-only-rows';

/**
 * Named prepared statements for the hot read paths (issue 10). MikroORM's `execute` inlines every parameter into the
 * SQL text, so PostgreSQL parses and plans each statement anew: for the card's statements planning was 75–97% of
 * their cost (pgbench on the bench dataset: the documents page 7.7 ms as literal SQL, 0.24 ms prepared; the
 * counterparty card 0.83 ms against 0.21 ms). `preparedRows` sends the statement with bound parameters under a name
 * derived from its text, so each pooled connection parses it once and PostgreSQL's plan cache does the rest (a custom
 * plan for the first five runs, then the generic plan when it is no worse).
 *
 * The text uses `?` placeholders as `em.execute` does (`??` and `\?` as knex reads them), but a parameter is bound,
 * not inlined: an array is one parameter (`unnest(?::uuid[])`, not `array[?]`).
 *
 * Turned off (the same bound parameters in an unnamed statement, parsed and planned on every call) with
 * `DATABASE_PREPARED_STATEMENTS=off`, e.g. behind a pooler in transaction mode that cannot keep named statements
 * (PgBouncer before 1.21).
 */

/** A named statement's plan no longer fits after a schema change (e.g. `select *` over a table that gained a column). */
const CACHED_PLAN_CHANGED = '0A000';
const NAME_CACHE_LIMIT = 1000;

/** Statement names by text, computed once per text. */
const names = new Map<string, string>();
/** Bumped when a named statement went stale: later calls prepare under new names on every connection. */
let generation = 0;

export function preparedStatementsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.DATABASE_PREPARED_STATEMENTS ?? 'on').toLowerCase() !== 'off';
}

const enabled = preparedStatementsEnabled();

/** The statement's name: stable per text (and generation), short (PostgreSQL keeps 63 bytes of a name). */
export function preparedStatementName(text: string): string {
  let digest = names.get(text);
  if (!digest) {
    if (names.size >= NAME_CACHE_LIMIT) names.clear();
    digest = createHash('sha1').update(text).digest('hex').slice(0, 24);
    names.set(text, digest);
  }
  return `k${generation}_${digest}`;
}

type KnexResult = { rows: RawRow[] };

/**
 * The rows of a read statement, run as a named prepared statement on the EntityManager's connection (in its
 * transaction when there is one). Statements are reported to the ORM's query logger like any other.
 */
export async function preparedRows<T extends object = RawRow>(em: EntityManager, text: string, params: readonly unknown[]): Promise<T[]> {
  const logger = em.config.getLogger();
  for (let attempt = 0; ; attempt += 1) {
    const query = em.getKnex().raw(text, [...params] as never[]);
    // off: the same bound parameters in an unnamed statement, planned on every call
    if (enabled) query.options({ name: preparedStatementName(text) });
    const transaction = em.getTransactionContext();
    if (transaction) query.transacting(transaction);
    const started = Date.now();
    try {
      const result = (await query) as unknown as KnexResult;
      if (logger.isEnabled('query')) logger.logQuery({ query: text, params: [...params], took: Date.now() - started, results: result.rows.length, level: 'info' });
      return result.rows as T[];
    } catch (error) {
      // the server refuses a stale named plan before running it, so preparing it again under a new name is safe
      // (outside a transaction: inside one, the error has aborted it)
      if (attempt === 0 && !transaction && (error as { code?: string }).code === CACHED_PLAN_CHANGED && /cached plan must not change result type/.test(String((error as Error).message))) {
        generation += 1;
        continue;
      }
      throw em.getDriver().convertException(error as Error);
    }
  }
}
