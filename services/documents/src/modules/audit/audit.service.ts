import { randomUUID } from 'node:crypto';
import type { EventSubscriber, Transaction, TransactionEventArgs } from '@mikro-orm/core';
import type { AbstractSqlConnection as Connection, EntityManager } from '@mikro-orm/postgresql';
import { chainHash, type ConnectionShape, decodeCursor, GENESIS_HASH, encodeCursor, isUuid, type LoaderRegistry, toConnection, UserInputError } from '@kartoteka/kit';
import { AUDIT_ACTIONS, AUDIT_ACTOR_KINDS, AuditRecord, type AuditAction, type AuditActorKind } from './audit-record.entity';
import { publishDocumentActivities } from './document-activity.events';

export type { AuditAction, AuditActorKind } from './audit-record.entity';

export type AuditEntry = {
  documentId: string;
  action: AuditAction;
  actorId: string | null;
  actorKind: AuditActorKind;
  versionId?: string | null;
  details?: Record<string, unknown>;
};

export type AuditChainBreak = 'hash-mismatch' | 'sequence-gap' | 'link-mismatch';

export type AuditChainVerification = {
  valid: boolean;
  /** Records examined: all of them when valid, up to and including the first broken one otherwise. */
  checkedCount: number;
  /** The first record at which the chain fails to verify (for a gap: the record after it). */
  firstBrokenSeq: number | null;
  firstBrokenRecordId: string | null;
  reason: AuditChainBreak | null;
  /** The last record of a valid chain: kept elsewhere, it lets a later check notice a cut-off tail. */
  headSeq: number | null;
  headHash: string | null;
};

export type AuditPage = { first: number; after?: string | null };

/** The fields a record's hash covers, as stored: uuids lower-case, `recordedAt` and `details` as PostgreSQL prints them. */
export type AuditHashInput = {
  seq: number;
  id: string;
  documentId: string;
  action: string;
  actorId: string | null;
  actorKind: string;
  versionId: string | null;
  /** UTC, microseconds: `2026-03-01T09:30:00.123000Z` */
  recordedAt: string;
  /** `details::text`: PostgreSQL's canonical text of the jsonb value (sorted keys, normalised numbers). */
  detailsText: string;
  prevHash: string;
};

/** Key of the transaction-scoped advisory lock that serialises appends to the chain. */
export const AUDIT_CHAIN_LOCK_KEY = 0x61_75_64_69_74; // "audit" in ASCII
/** `prevHash` of the first record (kit's, shared by every hash chain). */
export { GENESIS_HASH };
const HASH_FORMAT = 'kartoteka-audit-v1';
const VERIFY_BATCH_SIZE = 1000;
const RECORDED_AT_SQL = `to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The canonical serialization: a JSON array in a fixed order (format tag first), with `details` embedded as
 * PostgreSQL's own text of the stored jsonb, so any change of any stored field changes the hash.
 */
export function auditRecordHash(record: AuditHashInput): string {
  // kit's chainHash: the same canonical form the counterparty and deal histories are chained with
  return chainHash([HASH_FORMAT, record.seq, record.id, record.documentId, record.action, record.actorId, record.actorKind, record.versionId, record.recordedAt, record.prevHash], record.detailsText);
}

/** The recorded time as PostgreSQL prints it back in RECORDED_AT_SQL (timestamptz keeps microseconds). */
function recordedAtText(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000Z`;
}

function uuidOrNull(value: string | null | undefined, name: string): string | null {
  if (value === null || value === undefined) return null;
  if (!isUuid(value)) throw new Error(`audit: ${name} must be a uuid, got ${value}`);
  return value.toLowerCase();
}

type ChainRow = {
  id: string;
  seq: string;
  document_id: string;
  action: string;
  actor_id: string | null;
  actor_kind: string;
  version_id: string | null;
  recorded_at: string;
  details: string;
  prev_hash: string;
  hash: string;
};

/** An entry validated and stamped by `record`, waiting for its transaction's commit to get its seq and hash. */
type PendingAuditRecord = {
  id: string;
  documentId: string;
  action: AuditAction;
  actorId: string | null;
  actorKind: AuditActorKind;
  versionId: string | null;
  /** JSON text of `details` as given; stored as jsonb and hashed as PostgreSQL prints it back. */
  detailsJson: string;
  /** RECORDED_AT_SQL's form of the time `record` was called. */
  recordedAt: string;
};

function pendingRecordOf(entry: AuditEntry, at: Date): PendingAuditRecord {
  if (!(AUDIT_ACTIONS as readonly string[]).includes(entry.action)) throw new Error(`audit: unknown action ${entry.action}`);
  if (!(AUDIT_ACTOR_KINDS as readonly string[]).includes(entry.actorKind)) throw new Error(`audit: unknown actor kind ${entry.actorKind}`);
  if (Number.isNaN(at.getTime())) throw new Error('audit: recordedAt is not a valid time');
  const documentId = uuidOrNull(entry.documentId, 'documentId');
  if (!documentId) throw new Error('audit: documentId is required');
  return {
    id: randomUUID(),
    documentId,
    action: entry.action,
    actorId: uuidOrNull(entry.actorId, 'actorId'),
    actorKind: entry.actorKind,
    versionId: uuidOrNull(entry.versionId, 'versionId'),
    // A JSON round trip drops what jsonb cannot keep (undefined, functions) before it is stored and hashed.
    detailsJson: JSON.stringify(entry.details ?? {}),
    recordedAt: recordedAtText(at),
  };
}

/** Rows per insert statement of the commit-phase append (11 parameters a row, well under PostgreSQL's 65 535). */
const APPEND_BATCH_SIZE = 1000;

/**
 * Appends records to the chain in the given order: takes the chain's advisory lock (held until the transaction
 * ends, so appends are serialised in commit order), reads the last (seq, hash) once — in a statement after the
 * lock, so its snapshot sees every append committed before — and inserts them with consecutive seqs, each
 * linked to the one before.
 */
async function appendAuditRecords(connection: Connection, transaction: Transaction, records: readonly PendingAuditRecord[]): Promise<void> {
  if (!records.length) return;
  // PostgreSQL's canonical text of each details value (what the hash covers), in the statement that takes the lock.
  const [locked] = await connection.execute<{ details: string[] }[]>(
    'select pg_advisory_xact_lock(?::bigint), array(select d.value::jsonb::text from unnest(array[?]::text[]) with ordinality as d(value, position) order by d.position) as details',
    [String(AUDIT_CHAIN_LOCK_KEY), records.map((record) => record.detailsJson)],
    'all',
    transaction,
  );
  const [last] = await connection.execute<{ seq: string; hash: string }[]>('select seq, hash from audit_records order by seq desc limit 1', [], 'all', transaction);
  let seq = last ? Number(last.seq) : 0;
  let prevHash = last ? last.hash : GENESIS_HASH;
  const rows = records.map((record, index) => {
    seq += 1;
    const fields: AuditHashInput = { ...record, seq, detailsText: locked.details[index], prevHash };
    prevHash = auditRecordHash(fields);
    return [record.id, seq, record.documentId, record.action, record.actorId, record.actorKind, record.versionId, record.detailsJson, record.recordedAt, fields.prevHash, prevHash];
  });
  for (let start = 0; start < rows.length; start += APPEND_BATCH_SIZE) {
    const batch = rows.slice(start, start + APPEND_BATCH_SIZE);
    await connection.execute(
      `insert into audit_records (id, seq, document_id, action, actor_id, actor_kind, version_id, details, recorded_at, prev_hash, hash)
       values ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::timestamptz, ?, ?)').join(', ')}`,
      batch.flat(),
      'run',
      transaction,
    );
  }
}

/** Records waiting for the commit of their (top-level) transaction, in call order. */
const queuedRecords = new WeakMap<Transaction, PendingAuditRecord[]>();
/** Top-level transactions whose entity manager dispatches to auditCommitSubscriber: their queue is appended at commit. */
const armedTransactions = new WeakSet<Transaction>();

/**
 * The commit phase of audited transactions: appends a transaction's queued records just before its COMMIT (an
 * error there rolls the transaction back), forgets them on rollback. A no-op for every other transaction.
 * MikroORM dispatches transaction events of the top-level transaction only (savepoints have none).
 */
export const auditCommitSubscriber: EventSubscriber = {
  afterTransactionStart({ transaction }: TransactionEventArgs): void {
    if (transaction) armedTransactions.add(transaction);
  },
  async beforeTransactionCommit({ em, transaction }: TransactionEventArgs): Promise<void> {
    const records = transaction ? queuedRecords.get(transaction) : undefined;
    if (!transaction || !records) return;
    queuedRecords.delete(transaction);
    await appendAuditRecords(em.getConnection('write') as Connection, transaction, records);
  },
  afterTransactionRollback({ transaction }: TransactionEventArgs): void {
    if (transaction) queuedRecords.delete(transaction);
  },
};

/**
 * Makes the transactions this entity manager begins (and, inside one, the transaction itself) append their
 * queued records at commit. Transaction forks copy the subscribers of the entity manager they are begun from,
 * so arming a request's entity manager (which shares the ORM's event manager) arms every later transaction.
 */
export function armAuditCommit(em: EntityManager): void {
  const context = em.getContext(false);
  context.getEventManager().registerSubscriber(auditCommitSubscriber);
  const transaction = context.getTransactionContext<Transaction>();
  if (transaction && topLevelOf(transaction) === transaction) armedTransactions.add(transaction);
}

/** MikroORM marks a savepoint's transaction with its parent under this (private) symbol. */
const PARENT_TRANSACTION = 'parentTransaction';

/** The top-level transaction a savepoint belongs to (the transaction itself when it is not a savepoint). */
function topLevelOf(transaction: Transaction): Transaction {
  let current = transaction;
  for (;;) {
    const key = Object.getOwnPropertySymbols(current).find((symbol) => symbol.description === PARENT_TRANSACTION);
    const parent = key ? (current as unknown as Record<symbol, Transaction | undefined>)[key] : undefined;
    if (!parent) return current;
    current = parent;
  }
}

/**
 * Queues records for the commit of the caller's top-level transaction. False when that transaction cannot
 * append at commit — a savepoint of a transaction begun by an entity manager that was never armed — and the
 * caller appends at once instead (the lock is then held from now on, as before; the chain stays correct).
 */
function queueAuditRecords(em: EntityManager, records: readonly PendingAuditRecord[]): boolean {
  armAuditCommit(em);
  const transaction = em.getTransactionContext<Transaction>();
  if (!transaction) return false;
  const topLevel = topLevelOf(transaction);
  if (!armedTransactions.has(topLevel)) return false;
  const queued = queuedRecords.get(topLevel);
  if (queued) queued.push(...records);
  else queuedRecords.set(topLevel, [...records]);
  return true;
}

/**
 * Appends what the caller's transaction has queued so far, now: for a read of audit_records inside that
 * transaction, which should see its own records. Takes the chain's lock until the commit.
 */
async function appendQueuedNow(em: EntityManager): Promise<void> {
  const transaction = em.getTransactionContext<Transaction>();
  if (!transaction) return;
  const topLevel = topLevelOf(transaction);
  const records = queuedRecords.get(topLevel);
  if (!records?.length) return;
  queuedRecords.delete(topLevel);
  await appendAuditRecords(em.getConnection('write'), transaction, records);
}

function cursorOf(record: AuditRecord): string {
  return encodeCursor([record.seq]);
}

function parseCursor(after: string): number {
  const [seq] = decodeCursor(after, ['int53']);
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) throw new UserInputError('after', 'The cursor is not valid for this list');
  return seq;
}

/**
 * The append-only, hash-chained audit trail of documents. `record` runs inside the caller's transaction,
 * so the record commits (or rolls back) with the change it describes.
 */
export class AuditService {
  constructor(
    private readonly em: EntityManager,
    /** Per-request loaders: trails of many documents in one request are read together. */
    private readonly loaders?: LoaderRegistry,
  ) {}

  /**
   * Records one entry in the caller's transaction: validates it, stamps it (`recordedAt` is now, or `at` when the
   * caller noted the time earlier — deferAudit) and queues it; the transaction's queue is appended to the chain
   * just before its COMMIT (appendQueuedAuditRecords), so the chain's global lock is held only for the commit
   * phase, not for the rest of the caller's work. A rolled-back transaction appends nothing. The counterparty
   * timeline's activity is published now, through kit, with the entry's own time. Outside a transaction it opens
   * its own.
   */
  async record(entry: AuditEntry, at: Date = new Date()): Promise<void> {
    await this.recordAll([{ entry, at }]);
  }

  /**
   * `record` for several entries in call order (auditedTransaction records its deferred entries so): all validated
   * before any is queued, and their timeline activities published together (one read of the documents).
   */
  async recordAll(entries: readonly { entry: AuditEntry; at: Date }[]): Promise<void> {
    if (!entries.length) return;
    if (!this.em.isInTransaction()) {
      armAuditCommit(this.em);
      await this.em.transactional((em) => new AuditService(em).recordAll(entries));
      return;
    }
    const records = entries.map(({ entry, at }) => pendingRecordOf(entry, at));
    if (!queueAuditRecords(this.em, records)) await appendAuditRecords(this.em.getConnection('write'), this.em.getTransactionContext(), records);
    // what the counterparty's timeline shows of them, in the same transaction (issue 11)
    await publishDocumentActivities(
      this.em,
      entries.map(({ entry }, index) => ({ entry: { ...entry, documentId: records[index].documentId, actorId: records[index].actorId }, at: new Date(records[index].recordedAt) })),
    );
  }

  /**
   * Walks the whole chain in seq order, VERIFY_BATCH_SIZE records at a time, and stops at the first record
   * that does not verify: its hash is not the hash of its fields (edited), its seq does not follow the
   * previous one (a record deleted), or its prevHash is not the previous record's hash (records reordered,
   * inserted or re-hashed).
   */
  async verifyChain(): Promise<AuditChainVerification> {
    await appendQueuedNow(this.em);
    let checkedCount = 0;
    let previous: { seq: number; hash: string } | null = null;
    for (;;) {
      const rows: ChainRow[] = await this.em.execute<ChainRow[]>(
        `select id, seq, document_id, action, actor_id, actor_kind, version_id, ${RECORDED_AT_SQL} as recorded_at, details::text as details, prev_hash, hash
         from audit_records ${previous ? 'where seq > ?' : ''} order by seq limit ?`,
        previous ? [previous.seq, VERIFY_BATCH_SIZE] : [VERIFY_BATCH_SIZE],
      );
      for (const row of rows) {
        checkedCount += 1;
        const seq = Number(row.seq);
        const reason = this.breakOf(row, seq, previous);
        if (reason) return { valid: false, checkedCount, firstBrokenSeq: seq, firstBrokenRecordId: row.id, reason, headSeq: null, headHash: null };
        previous = { seq, hash: row.hash };
      }
      if (rows.length < VERIFY_BATCH_SIZE) break;
    }
    return { valid: true, checkedCount, firstBrokenSeq: null, firstBrokenRecordId: null, reason: null, headSeq: previous?.seq ?? null, headHash: previous?.hash ?? null };
  }

  private breakOf(row: ChainRow, seq: number, previous: { seq: number; hash: string } | null): AuditChainBreak | null {
    const expected = auditRecordHash({
      seq,
      id: row.id,
      documentId: row.document_id,
      action: row.action,
      actorId: row.actor_id,
      actorKind: row.actor_kind,
      versionId: row.version_id,
      recordedAt: row.recorded_at,
      detailsText: row.details,
      prevHash: row.prev_hash,
    });
    if (expected !== row.hash) return 'hash-mismatch';
    if (seq !== (previous ? previous.seq + 1 : 1)) return 'sequence-gap';
    if (row.prev_hash !== (previous ? previous.hash : GENESIS_HASH)) return 'link-mismatch';
    return null;
  }

  /** The trail of one document, newest first. Trails asked for in one request with the same page are read together. */
  async trailOfDocument(documentId: string, page: AuditPage): Promise<ConnectionShape<AuditRecord>> {
    const before = page.after ? parseCursor(page.after) : null;
    const id = documentId.toLowerCase();
    if (!this.loaders) return (await this.trailsOfDocuments([id], page.first, before))[0];
    const loader = this.loaders.get<ConnectionShape<AuditRecord>>(`audit:trail:${page.first}:${page.after ?? ''}`, (ids) => this.trailsOfDocuments(ids, page.first, before));
    return (await loader.load(id)) ?? toConnection([], page.first, 0, cursorOf);
  }

  /** First `first` records before `before` (by seq, descending) of every document, and their totals: two statements. */
  private async trailsOfDocuments(documentIds: readonly string[], first: number, before: number | null): Promise<ConnectionShape<AuditRecord>[]> {
    const ids = [...new Set(documentIds.filter(isUuid))];
    await appendQueuedNow(this.em);
    const rowsById = new Map<string, AuditRecord[]>();
    const totals = new Map<string, number>();
    if (ids.length) {
      const [rows, counts] = await Promise.all([
        this.em.execute<Record<string, unknown>[]>(
          `select r.* from unnest(array[?]::uuid[]) as d(id) cross join lateral (
             select x.* from audit_records x where x.document_id = d.id${before === null ? '' : ' and x.seq < ?'} order by x.seq desc limit ?
           ) r order by r.document_id, r.seq desc`,
          before === null ? [ids, first + 1] : [ids, before, first + 1],
        ),
        this.em.execute<{ document_id: string; total: number }[]>('select document_id, count(*)::int as total from audit_records where document_id in (?) group by document_id', [ids]),
      ]);
      for (const row of rows) {
        const record = this.em.map(AuditRecord, row);
        const group = rowsById.get(record.documentId);
        if (group) group.push(record);
        else rowsById.set(record.documentId, [record]);
      }
      for (const count of counts) totals.set(count.document_id, count.total);
    }
    return documentIds.map((id) => toConnection(rowsById.get(id) ?? [], first, totals.get(id) ?? 0, cursorOf));
  }
}
