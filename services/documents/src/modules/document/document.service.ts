import { QueryOrder, type FilterQuery } from '@mikro-orm/core';
import { type ConnectionShape, decodeCursor, encodeCursor, isUuid, type SubgraphContext, toConnection, UserInputError } from '@kartoteka/kit';
import { Document, type DocumentStatus, type DocumentType } from './document.entity';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Position in the list order `date desc nulls first, created_at desc, id desc`. */
type DocumentCursor = { date: string | null; createdAt: string; id: string };

export type NewDocument = {
  type: DocumentType;
  counterpartyId: string;
  title: string;
  date?: string | null;
  number?: string | null;
  amountMinor?: number | null;
  currency?: string | null;
  dealId?: string | null;
};

export type DocumentFilter = { counterpartyId?: string | null; type?: DocumentType | null; status?: DocumentStatus | null };
export type PageArgs = { first: number; after?: string | null };

function cursorOf(document: Document): string {
  return encodeCursor([document.date, document.createdAt.toISOString(), document.id]);
}

function parseCursor(after: string): DocumentCursor {
  const [date, createdAt, id] = decodeCursor(after, 3);
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

export class DocumentService {
  constructor(private readonly context: Pick<SubgraphContext, 'em' | 'identity' | 'loaders'>) {}

  async create(input: NewDocument): Promise<Document> {
    const title = input.title.trim();
    if (!title) throw new UserInputError('title', 'Enter a title');
    const number = input.number?.trim() || null;
    const hasAmount = input.amountMinor !== null && input.amountMinor !== undefined;
    const identity = this.context.identity;
    const document = this.context.em.create(Document, {
      type: input.type,
      counterpartyId: input.counterpartyId.toLowerCase(),
      title,
      date: input.date ?? null,
      number,
      amountMinor: hasAmount ? input.amountMinor : null,
      currency: hasAmount ? (input.currency ?? 'RUB') : null,
      dealId: input.dealId?.toLowerCase() ?? null,
      // The author is a staff member; a document a partner system creates has none.
      authorId: identity.kind === 'user' ? identity.id : null,
    });
    await this.context.em.flush();
    return document;
  }

  findById(id: string): Promise<Document | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.context.em.findOne(Document, { id });
  }

  findByIds(ids: readonly string[]): Promise<Document[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.context.em.find(Document, { id: { $in: valid } }) : Promise.resolve([]);
  }

  /** One page of documents matching the filter, plus the total: two statements. */
  async list(filter: DocumentFilter, args: PageArgs): Promise<ConnectionShape<Document>> {
    const where: FilterQuery<Document> = {};
    if (filter.counterpartyId) where.counterpartyId = filter.counterpartyId.toLowerCase();
    if (filter.type) where.type = filter.type;
    if (filter.status) where.status = filter.status;
    const query = this.context.em
      .createQueryBuilder(Document, 'd')
      .where(where)
      .orderBy({ date: QueryOrder.DESC_NULLS_FIRST, createdAt: QueryOrder.DESC, id: QueryOrder.DESC })
      .limit(args.first + 1);
    if (args.after) {
      const after = afterCursorSql('d', parseCursor(args.after));
      query.andWhere(after.sql, after.params);
    }
    const [rows, total] = await Promise.all([query.getResultList(), this.context.em.count(Document, where)]);
    return toConnection(rows, args.first, total, cursorOf);
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
   * First `first` documents after `cursor` for every counterparty (a LATERAL index scan each, bounded by
   * LIMIT) and their totals (one grouped count).
   */
  private async pagesOfCounterparties(counterpartyIds: readonly string[], first: number, cursor: DocumentCursor | null): Promise<ConnectionShape<Document>[]> {
    const ids = [...new Set(counterpartyIds.filter(isUuid))];
    const rowsById = new Map<string, Document[]>();
    const totals = new Map<string, number>();
    if (ids.length) {
      const connection = this.context.em.getConnection();
      const after = cursor ? afterCursorSql('x', cursor) : null;
      const pageSql = `select d.* from unnest(array[?]::uuid[]) as c(id) cross join lateral (
          select x.* from documents x where x.counterparty_id = c.id${after ? ` and ${after.sql}` : ''}
          order by ${ORDER_SQL('x')} limit ?
        ) d order by d.counterparty_id, ${ORDER_SQL('d')}`;
      const [rows, counts] = await Promise.all([
        connection.execute<Record<string, unknown>[]>(pageSql, [ids, ...(after?.params ?? []), first + 1]),
        connection.execute<{ counterparty_id: string; total: number }[]>(
          'select counterparty_id, count(*)::int as total from documents where counterparty_id in (?) group by counterparty_id',
          [ids],
        ),
      ]);
      for (const row of rows) {
        const document = this.context.em.map(Document, row);
        const group = rowsById.get(document.counterpartyId);
        if (group) group.push(document);
        else rowsById.set(document.counterpartyId, [document]);
      }
      for (const count of counts) totals.set(count.counterparty_id, count.total);
    }
    return counterpartyIds.map((id) => toConnection(rowsById.get(id) ?? [], first, totals.get(id) ?? 0, cursorOf));
  }
}
