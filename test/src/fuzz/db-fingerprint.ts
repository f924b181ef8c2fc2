import { Client } from 'pg';

/**
 * "No row written by a refused call", checked exactly and cheaply: per table, `count(*)` and the newest
 * `xmin`. Every committed insert or update creates a row version stamped with the writing transaction's
 * id (larger than any before it, on these short-lived test databases), so an insert or update changes
 * `max(xmin)` and a delete changes `count(*)`; rolled-back work changes neither. Statistics views
 * (`pg_stat_user_tables`) are updated asynchronously and would miss or misplace writes; this is read in one
 * statement per database, a few milliseconds on the small tables of a test stack.
 *
 * Tables that background workers update on their own (the event outbox once relayed, the inbox, the mail
 * outbox once sent or retried) are compared by row count only: a refused call must not add rows to them,
 * but their existing rows may change at any time. Tables with bookkeeping columns that authenticating any
 * request updates (an API key's `last_used_at`, at most once a minute) are compared by their content without
 * those columns. The migration table is left out.
 */
const COUNT_ONLY = new Set(['outbox_events', 'inbox_events', 'mail_outbox']);
const CONTENT_WITHOUT: Record<string, string[]> = { api_keys: ['last_used_at'] };
const IGNORED = new Set(['mikro_orm_migrations']);

export type Fingerprint = Record<string, string>;

export type DatabaseProbe = {
  name: string;
  fingerprint: () => Promise<Fingerprint>;
  close: () => Promise<void>;
};

export async function databaseProbe(name: string, url: string): Promise<DatabaseProbe> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const tables = (
    await client.query<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`)
  ).rows
    .map((row) => row.table_name)
    .filter((table) => !IGNORED.has(table));
  const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
  const parts = tables.map((table) =>
    COUNT_ONLY.has(table)
      ? `select ${client.escapeLiteral(table)} as t, count(*)::text as f from ${quote(table)}`
      : CONTENT_WITHOUT[table]
      ? `select ${client.escapeLiteral(table)} as t, count(*)::text || ':' || coalesce(md5(string_agg((to_jsonb(r) ${CONTENT_WITHOUT[table].map((column) => `- ${client.escapeLiteral(column)}`).join(' ')})::text, ',' order by (to_jsonb(r) ->> 'id'))), '') as f from ${quote(table)} r`
      : `select ${client.escapeLiteral(table)} as t, count(*)::text || ':' || coalesce(max(xmin::text::bigint), 0)::text as f from ${quote(table)}`,
  );
  const statement = parts.join(' union all ');
  return {
    name,
    fingerprint: async () => {
      if (!parts.length) return {};
      const rows = (await client.query<{ t: string; f: string }>(statement)).rows;
      return Object.fromEntries(rows.map((row) => [`${name}.${row.t}`, row.f]));
    },
    close: () => client.end(),
  };
}

/** The tables whose fingerprint differs. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((table) => before[table] !== after[table]).sort();
}
