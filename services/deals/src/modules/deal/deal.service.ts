import type { FilterQuery } from '@mikro-orm/core';
import { type ConnectionShape, decodeCursor, encodeCursor, isUuid, type SubgraphContext, toConnection, UserInputError } from '@kartoteka/kit';
import { DEFAULT_STAGE, dealStage, stageCodes } from './deal-stages';
import { Deal } from './deal.entity';


/** Position in the list order `created_at desc, id desc`. */
type DealCursor = { createdAt: string; id: string };

export type NewDeal = {
  title: string;
  counterpartyId: string;
  amountMinor?: number | null;
  currency?: string | null;
  stage?: string | null;
  ownerId?: string | null;
  expectedCloseDate?: string | null;
};

export type DealFilter = { counterpartyId?: string | null; stage?: string | null };
export type PageArgs = { first: number; after?: string | null };

function cursorOf(deal: Deal): string {
  return encodeCursor([deal.createdAt.toISOString(), deal.id]);
}

function parseCursor(after: string): DealCursor {
  const [createdAt, id] = decodeCursor(after, 2);
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)) || typeof id !== 'string' || !isUuid(id)) {
    throw new UserInputError('after', 'The cursor is not valid for this list');
  }
  return { createdAt, id };
}

function afterCursorSql(alias: string, cursor: DealCursor): { sql: string; params: string[] } {
  return { sql: `(${alias}.created_at, ${alias}.id) < (?::timestamptz, ?::uuid)`, params: [cursor.createdAt, cursor.id] };
}

function knownStage(field: string, code: string): string {
  if (!dealStage(code)) throw new UserInputError(field, `Unknown stage «${code}»; the stages are ${stageCodes().join(', ')}`);
  return code;
}

export class DealService {
  constructor(private readonly context: Pick<SubgraphContext, 'em' | 'identity' | 'loaders'>) {}

  async create(input: NewDeal): Promise<Deal> {
    const title = input.title.trim();
    if (!title) throw new UserInputError('title', 'Enter a title');
    const stage = knownStage('stage', input.stage?.trim() || DEFAULT_STAGE);
    const hasAmount = input.amountMinor !== null && input.amountMinor !== undefined;
    const identity = this.context.identity;
    const deal = this.context.em.create(Deal, {
      title,
      counterpartyId: input.counterpartyId.toLowerCase(),
      amountMinor: hasAmount ? input.amountMinor : null,
      currency: hasAmount ? (input.currency ?? 'RUB') : null,
      stage,
      // The owner is a staff member: the creator unless given; a deal a partner system creates has none.
      ownerId: input.ownerId?.toLowerCase() ?? (identity.kind === 'user' ? identity.id : null),
      expectedCloseDate: input.expectedCloseDate ?? null,
    });
    await this.context.em.flush();
    return deal;
  }

  findById(id: string): Promise<Deal | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.context.em.findOne(Deal, { id });
  }

  findByIds(ids: readonly string[]): Promise<Deal[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.context.em.find(Deal, { id: { $in: valid } }) : Promise.resolve([]);
  }

  /** One page of deals matching the filter, plus the total: two statements. */
  async list(filter: DealFilter, args: PageArgs): Promise<ConnectionShape<Deal>> {
    const where: FilterQuery<Deal> = {};
    if (filter.counterpartyId) where.counterpartyId = filter.counterpartyId.toLowerCase();
    if (filter.stage) where.stage = knownStage('stage', filter.stage);
    const query = this.context.em.createQueryBuilder(Deal, 'd').where(where).orderBy({ createdAt: 'desc', id: 'desc' }).limit(args.first + 1);
    if (args.after) {
      const after = afterCursorSql('d', parseCursor(args.after));
      query.andWhere(after.sql, after.params);
    }
    const [rows, total] = await Promise.all([query.getResultList(), this.context.em.count(Deal, where)]);
    return toConnection(rows, args.first, total, cursorOf);
  }

  /**
   * The deals page of one counterparty. All counterparties asked for in one request with the same
   * arguments (e.g. many `_entities` representations) are loaded together: two statements in all.
   */
  async pageOfCounterparty(counterpartyId: string, args: PageArgs): Promise<ConnectionShape<Deal>> {
    const cursor = args.after ? parseCursor(args.after) : null;
    const loader = this.context.loaders.get<ConnectionShape<Deal>>(`deals:of-counterparty:${args.first}:${args.after ?? ''}`, (ids) =>
      this.pagesOfCounterparties(ids, args.first, cursor),
    );
    return (await loader.load(counterpartyId.toLowerCase())) ?? toConnection([], args.first, 0, cursorOf);
  }

  /** First `first` deals after `cursor` per counterparty (a LATERAL index scan each) and their totals. */
  private async pagesOfCounterparties(counterpartyIds: readonly string[], first: number, cursor: DealCursor | null): Promise<ConnectionShape<Deal>[]> {
    const ids = [...new Set(counterpartyIds.filter(isUuid))];
    const rowsById = new Map<string, Deal[]>();
    const totals = new Map<string, number>();
    if (ids.length) {
      const connection = this.context.em.getConnection();
      const after = cursor ? afterCursorSql('x', cursor) : null;
      const pageSql = `select d.* from unnest(array[?]::uuid[]) as c(id) cross join lateral (
          select x.* from deals x where x.counterparty_id = c.id${after ? ` and ${after.sql}` : ''}
          order by x.created_at desc, x.id desc limit ?
        ) d order by d.counterparty_id, d.created_at desc, d.id desc`;
      const [rows, counts] = await Promise.all([
        connection.execute<Record<string, unknown>[]>(pageSql, [ids, ...(after?.params ?? []), first + 1]),
        connection.execute<{ counterparty_id: string; total: number }[]>(
          'select counterparty_id, count(*)::int as total from deals where counterparty_id in (?) group by counterparty_id',
          [ids],
        ),
      ]);
      for (const row of rows) {
        const deal = this.context.em.map(Deal, row);
        const group = rowsById.get(deal.counterpartyId);
        if (group) group.push(deal);
        else rowsById.set(deal.counterpartyId, [deal]);
      }
      for (const count of counts) totals.set(count.counterparty_id, count.total);
    }
    return counterpartyIds.map((id) => toConnection(rowsById.get(id) ?? [], first, totals.get(id) ?? 0, cursorOf));
  }
}
