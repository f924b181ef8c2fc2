import { QueryOrder, raw, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type CappedCount, cappedCountOf, ConflictError, type ConnectionShape, type CountedConnection, CounterpartyDirectory, decodeCursor, encodeCursor, ForbiddenError, isUuid, preparedRows, readOnlyMapper, readPageRows, SortDirection, type SubgraphContext, toConnection, UserInputError } from '@kartoteka/kit';
import { AuditService } from '../audit/audit.service';
import { auditedTransaction, deferAudit } from '../audit/audited-transaction';
import { JournalService } from '../journal/journal.service';
import { NotificationService } from '../notification/notification.service';
import { StaffService } from '../staff/staff.service';
import { actorOf, isDocumentsAdmin, isOwner, readableSql } from './document-access';
import { todayUtc } from './document.dates';
import { DocumentReader } from './document.reader';
import { publishDealDocumentStatus, publishSignedDocumentChanged } from './document.events';
import { DocumentLinkService } from './document-link.service';
import { DocumentVersionService } from './document-version.service';
import { changeStatus, recordInitialStatus, recordStatusChangeSql } from './document-status-change.service';
import { Document, DocumentStatus, DocumentType } from './document.entity';
import { DocumentSort, type CreateDocumentInput, type DocumentFieldsInput, type UpdateDocumentInput } from './document.input';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Position in the list order `date desc nulls first, created_at desc, id desc`. */
type DocumentCursor = { date: string | null; createdAt: string; id: string };

export type DocumentFilter = {
  counterpartyId?: string | null;
  dealId?: string | null;
  type?: DocumentType | null;
  status?: DocumentStatus | null;
  dateFrom?: string | null;
  dateTo?: string | null;
  search?: string | null;
  sort?: DocumentSort | null;
  direction?: SortDirection | null;
};
/**
 * `withTotal: false` leaves `totalCount` at 0 and skips counting (an export's later pages, a query that does not
 * select it); `countUpTo`: also count the matching rows up to this cap (document.count.ts).
 */
export type PageArgs = { first: number; after?: string | null; withTotal?: boolean; countUpTo?: number | null };
type Context = Pick<SubgraphContext, 'em' | 'identity' | 'loaders'>;

/** Which details input belongs to which type. */
const DETAILS_KEY: Record<DocumentType, keyof DocumentFieldsInput | null> = {
  [DocumentType.CONTRACT]: 'contract',
  [DocumentType.SUPPLEMENTARY_AGREEMENT]: 'supplementaryAgreement',
  [DocumentType.INVOICE]: 'invoice',
  [DocumentType.ACT]: 'act',
  [DocumentType.PAYMENT_ORDER]: 'paymentOrder',
  [DocumentType.INCOMING_LETTER]: 'letter',
  [DocumentType.OUTGOING_LETTER]: 'letter',
  [DocumentType.COMMERCIAL_OFFER]: 'commercialOffer',
  [DocumentType.OTHER]: null,
};
const ALL_DETAILS_KEYS = ['contract', 'supplementaryAgreement', 'invoice', 'act', 'paymentOrder', 'letter', 'commercialOffer'] as const;
const AMOUNT_REQUIRED = new Set([DocumentType.INVOICE, DocumentType.ACT, DocumentType.PAYMENT_ORDER]);
/** Statuses in which the document's fields may still change. */
const EDITABLE = new Set([DocumentStatus.DRAFT, DocumentStatus.REJECTED]);

/** Allowed status changes by hand (approval moves the others). */
const MANUAL_TRANSITIONS: Partial<Record<DocumentStatus, DocumentStatus[]>> = {
  [DocumentStatus.DRAFT]: [DocumentStatus.CANCELLED],
  [DocumentStatus.REJECTED]: [DocumentStatus.CANCELLED],
  [DocumentStatus.SIGNED]: [DocumentStatus.IN_FORCE, DocumentStatus.CANCELLED],
  [DocumentStatus.IN_FORCE]: [DocumentStatus.EXECUTED, DocumentStatus.TERMINATED],
};

function cursorOf(document: Document): string {
  return encodeCursor([document.date, document.createdAt.toISOString(), document.id]);
}

function parseCursor(after: string): DocumentCursor {
  const [date, createdAt, id] = decodeCursor(after, ['date?', 'timestamp', 'uuid']);
  const validDate = date === null || (typeof date === 'string' && ISO_DATE.test(date));
  const validCreatedAt = typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt));
  if (!validDate || !validCreatedAt || typeof id !== 'string' || !isUuid(id)) throw new UserInputError('after', 'The cursor is not valid for this list');
  return { date, createdAt, id };
}

/**
 * Rows strictly after the cursor in the list order. Undated documents sort first; for a dated cursor the
 * row comparison is NULL (so false) on undated rows, which are all before it.
 */
function afterCursorSql(alias: string, cursor: DocumentCursor): { sql: string; params: string[] } {
  if (cursor.date === null) {
    return { sql: `(${alias}.date is not null or (${alias}.created_at, ${alias}.id) < (?::timestamptz, ?::uuid))`, params: [cursor.createdAt, cursor.id] };
  }
  return { sql: `(${alias}.date, ${alias}.created_at, ${alias}.id) < (?::date, ?::timestamptz, ?::uuid)`, params: [cursor.date, cursor.createdAt, cursor.id] };
}

const ORDER_SQL = (alias: string) => `${alias}.date desc nulls first, ${alias}.created_at desc, ${alias}.id desc`;

/**
 * Statuses in the order of the life cycle, for the STATUS sort: a draft, on approval, back for rework,
 * approved, signed, in force, then the ends (executed, terminated, cancelled).
 */
export const STATUS_LIFECYCLE_ORDER: readonly DocumentStatus[] = [
  DocumentStatus.DRAFT,
  DocumentStatus.ON_APPROVAL,
  DocumentStatus.REJECTED,
  DocumentStatus.APPROVED,
  DocumentStatus.SIGNED,
  DocumentStatus.IN_FORCE,
  DocumentStatus.EXECUTED,
  DocumentStatus.TERMINATED,
  DocumentStatus.CANCELLED,
];
const STATUS_RANK_SQL = (alias: string) => `array_position(array[${STATUS_LIFECYCLE_ORDER.map((status) => `'${status}'`).join(',')}]::text[], ${alias}.status::text)`;

/**
 * Sortable columns of the registry: the SQL expression, its PostgreSQL type, the cursor part of its value and
 * the direction when none is asked for.
 */
const SORTS: Record<DocumentSort, { sql: (alias: string) => string; cast: string; part: 'string?' | 'date?' | 'int53?'; direction: SortDirection }> = {
  [DocumentSort.NUMBER]: { sql: (alias) => `${alias}.number`, cast: 'text', part: 'string?', direction: SortDirection.ASC },
  [DocumentSort.DATE]: { sql: (alias) => `${alias}.date`, cast: 'date', part: 'date?', direction: SortDirection.DESC },
  [DocumentSort.TITLE]: { sql: (alias) => `${alias}.title`, cast: 'text', part: 'string?', direction: SortDirection.ASC },
  [DocumentSort.AMOUNT]: { sql: (alias) => `${alias}.amount_minor`, cast: 'bigint', part: 'int53?', direction: SortDirection.DESC },
  [DocumentSort.STATUS]: { sql: STATUS_RANK_SQL, cast: 'int', part: 'int53?', direction: SortDirection.ASC },
};
type DocumentOrder = { key: DocumentSort; desc: boolean };

function orderOf(filter: DocumentFilter): DocumentOrder | null {
  if (!filter.sort) {
    if (filter.direction) throw new UserInputError('direction', 'Name the column to sort by', { reason: 'documents.sort' });
    return null;
  }
  if (!Object.hasOwn(SORTS, filter.sort)) throw new UserInputError('sort', `Documents can be sorted by ${Object.keys(SORTS).join(', ')}`, { reason: 'documents.sort' });
  if (filter.direction && filter.direction !== SortDirection.ASC && filter.direction !== SortDirection.DESC) {
    throw new UserInputError('direction', 'Sort direction is ASC or DESC', { reason: 'documents.sort-direction' });
  }
  return { key: filter.sort, desc: (filter.direction ?? SORTS[filter.sort].direction) === SortDirection.DESC };
}

/** The sort value of a row as the cursor keeps it (dates as YYYY-MM-DD, amounts as numbers, statuses by rank). */
function sortValueOf(document: Document, key: DocumentSort): string | number | null {
  switch (key) {
    case DocumentSort.NUMBER:
      return document.number;
    case DocumentSort.DATE:
      return document.date;
    case DocumentSort.TITLE:
      return document.title;
    case DocumentSort.AMOUNT:
      return document.amountMinor === null ? null : Number(document.amountMinor);
    case DocumentSort.STATUS:
      return STATUS_LIFECYCLE_ORDER.indexOf(document.status) + 1;
  }
}

const orderTag = (order: DocumentOrder) => `${order.key}:${order.desc ? 'DESC' : 'ASC'}`;

/**
 * Keyset pagination in a sorted order `value <dir> nulls last, id <dir>`: empty values last in both
 * directions, the id breaks ties, so every row is on exactly one page even when many share a value. A cursor
 * names its order, so one of another order is refused instead of silently skipping rows.
 */
function sortedCursorOf(order: DocumentOrder): (document: Document) => string {
  return (document) => encodeCursor([orderTag(order), sortValueOf(document, order.key), document.id]);
}

function sortedAfterSql(alias: string, order: DocumentOrder, after: string): { sql: string; params: (string | number)[] } {
  const spec = SORTS[order.key];
  const [tag, value, id] = decodeCursor(after, ['string', spec.part, 'uuid']) as [string, string | number | null, string];
  if (tag !== orderTag(order)) throw new UserInputError('after', 'The cursor belongs to another sort order of this list');
  const expression = spec.sql(alias);
  const op = order.desc ? '<' : '>';
  if (value === null) return { sql: `(${expression} is null and ${alias}.id ${op} ?::uuid)`, params: [id] };
  return { sql: `(${expression} is null or (${expression}, ${alias}.id) ${op} (?::${spec.cast}, ?::uuid))`, params: [value, id] };
}

/** The registry's text search: the number, the title, the summary or the sender's number contains the term (`searchParams`). */
function searchSql(alias: string): string {
  return `(${alias}.number ilike ? or ${alias}.title ilike ? or ${alias}.summary ilike ? or ${alias}.sender_number ilike ?)`;
}

function searchParams(pattern: string): string[] {
  return [pattern, pattern, pattern, pattern];
}

function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function trimmed(value: string | null | undefined): string | null {
  const text = value?.trim();
  return text ? text : null;
}

export class DocumentService {
  /** Finds and locks documents by the readable-document rule (the lock runs on the transaction passed to it). */
  private readonly reader: DocumentReader;

  constructor(private readonly context: Context) {
    this.reader = new DocumentReader(context);
  }

  /** Creates a draft with its details, optional first version and links: one transaction, audited. */
  async create(input: CreateDocumentInput): Promise<Document> {
    const title = input.title.trim();
    if (!title) throw new UserInputError('title', 'Enter a title');
    const identity = this.context.identity;
    const authorId = identity.kind === 'user' ? identity.id : null;
    const id = await auditedTransaction(this.context.em, async (em) => {
      // References are checked against this service's read models (filled by events), never by asking their owners.
      await new CounterpartyDirectory(em).requireActive(input.counterpartyId, 'counterpartyId');
      if (input.responsibleId) await new StaffService(em).requireActive(input.responsibleId, 'responsibleId');
      const document = em.create(Document, {
        type: input.type,
        counterpartyId: input.counterpartyId.toLowerCase(),
        title,
        number: trimmed(input.number),
        authorId,
        responsibleId: input.responsibleId?.toLowerCase() ?? authorId,
        restricted: input.restricted ?? false,
      });
      applyFields(document, input, true);
      if (input.type === DocumentType.SUPPLEMENTARY_AGREEMENT && !input.links?.some((link) => link.kind === 'SUPPLEMENT_TO')) {
        throw new UserInputError('links', 'Link the supplementary agreement to its contract (SUPPLEMENT_TO)');
      }
      em.persist(document);
      recordInitialStatus(em, document, actorOf(identity));
      await em.flush();
      deferAudit(em, { documentId: document.id, action: 'DOCUMENT_CREATED', ...actorOf(identity), details: { type: document.type, title } });
      for (const [index, link] of (input.links ?? []).entries()) {
        await new DocumentLinkService({ ...this.context, em }).addWithin(em, document, link.targetId, link.kind, `links.${index}.targetId`);
      }
      if (input.fileIds?.length) await new DocumentVersionService({ ...this.context, em }).addWithin(em, document, input.fileIds, null, false);
      await new NotificationService(em).documentChanged(document.id);
      return document.id;
    });
    return this.context.em.findOneOrFail(Document, { id }, { refresh: true });
  }

  /**
   * A draft asked for by a deal action (consumed event), inside the consumer's transaction: the details a
   * user completes later (a contract's subject is the title, it starts today), one document per action.
   */
  async createForDeal(
    em: EntityManager,
    request: { dealId: string; actionId: string; counterpartyId: string; documentType: DocumentType; title: string; requestedById: string | null; amountMinor: number | null; currency: string | null },
  ): Promise<Document> {
    const identity = this.context.identity;
    const authorId = identity.kind === 'user' ? identity.id : null;
    return auditedTransaction(em, async (tem) => {
      const today = todayUtc();
      const document = tem.create(Document, {
        type: request.documentType,
        counterpartyId: request.counterpartyId,
        dealId: request.dealId,
        sourceActionId: request.actionId,
        title: request.title,
        authorId,
        responsibleId: authorId,
        amountMinor: request.amountMinor,
        currency: request.amountMinor === null ? null : (request.currency ?? 'RUB'),
      });
      if (request.documentType === DocumentType.CONTRACT) {
        document.subject = request.title;
        document.startDate = today;
      }
      recordInitialStatus(tem, document, actorOf(identity));
      await tem.flush();
      deferAudit(tem, { documentId: document.id, action: 'DOCUMENT_CREATED', ...actorOf(identity), details: { type: document.type, title: document.title, dealId: request.dealId, actionId: request.actionId } });
      await new NotificationService(tem).documentChanged(document.id);
      return document;
    });
  }

  /** Readable documents of a deal, newest first (batched across deals). */
  async ofDeal(dealId: string): Promise<Document[]> {
    if (!isUuid(dealId)) return [];
    const loader = this.context.loaders.get<Document[]>('documents:of-deal', async (ids) => {
      const valid = ids.filter(isUuid);
      const access = readableSql('d', this.context.identity);
      const rows = valid.length
        ? await this.context.em.createQueryBuilder(Document, 'd').where({ dealId: { $in: valid } }).andWhere(access.sql, access.params).orderBy({ createdAt: QueryOrder.DESC, id: QueryOrder.DESC }).getResultList()
        : [];
      return ids.map((id) => rows.filter((row) => row.dealId === id));
    });
    return (await loader.load(dealId.toLowerCase())) ?? [];
  }

  /** Changes fields of a draft or a rejected document (under rework). Stale `version` → CONFLICT. */
  async update(input: UpdateDocumentInput): Promise<Document> {
    const identity = this.context.identity;
    await auditedTransaction(this.context.em, async (em) => {
      const document = await this.reader.lockReadable(em, input.id);
      if (document.version !== input.version) {
        throw new ConflictError('The document was changed by someone else; reload it and repeat your changes', { currentVersion: document.version });
      }
      if (!EDITABLE.has(document.status)) throw new UserInputError('id', `A document in status ${document.status} cannot be edited; recall it from approval first`, { reason: 'document.not-editable' });
      if (input.title !== undefined && input.title !== null) {
        const title = input.title.trim();
        if (!title) throw new UserInputError('title', 'Enter a title');
        document.title = title;
      }
      const changesAccess = (input.responsibleId !== undefined && (input.responsibleId?.toLowerCase() ?? document.authorId) !== document.responsibleId)
        || (input.restricted !== undefined && input.restricted !== null && input.restricted !== document.restricted);
      if (changesAccess && !isOwner(identity, document) && !isDocumentsAdmin(identity)) {
        throw new ForbiddenError('Only the author, the responsible employee or an administrator can change who is responsible or who may see the document');
      }
      if (input.responsibleId && input.responsibleId.toLowerCase() !== document.responsibleId) await new StaffService(em).requireActive(input.responsibleId, 'responsibleId');
      if (input.responsibleId !== undefined) document.responsibleId = input.responsibleId?.toLowerCase() ?? document.authorId;
      if (input.restricted !== undefined && input.restricted !== null) document.restricted = input.restricted;
      applyFields(document, input, false);
      await em.flush();
      deferAudit(em, { documentId: document.id, action: 'DOCUMENT_UPDATED', ...actorOf(identity), details: { fields: Object.keys(input).filter((key) => key !== 'id' && key !== 'version') } });
      await new NotificationService(em).documentChanged(document.id);
    });
    return this.context.em.findOneOrFail(Document, { id: input.id }, { refresh: true });
  }

  /** Assigns the next number of the document's journal (type and year). Once; never reused. */
  async register(id: string): Promise<Document> {
    await auditedTransaction(this.context.em, async (em) => {
      const document = await this.reader.lockReadable(em, id);
      if (document.registeredAt) throw new ConflictError(`The document is already registered under № ${document.number}`, { reason: 'document.already-registered' });
      if (document.status === DocumentStatus.CANCELLED) throw new UserInputError('id', 'A cancelled document cannot be registered', { reason: 'document.cancelled' });
      await new JournalService(em).registerWithin(document, actorOf(this.context.identity));
    });
    return this.context.em.findOneOrFail(Document, { id }, { refresh: true });
  }

  /** Cancels a document, or moves a signed contract through in force → executed / terminated. */
  async setStatus(id: string, status: DocumentStatus, comment: string | null): Promise<Document> {
    const identity = this.context.identity;
    await auditedTransaction(this.context.em, async (em) => {
      const document = await this.reader.lockReadable(em, id);
      const allowed = MANUAL_TRANSITIONS[document.status as DocumentStatus] ?? [];
      const contractOnly = status === DocumentStatus.IN_FORCE || status === DocumentStatus.EXECUTED || status === DocumentStatus.TERMINATED;
      if (!allowed.includes(status) || (contractOnly && document.type !== DocumentType.CONTRACT && document.type !== DocumentType.SUPPLEMENTARY_AGREEMENT)) {
        throw new UserInputError('status', `A ${document.type} in status ${document.status} cannot become ${status}`, { reason: 'document.status-transition' });
      }
      if (document.status === DocumentStatus.SIGNED && status === DocumentStatus.CANCELLED && !isDocumentsAdmin(identity)) {
        throw new ForbiddenError('Only an administrator can cancel a signed document');
      }
      const from = document.status;
      changeStatus(em, document, status, actorOf(identity), trimmed(comment));
      await em.flush();
      deferAudit(em, { documentId: document.id, action: 'STATUS_CHANGED', ...actorOf(identity), details: { from, to: status, comment: trimmed(comment) } });
      await publishDealDocumentStatus(em, document);
      await publishSignedDocumentChanged(em, document);
      await new NotificationService(em).documentChanged(document.id);
    });
    return this.context.em.findOneOrFail(Document, { id }, { refresh: true });
  }

  /**
   * Signed contracts whose start date has come go in force (the scheduled job calls this daily and the
   * sign-off calls it for one document). Returns how many changed.
   */
  async activateContracts(em: EntityManager, today: string, documentId?: string): Promise<number> {
    const rows = await em.execute<{ id: string }[]>(
      `update documents set status = 'IN_FORCE', updated_at = now(), version = version + 1
        where status = 'SIGNED' and type = 'CONTRACT' and start_date <= ?::date ${documentId ? 'and id = ?' : ''} returning id`,
      documentId ? [today, documentId] : [today],
    );
    for (const row of rows) {
      // Called by the scheduled job in its own transaction: the audit record is the last write per row.
      await recordStatusChangeSql(em, row.id, DocumentStatus.SIGNED, DocumentStatus.IN_FORCE, { actorId: null, actorKind: 'system' }, 'start date reached');
      await new AuditService(em).record({ documentId: row.id, action: 'STATUS_CHANGED', actorId: null, actorKind: 'system', details: { from: 'SIGNED', to: 'IN_FORCE', reason: 'start date reached' } });
      await new NotificationService(em).documentChanged(row.id);
      const document = await em.findOne(Document, { id: row.id }, { refresh: true });
      if (document) {
        await publishDealDocumentStatus(em, document);
        await publishSignedDocumentChanged(em, document);
      }
    }
    return rows.length;
  }

  /** One page of readable documents matching the filter, plus the counts asked for: one statement each. */
  async list(filter: DocumentFilter, args: PageArgs): Promise<CountedConnection<Document>> {
    const where: FilterQuery<Document> = {};
    if (filter.counterpartyId) where.counterpartyId = filter.counterpartyId.toLowerCase();
    if (filter.dealId) where.dealId = filter.dealId.toLowerCase();
    if (filter.type) where.type = filter.type;
    if (filter.status) where.status = filter.status;
    if (filter.dateFrom && filter.dateTo && filter.dateFrom > filter.dateTo) throw new UserInputError('dateTo', 'The end of the period is before its start');
    if (filter.dateFrom || filter.dateTo) where.date = { ...(filter.dateFrom ? { $gte: filter.dateFrom } : {}), ...(filter.dateTo ? { $lte: filter.dateTo } : {}) };
    const access = readableSql('d', this.context.identity);
    const search = filter.search?.trim();
    const pattern = search ? likePattern(search) : null;
    const build = () => {
      const query = this.context.em.createQueryBuilder(Document, 'd').where(where).andWhere(access.sql, access.params);
      if (pattern) query.andWhere(searchSql('d'), searchParams(pattern));
      return query;
    };
    const order = orderOf(filter);
    const page = build().limit(args.first + 1);
    if (order) {
      page.orderBy({ [raw(SORTS[order.key].sql('d'))]: order.desc ? QueryOrder.DESC_NULLS_LAST : QueryOrder.ASC_NULLS_LAST, id: order.desc ? QueryOrder.DESC : QueryOrder.ASC });
      if (args.after) {
        const after = sortedAfterSql('d', order, args.after);
        page.andWhere(after.sql, after.params);
      }
    } else {
      page.orderBy({ date: QueryOrder.DESC_NULLS_FIRST, createdAt: QueryOrder.DESC, id: QueryOrder.DESC });
      if (args.after) {
        const after = afterCursorSql('d', parseCursor(args.after));
        page.andWhere(after.sql, after.params);
      }
    }
    const countUpTo = args.countUpTo ?? null;
    const capped = async (): Promise<CappedCount | undefined> => {
      if (countUpTo === null) return undefined;
      const matching = build().select(raw('1')).limit(countUpTo + 1).getKnexQuery();
      const [row] = await this.context.em.execute<{ total: string }[]>(this.context.em.getKnex().count({ total: '*' }).from(matching.as('capped')));
      return cappedCountOf(Number(row?.total ?? 0), countUpTo);
    };
    const [rows, total, cappedCount] = await Promise.all([page.getResultList(), args.withTotal === false ? 0 : build().getCount(), capped()]);
    return { ...toConnection(rows, args.first, total, order ? sortedCursorOf(order) : cursorOf), ...(cappedCount ? { cappedCount } : {}) };
  }

  /**
   * The documents page of one counterparty. All counterparties asked for in one request with the same
   * arguments (e.g. many `_entities` representations) are loaded together: two statements in all.
   */
  async pageOfCounterparty(counterpartyId: string, args: PageArgs): Promise<ConnectionShape<Document>> {
    const cursor = args.after ? parseCursor(args.after) : null;
    const loader = this.context.loaders.get<ConnectionShape<Document>>(`documents:of-counterparty:${args.first}:${args.after ?? ''}`, (ids) =>
      this.pagesOfCounterparties(ids, args.first, cursor),
    );
    return (await loader.load(counterpartyId.toLowerCase())) ?? toConnection([], args.first, 0, cursorOf);
  }

  /**
   * First `first` readable documents after `cursor` for every counterparty (a LATERAL index scan each, bounded by
   * LIMIT), their totals and their authors' names from the staff directory, in one statement; the authors are
   * handed to the per-request batch of `User.name` (kit's readPageRows), so they cost no query of their own.
   */
  private async pagesOfCounterparties(counterpartyIds: readonly string[], first: number, cursor: DocumentCursor | null): Promise<ConnectionShape<Document>[]> {
    const ids = [...new Set(counterpartyIds.filter(isUuid))];
    if (!ids.length) return counterpartyIds.map(() => toConnection<Document>([], first, 0, cursorOf));
    const after = cursor ? afterCursorSql('x', cursor) : null;
    const inner = readableSql('x', this.context.identity);
    const outer = readableSql('t', this.context.identity);
    const pageSql = `select d.*, n.page_total, sm.id as page_user_id, sm.name as page_user_name, c.id as page_parent_id
      from unnest(?::uuid[]) as c(id)
      cross join lateral (select count(*)::int as page_total from documents t where t.counterparty_id = c.id and ${outer.sql}) n
      left join lateral (
        select x.* from documents x where x.counterparty_id = c.id and ${inner.sql}${after ? ` and ${after.sql}` : ''}
        order by ${ORDER_SQL('x')} limit ?
      ) d on true
      left join staff_members sm on sm.id = d.author_id
      order by c.id, ${ORDER_SQL('d')}`;
    // a prepared statement (kit's preparedRows): planning this statement cost more than running it
    const rows = await preparedRows(this.context.em, pageSql, [ids, ...outer.params, ...inner.params, ...(after?.params ?? []), first + 1]);
    // read-only entities (kit's readOnlyMapper): a page is never written, so no identity map or change tracking
    const toDocument = readOnlyMapper(this.context.em, Document);
    const pages = readPageRows(this.context, rows, { map: toDocument, userIdOf: (document) => document.authorId });
    return counterpartyIds.map((id) => toConnection(pages.groups.get(id) ?? [], first, pages.totals.get(id) ?? 0, cursorOf));
  }
}

/** Applies the shared fields and the type's details; on create the type's required details must be there. */
function applyFields(document: Document, input: DocumentFieldsInput, creating: boolean): void {
  const own = DETAILS_KEY[document.type];
  for (const key of ALL_DETAILS_KEYS) {
    if (key !== own && input[key]) throw new UserInputError(key, `A ${document.type} has no ${key} fields`, { reason: 'document.details-type-mismatch' });
  }
  if (input.date !== undefined) document.date = input.date ?? null;
  if (input.summary !== undefined) document.summary = trimmed(input.summary);
  if (input.dealId !== undefined) document.dealId = input.dealId?.toLowerCase() ?? null;
  if (input.amountMinor !== undefined) {
    document.amountMinor = input.amountMinor ?? null;
    document.currency = input.amountMinor === null ? null : (input.currency ?? document.currency ?? 'RUB');
  } else if (input.currency && document.amountMinor !== null) {
    document.currency = input.currency;
  }
  if (AMOUNT_REQUIRED.has(document.type) && document.amountMinor === null) {
    throw new UserInputError('amountMinor', `Enter the amount of the ${document.type.toLowerCase().replace('_', ' ')}`);
  }
  const requireDetails = (key: string, message: string) => {
    if (creating) throw new UserInputError(key, message);
  };
  switch (document.type) {
    case DocumentType.CONTRACT:
      if (input.contract) {
        if (!input.contract.subject.trim()) throw new UserInputError('contract.subject', 'Enter the subject of the contract');
        if (input.contract.endDate && input.contract.endDate < input.contract.startDate) throw new UserInputError('contract.endDate', 'The contract cannot end before it starts');
        document.subject = input.contract.subject.trim();
        document.startDate = input.contract.startDate;
        document.endDate = input.contract.endDate ?? null;
        document.paymentTerms = trimmed(input.contract.paymentTerms);
      } else requireDetails('contract', 'Enter the contract\'s subject and start date');
      break;
    case DocumentType.SUPPLEMENTARY_AGREEMENT:
      if (input.supplementaryAgreement) {
        if (!input.supplementaryAgreement.subject.trim()) throw new UserInputError('supplementaryAgreement.subject', 'Enter the subject of the agreement');
        document.subject = input.supplementaryAgreement.subject.trim();
        document.startDate = input.supplementaryAgreement.effectiveDate ?? null;
      } else requireDetails('supplementaryAgreement', 'Enter the subject of the supplementary agreement');
      break;
    case DocumentType.INVOICE:
      if (input.invoice) {
        document.vatMinor = input.invoice.vatMinor ?? null;
        document.dueDate = input.invoice.dueDate;
      } else requireDetails('invoice', 'Enter the due date of the invoice');
      break;
    case DocumentType.ACT:
      if (input.act) {
        if (input.act.periodEnd < input.act.periodStart) throw new UserInputError('act.periodEnd', 'The period cannot end before it starts');
        document.vatMinor = input.act.vatMinor ?? null;
        document.periodStart = input.act.periodStart;
        document.periodEnd = input.act.periodEnd;
      } else requireDetails('act', 'Enter the period of the act');
      break;
    case DocumentType.PAYMENT_ORDER:
      if (input.paymentOrder) {
        for (const key of ['payer', 'payee', 'purpose'] as const) {
          if (!input.paymentOrder[key].trim()) throw new UserInputError(`paymentOrder.${key}`, `Enter the ${key}`);
        }
        document.paymentDate = input.paymentOrder.paymentDate;
        document.payer = input.paymentOrder.payer.trim();
        document.payee = input.paymentOrder.payee.trim();
        document.subject = input.paymentOrder.purpose.trim();
      } else requireDetails('paymentOrder', 'Enter the date, payer, payee and purpose of the payment');
      break;
    case DocumentType.INCOMING_LETTER:
    case DocumentType.OUTGOING_LETTER:
      if (input.letter) {
        document.subject = trimmed(input.letter.subject);
        document.correspondent = trimmed(input.letter.correspondent);
        document.senderNumber = trimmed(input.letter.senderNumber);
        document.senderDate = input.letter.senderDate ?? null;
      }
      break;
    case DocumentType.COMMERCIAL_OFFER:
      if (input.commercialOffer) document.dueDate = input.commercialOffer.validUntil ?? null;
      break;
    default:
      break;
  }
}
