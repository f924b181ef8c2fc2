import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Hash chains over append-only history tables (issue 11: "no service's history can be edited silently"), the design
 * of documents' audit trail made reusable. Every row carries `seq` (1, 2, 3, … over the whole table, in commit
 * order), `prev_hash` (the previous row's hash; 64 zeros for the first) and `hash` = sha-256 over the canonical
 * serialization of the row: a JSON array `[format, seq, …columns, prev_hash, <jsonb column as PostgreSQL prints it>]`.
 *
 * Rows are chained by a BEFORE INSERT trigger (see {@link hashChainSql}), in the inserting transaction, under a
 * transaction-scoped advisory lock: whatever inserts a row (the ORM, raw SQL, a seed), it is chained, and
 * concurrent writers are serialised in commit order, so the chain never forks. Another trigger refuses UPDATE,
 * DELETE and TRUNCATE. {@link verifyHashChain} recomputes every hash in Node from the stored columns.
 */

export type ChainScalar = string | number | null;

/** `prev_hash` of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** sha-256 (hex) over `[scalars…, jsonText]`: scalars as JSON.stringify writes them, `jsonText` verbatim (PostgreSQL's canonical jsonb text). */
export function chainHash(scalars: readonly ChainScalar[], jsonText: string): string {
  const canonical = `[${scalars.map((value) => JSON.stringify(value)).join(',')},${jsonText}]`;
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** A timestamptz as the chain hashes it: UTC with microseconds, e.g. `2026-03-01T09:30:00.123000Z`. */
export function chainTimestampSql(column: string): string {
  return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** One hashed column: a SQL expression over the row `r` giving text (or an integer, `kind: 'int'`). */
export type HashChainColumn = { sql: string; kind?: 'text' | 'int' };

export type HashChainSpec = {
  table: string;
  /** Tag hashed first: changing the canonical form means a new tag. */
  format: string;
  /** Key of the transaction-scoped advisory lock serialising appends. */
  lockKey: number;
  /** The hashed columns between `seq` and `prev_hash`, in order (expressions over the row alias `r`). */
  columns: readonly HashChainColumn[];
  /** The jsonb column hashed last, as `r.<column>::text`. */
  jsonColumn: string;
  /** How existing rows are ordered when the migration chains them, e.g. `at, id`. */
  backfillOrder: string;
};

function canonicalSql(spec: HashChainSpec): string {
  const parts = [
    `to_json(${quote(spec.format)}::text)::text`,
    `to_json(r.seq)::text`,
    ...spec.columns.map((column) => `coalesce(to_json((${column.sql})${column.kind === 'int' ? '::bigint' : '::text'})::text, 'null')`),
    `to_json(r.prev_hash::text)::text`,
    `r.${spec.jsonColumn}::text`,
  ];
  return `'[' || ${parts.join(` || ',' || `)} || ']'`;
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * The SQL a migration runs to chain a table: adds `seq`/`prev_hash`/`hash`, chains the existing rows in
 * `backfillOrder`, then installs the chaining trigger and the append-only triggers. `down` removes all of it.
 */
export function hashChainSql(spec: HashChainSpec): { up: string[]; down: string[] } {
  const t = spec.table;
  const canonical = `${t}_chain_canonical`;
  return {
    up: [
      `alter table "${t}" add column if not exists "seq" bigint null, add column if not exists "prev_hash" char(64) null, add column if not exists "hash" char(64) null;`,
      `create or replace function ${canonical}(r "${t}") returns text language sql stable as $$ select ${canonicalSql(spec)} $$;`,
      `do $$
declare
  r "${t}";
  n bigint := 0;
  previous char(64) := repeat('0', 64);
begin
  for r in select * from "${t}" order by ${spec.backfillOrder} loop
    n := n + 1;
    r.seq := n;
    r.prev_hash := previous;
    r.hash := encode(sha256(convert_to(${canonical}(r), 'UTF8')), 'hex');
    update "${t}" set seq = r.seq, prev_hash = r.prev_hash, hash = r.hash where id = r.id;
    previous := r.hash;
  end loop;
end $$;`,
      `alter table "${t}" alter column "seq" set not null, alter column "prev_hash" set not null, alter column "hash" set not null;`,
      `alter table "${t}" add constraint "${t}_seq_unique" unique ("seq");`,
      `create or replace function ${t}_chain() returns trigger language plpgsql as $$
declare
  last_seq bigint;
  last_hash char(64);
begin
  perform pg_advisory_xact_lock(${spec.lockKey}::bigint);
  select seq, hash into last_seq, last_hash from "${t}" order by seq desc limit 1;
  NEW.seq := coalesce(last_seq, 0) + 1;
  NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
  NEW.hash := encode(sha256(convert_to(${canonical}(NEW), 'UTF8')), 'hex');
  return NEW;
end;
$$;`,
      `create trigger ${t}_chain before insert on "${t}" for each row execute function ${t}_chain();`,
      `create or replace function ${t}_append_only() returns trigger language plpgsql as $$
begin
  raise exception '${t} is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end;
$$;`,
      `create trigger ${t}_no_update_delete before update or delete on "${t}" for each row execute function ${t}_append_only();`,
      `create trigger ${t}_no_truncate before truncate on "${t}" for each statement execute function ${t}_append_only();`,
    ],
    down: [
      `drop trigger if exists ${t}_no_truncate on "${t}";`,
      `drop trigger if exists ${t}_no_update_delete on "${t}";`,
      `drop trigger if exists ${t}_chain on "${t}";`,
      `drop function if exists ${t}_append_only();`,
      `drop function if exists ${t}_chain();`,
      `drop function if exists ${canonical}("${t}");`,
      `alter table "${t}" drop constraint if exists "${t}_seq_unique";`,
      `alter table "${t}" drop column if exists "seq", drop column if exists "prev_hash", drop column if exists "hash";`,
    ],
  };
}

export type HashChainBreak = 'hash-mismatch' | 'sequence-gap' | 'link-mismatch';

export type HashChainVerification = {
  valid: boolean;
  /** Rows examined: all of them when valid, up to and including the first broken one otherwise. */
  checkedCount: number;
  /** The first row at which the chain fails to verify (for a gap: the row after it). */
  firstBrokenSeq: number | null;
  firstBrokenId: string | null;
  reason: HashChainBreak | null;
  /** The last row of a valid chain: kept elsewhere, it lets a later check notice a cut-off tail. */
  headSeq: number | null;
  headHash: string | null;
};

type VerifiedRow = { id: string; seq: string | number; prev_hash: string; hash: string; json_text: string } & Record<string, unknown>;

/**
 * Walks the whole chain in seq order, `batchSize` rows at a time, recomputing every hash in Node from the stored
 * columns, and stops at the first row that does not verify: its hash is not its fields' (edited), its seq does not
 * follow the previous one (deleted), or its prev_hash is not the previous row's hash (reordered or re-hashed).
 */
export async function verifyHashChain(em: EntityManager, spec: HashChainSpec, batchSize = 1000): Promise<HashChainVerification> {
  const columns = spec.columns.map((column, index) => `(${column.sql})${column.kind === 'int' ? '::bigint' : '::text'} as c${index}`).join(', ');
  let checkedCount = 0;
  let previous: { seq: number; hash: string } | null = null;
  for (;;) {
    const rows: VerifiedRow[] = await em.execute<VerifiedRow[]>(
      `select r.id::text as id, r.seq, r.prev_hash, r.hash, ${columns}, r.${spec.jsonColumn}::text as json_text
       from "${spec.table}" r ${previous ? 'where r.seq > ?' : ''} order by r.seq limit ?`,
      previous ? [previous.seq, batchSize] : [batchSize],
    );
    for (const row of rows) {
      checkedCount += 1;
      const seq = Number(row.seq);
      const values = spec.columns.map((column, index): ChainScalar => {
        const value = row[`c${index}`];
        if (value === null || value === undefined) return null;
        return column.kind === 'int' ? Number(value) : String(value);
      });
      const expected = chainHash([spec.format, seq, ...values, row.prev_hash], row.json_text);
      const reason: HashChainBreak | null =
        expected !== row.hash ? 'hash-mismatch' : seq !== (previous ? previous.seq + 1 : 1) ? 'sequence-gap' : row.prev_hash !== (previous ? previous.hash : GENESIS_HASH) ? 'link-mismatch' : null;
      if (reason) return { valid: false, checkedCount, firstBrokenSeq: seq, firstBrokenId: row.id, reason, headSeq: null, headHash: null };
      previous = { seq, hash: row.hash };
    }
    if (rows.length < batchSize) break;
  }
  return { valid: true, checkedCount, firstBrokenSeq: null, firstBrokenId: null, reason: null, headSeq: previous?.seq ?? null, headHash: previous?.hash ?? null };
}
