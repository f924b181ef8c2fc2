import { randomUUID } from 'node:crypto';
import type { Stack } from './stack';

/**
 * Writes a copy of row `id` of `table` with some columns changed straight into a service's own database, around
 * its API (as an old row, a restored backup or a hand edit would): e.g. a document whose counterparty nobody
 * knows. Returns the copy's id.
 */
export async function insertChangedCopy(stack: Stack, service: 'documents' | 'deals', table: string, id: string, changes: Record<string, string | null>): Promise<string> {
  if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
  const copy = randomUUID();
  await stack.subgraphs[service].orm.em.getConnection().execute(
    `insert into ${table} select (jsonb_populate_record(null::${table}, to_jsonb(t) || ?::jsonb)).* from ${table} t where t.id = ?`,
    [JSON.stringify({ ...changes, id: copy }), id],
  );
  return copy;
}
