import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Hash chains over append-only history tables (issue 11: "no service's history can be edited silently"), the design
 * of documents' audit trail made reusable. Every row carries `seq` (1, 2, 3, … over the whole table, in commit
 * order), `prev_hash` (the previous row's hash; 64 zeros for the first) and `hash` = sha-256 over the canonical
 * serialization of the row: a JSON array `[format, seq, …columns, prev_hash, <jsonb column as PostgreSQL prints it>]`.
 *
 * Rows are chained by a trigger under a transaction-scoped advisory lock: whatever inserts a row (the ORM, raw SQL,
 * a seed), it is chained, and concurrent writers are serialised in commit order, so the chain never forks. The
 * trigger of {@link hashChainSql} chains at the INSERT (the lock then held for the rest of the transaction);
 * {@link hashChainDeferredSql} moves it to COMMIT (the lock held only for the chaining and the commit). Another
 * trigger refuses UPDATE, DELETE and TRUNCATE (but the deferred chaining's own fill of a new row).
 * {@link verifyHashChain} recomputes every hash in Node from the stored columns.
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

function chainNames(spec: HashChainSpec) {
  const t = spec.table;
  return { t, canonical: `${t}_chain_canonical`, chain: `${t}_chain`, fill: `${t}_chain_fill`, appendOnly: `${t}_append_only` };
}

/** The chaining done in the inserting transaction: a BEFORE INSERT trigger fills the row's chain columns. */
function immediateChainSql(spec: HashChainSpec): string[] {
  const { t, canonical, chain } = chainNames(spec);
  return [
    `create or replace function ${chain}() returns trigger language plpgsql as $$
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
    `create trigger ${chain} before insert on "${t}" for each row execute function ${chain}();`,
  ];
}

/** The guard of the immediate variant: no UPDATE, DELETE or TRUNCATE at all. */
function strictAppendOnlySql(spec: HashChainSpec): string {
  const { t, appendOnly } = chainNames(spec);
  return `create or replace function ${appendOnly}() returns trigger language plpgsql as $$
begin
  raise exception '${t} is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end;
$$;`;
}

/** The transaction-local setting naming the row the deferred chaining is filling (see {@link hashChainDeferredSql}). */
export const CHAIN_FILL_SETTING = 'kartoteka.chain_fill';

/**
 * The SQL a migration runs to chain a table: adds `seq`/`prev_hash`/`hash`, chains the existing rows in
 * `backfillOrder`, then installs the chaining trigger and the append-only triggers. `down` removes all of it.
 * {@link hashChainDeferredSql} then moves the chaining to commit.
 */
export function hashChainSql(spec: HashChainSpec): { up: string[]; down: string[] } {
  const { t, canonical, chain, appendOnly } = chainNames(spec);
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
      ...immediateChainSql(spec),
      strictAppendOnlySql(spec),
      `create trigger ${t}_no_update_delete before update or delete on "${t}" for each row execute function ${appendOnly}();`,
      `create trigger ${t}_no_truncate before truncate on "${t}" for each statement execute function ${appendOnly}();`,
    ],
    down: [
      `drop trigger if exists ${t}_no_truncate on "${t}";`,
      `drop trigger if exists ${t}_no_update_delete on "${t}";`,
      `drop trigger if exists ${chain} on "${t}";`,
      `drop function if exists ${appendOnly}();`,
      `drop function if exists ${chain}();`,
      `drop function if exists ${canonical}("${t}");`,
      `alter table "${t}" drop constraint if exists "${t}_seq_unique";`,
      `alter table "${t}" drop column if exists "seq", drop column if exists "prev_hash", drop column if exists "hash";`,
    ],
  };
}

/**
 * The SQL a migration runs to move a table chained by {@link hashChainSql} to chaining at COMMIT (issue 10: the
 * BEFORE INSERT trigger took the advisory lock at the history INSERT and every writer held it for the rest of its
 * transaction — flushes, events, notifications — so concurrent writers queued behind each other).
 *
 * The row goes in with `seq`/`prev_hash`/`hash` null (the columns become nullable: NOT NULL cannot be deferred);
 * a constraint trigger `AFTER INSERT … DEFERRABLE INITIALLY DEFERRED` fires for it at commit, takes the same
 * advisory lock, reads the last chained row and writes seq/prev_hash/hash into the row — the same canonical form
 * and format tag as before, so existing rows and {@link verifyHashChain} stay valid. The lock is then held only
 * for the chaining and the commit. Deferred triggers fire in the order of their events, so the rows of one
 * transaction (one multi-row INSERT included) chain in insertion order; `SET CONSTRAINTS ALL IMMEDIATE` just
 * chains them earlier (at the end of their statement), with the lock held from then on.
 *
 * The append-only guard still refuses every DELETE and TRUNCATE and every UPDATE but that fill: a row whose `seq`
 * is null, only the three chain columns changing, all three set, while the transaction-local setting
 * {@link CHAIN_FILL_SETTING} names the row. Only the inserting transaction sees a row whose `seq` is null (after
 * commit every row has one) — and should it fill one by hand (set the setting, UPDATE), the chaining refuses at
 * commit a row it finds already filled, so the transaction fails. `down` restores {@link hashChainSql}'s triggers.
 */
export function hashChainDeferredSql(spec: HashChainSpec): { up: string[]; down: string[] } {
  const { t, canonical, chain, fill, appendOnly } = chainNames(spec);
  return {
    up: [
      `drop trigger if exists ${chain} on "${t}";`,
      `drop function if exists ${chain}();`,
      `alter table "${t}" alter column "seq" drop not null, alter column "prev_hash" drop not null, alter column "hash" drop not null;`,
      `create or replace function ${fill}() returns trigger language plpgsql as $$
declare
  r "${t}" := NEW;
  last_seq bigint;
  last_hash char(64);
  filled bigint;
begin
  perform pg_advisory_xact_lock(${spec.lockKey}::bigint);
  select c.seq, c.hash into last_seq, last_hash from "${t}" c where c.seq is not null order by c.seq desc limit 1;
  r.seq := coalesce(last_seq, 0) + 1;
  r.prev_hash := coalesce(last_hash, repeat('0', 64));
  r.hash := encode(sha256(convert_to(${canonical}(r), 'UTF8')), 'hex');
  perform set_config('${CHAIN_FILL_SETTING}', r.id::text, true);
  update "${t}" set seq = r.seq, prev_hash = r.prev_hash, hash = r.hash where id = r.id and seq is null and prev_hash is null and hash is null;
  get diagnostics filled = row_count;
  perform set_config('${CHAIN_FILL_SETTING}', '', true);
  if filled <> 1 then
    raise exception '${t}: row % was chained by hand (only the chain sets seq, prev_hash, hash)', NEW.id using errcode = 'insufficient_privilege';
  end if;
  return null;
end;
$$;`,
      `create constraint trigger ${chain} after insert on "${t}" deferrable initially deferred for each row execute function ${fill}();`,
      `create or replace function ${appendOnly}() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' then
    if OLD.seq is null and NEW.seq is not null and NEW.prev_hash is not null and NEW.hash is not null
       and current_setting('${CHAIN_FILL_SETTING}', true) = OLD.id::text
       and (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash') = (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash') then
      return NEW;
    end if;
  end if;
  raise exception '${t} is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end;
$$;`,
    ],
    down: [
      `drop trigger if exists ${chain} on "${t}";`,
      `drop function if exists ${fill}();`,
      strictAppendOnlySql(spec),
      `alter table "${t}" alter column "seq" set not null, alter column "prev_hash" set not null, alter column "hash" set not null;`,
      ...immediateChainSql(spec),
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
