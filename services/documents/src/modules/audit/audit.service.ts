import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { chainHash, type ConnectionShape, decodeCursor, GENESIS_HASH, encodeCursor, isUuid, type LoaderRegistry, toConnection, UserInputError } from '@kartoteka/kit';
import { AUDIT_ACTIONS, AUDIT_ACTOR_KINDS, AuditRecord, type AuditAction, type AuditActorKind } from './audit-record.entity';
import { publishDocumentActivity } from './document-activity.events';

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
   * Appends one record: takes the chain's advisory lock (held until the caller's transaction ends, so
   * appends are serialised in commit order), reads the last (seq, hash) and inserts seq + 1 linked to it.
   * Outside a transaction it opens its own.
   */
  async record(entry: AuditEntry): Promise<void> {
    if (!this.em.isInTransaction()) {
      await this.em.transactional((em) => new AuditService(em).record(entry));
      return;
    }
    if (!(AUDIT_ACTIONS as readonly string[]).includes(entry.action)) throw new Error(`audit: unknown action ${entry.action}`);
    if (!(AUDIT_ACTOR_KINDS as readonly string[]).includes(entry.actorKind)) throw new Error(`audit: unknown actor kind ${entry.actorKind}`);
    const documentId = uuidOrNull(entry.documentId, 'documentId');
    if (!documentId) throw new Error('audit: documentId is required');
    const actorId = uuidOrNull(entry.actorId, 'actorId');
    const versionId = uuidOrNull(entry.versionId, 'versionId');
    // A JSON round trip drops what jsonb cannot keep (undefined, functions) before it is stored and hashed.
    const detailsJson = JSON.stringify(entry.details ?? {});

    const [locked] = await this.em.execute<{ details: string }[]>('select pg_advisory_xact_lock(?::bigint), ?::jsonb::text as details', [String(AUDIT_CHAIN_LOCK_KEY), detailsJson]);
    const [last] = await this.em.execute<{ seq: string; hash: string }[]>('select seq, hash from audit_records order by seq desc limit 1');
    const recordedAt = recordedAtText(new Date());
    const fields: AuditHashInput = {
      seq: last ? Number(last.seq) + 1 : 1,
      id: randomUUID(),
      documentId,
      action: entry.action,
      actorId,
      actorKind: entry.actorKind,
      versionId,
      recordedAt,
      detailsText: locked.details,
      prevHash: last ? last.hash : GENESIS_HASH,
    };
    await this.em.execute(
      `insert into audit_records (id, seq, document_id, action, actor_id, actor_kind, version_id, details, recorded_at, prev_hash, hash)
       values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::timestamptz, ?, ?)`,
      [fields.id, fields.seq, documentId, fields.action, actorId, fields.actorKind, versionId, detailsJson, recordedAt, fields.prevHash, auditRecordHash(fields)],
    );
    // what the counterparty's timeline shows of it, in the same transaction (issue 11)
    await publishDocumentActivity(this.em, { ...entry, documentId, actorId }, new Date(recordedAt));
  }

  /**
   * Walks the whole chain in seq order, VERIFY_BATCH_SIZE records at a time, and stops at the first record
   * that does not verify: its hash is not the hash of its fields (edited), its seq does not follow the
   * previous one (a record deleted), or its prevHash is not the previous record's hash (records reordered,
   * inserted or re-hashed).
   */
  async verifyChain(): Promise<AuditChainVerification> {
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
