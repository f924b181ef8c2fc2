import type { EntityManager } from '@mikro-orm/postgresql';

/** One column of this service holding ids of another service's entity, and the local read model to check it against. */
export type ReferenceCheck = {
  /** Table and column of the referring rows, e.g. `documents.counterparty_id`. */
  table: string;
  column: string;
  /** The read model table whose `id` the column must match, e.g. `counterparty_refs`. */
  readModel: string;
  /** Row identity to report (default `id`). */
  key?: string;
};

/** A stored reference the read model does not know. */
export type DanglingReference = { table: string; column: string; rowId: string; referenceId: string };

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function quoted(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a plain SQL identifier: ${name}`);
  return `"${name}"`;
}

/**
 * Rows whose reference points nowhere: the id is not in the local read model (created before validation existed,
 * written by hand, or the entity was deleted at its owner). At most `limit` per check, ordered by row.
 */
export async function findDanglingReferences(em: EntityManager, checks: readonly ReferenceCheck[], limit = 1000): Promise<DanglingReference[]> {
  const found: DanglingReference[] = [];
  for (const check of checks) {
    const key = quoted(check.key ?? 'id');
    const column = quoted(check.column);
    const rows = await em.getConnection().execute<{ row_id: string; reference_id: string }[]>(
      `select t.${key}::text as row_id, t.${column}::text as reference_id from ${quoted(check.table)} t
       where t.${column} is not null and not exists (select 1 from ${quoted(check.readModel)} r where r.id = t.${column})
       order by t.${key} limit ${Math.max(1, Math.floor(limit))}`,
    );
    for (const row of rows) found.push({ table: check.table, column: check.column, rowId: row.row_id, referenceId: row.reference_id });
  }
  return found;
}

/** The check command's report: one line per dangling reference, or a line saying there is none. */
export function formatDanglingReferences(service: string, found: readonly DanglingReference[]): string {
  if (!found.length) return `${service}: every reference resolves`;
  return [`${service}: ${found.length} reference(s) point nowhere`, ...found.map((row) => `${row.table}.${row.column}  row ${row.rowId}  → ${row.referenceId} (unknown)`)].join('\n');
}
