import { decodeCursor, encodeCursor, SortDirection, UserInputError } from '@kartoteka/kit';
import { DEFAULT_TEMPLATE_VERSION_ID } from '../case-template/case-template.defaults';
import type { CaseTemplateVersion } from '../case-template/case-template-version.entity';
import type { Deal } from './deal.entity';
import { DealSort } from './deal.input';

/**
 * The deals list sorted by a column: the SQL expression of each column, the value a cursor keeps, and keyset
 * pagination `value <dir> nulls last, id <dir>` — empty values last in both directions, the id breaking ties,
 * so every deal is on exactly one page even when many share a value. A cursor names its order (column and
 * direction), so a cursor of another order is refused instead of silently skipping rows.
 */
export type DealOrder = { key: DealSort; desc: boolean };

/** A deal's stage as its position in the funnel of the template version it runs on (1 = the first stage). */
const STAGE_POSITION_SQL = (alias: string) =>
  `(select s.position from case_template_versions v cross join lateral jsonb_array_elements(v.definition->'stages') with ordinality as s(stage, position)
     where v.id = coalesce(${alias}.template_version_id, '${DEFAULT_TEMPLATE_VERSION_ID}'::uuid) and s.stage->>'key' = ${alias}.stage)::int`;

type ColumnSpec = {
  sql: (alias: string) => string;
  /** PostgreSQL type of the cursor value in the comparison. */
  cast: 'text' | 'bigint' | 'int' | 'date' | 'timestamptz';
  part: 'string?' | 'int53?' | 'date?' | 'timestamp?';
  /** Direction when the request names none. */
  direction: SortDirection;
  valueOf: (deal: Deal, stagePosition: number | null) => string | number | null;
};

// Times are compared at the millisecond a cursor keeps (timestamptz holds microseconds).
const COLUMNS: Record<DealSort, ColumnSpec> = {
  [DealSort.TITLE]: { sql: (a) => `${a}.title`, cast: 'text', part: 'string?', direction: SortDirection.ASC, valueOf: (deal) => deal.title },
  [DealSort.AMOUNT]: {
    sql: (a) => `${a}.amount_minor`,
    cast: 'bigint',
    part: 'int53?',
    direction: SortDirection.DESC,
    valueOf: (deal) => (deal.amountMinor === null ? null : Number(deal.amountMinor)),
  },
  [DealSort.STAGE]: { sql: STAGE_POSITION_SQL, cast: 'int', part: 'int53?', direction: SortDirection.ASC, valueOf: (_deal, position) => position },
  [DealSort.EXPECTED_CLOSE]: { sql: (a) => `${a}.expected_close_date`, cast: 'date', part: 'date?', direction: SortDirection.ASC, valueOf: (deal) => deal.expectedCloseDate },
  [DealSort.UPDATED]: {
    sql: (a) => `date_trunc('milliseconds', ${a}.updated_at)`,
    cast: 'timestamptz',
    part: 'timestamp?',
    direction: SortDirection.DESC,
    valueOf: (deal) => deal.updatedAt.toISOString(),
  },
  [DealSort.CREATED]: {
    sql: (a) => `date_trunc('milliseconds', ${a}.created_at)`,
    cast: 'timestamptz',
    part: 'timestamp?',
    direction: SortDirection.DESC,
    valueOf: (deal) => deal.createdAt.toISOString(),
  },
};

/** The order asked for; null for the default (newest first). A direction without a column is refused. */
export function dealOrderOf(sort: DealSort | null | undefined, direction: SortDirection | null | undefined): DealOrder | null {
  if (!sort) {
    if (direction) throw new UserInputError('direction', 'Name the column to sort by', { reason: 'deals.sort' });
    return null;
  }
  if (!Object.hasOwn(COLUMNS, sort)) throw new UserInputError('sort', `Deals can be sorted by ${Object.keys(COLUMNS).join(', ')}`, { reason: 'deals.sort' });
  if (direction && direction !== SortDirection.ASC && direction !== SortDirection.DESC) {
    throw new UserInputError('direction', 'Sort direction is ASC or DESC', { reason: 'deals.sort-direction' });
  }
  return { key: sort, desc: (direction ?? COLUMNS[sort].direction) === SortDirection.DESC };
}

const tagOf = (order: DealOrder) => `${order.key}:${order.desc ? 'DESC' : 'ASC'}`;

/** The SQL expression of the order's column, for select lists and `order by`. */
export function dealOrderSql(alias: string, order: DealOrder): string {
  return COLUMNS[order.key].sql(alias);
}

/** Same as STAGE_POSITION_SQL, from the loaded version: the cursor of a STAGE order keeps it. */
export function stagePositionOf(version: Pick<CaseTemplateVersion, 'definition'> | null, deal: Deal): number | null {
  const index = version?.definition.stages.findIndex((stage) => stage.key === deal.stageKey) ?? -1;
  return index < 0 ? null : index + 1;
}

export function dealOrderCursor(order: DealOrder, deal: Deal, stagePosition: number | null): string {
  return encodeCursor([tagOf(order), COLUMNS[order.key].valueOf(deal, stagePosition), deal.id]);
}

/** Rows strictly after the cursor in the order; BAD_USER_INPUT on `after` for a cursor of another order. */
export function dealOrderAfterSql(alias: string, order: DealOrder, after: string): { sql: string; params: (string | number)[] } {
  const spec = COLUMNS[order.key];
  const [tag, value, id] = decodeCursor(after, ['string', spec.part, 'uuid']) as [string, string | number | null, string];
  if (tag !== tagOf(order)) throw new UserInputError('after', 'The cursor belongs to another sort order of this list');
  const expression = spec.sql(alias);
  const op = order.desc ? '<' : '>';
  if (value === null) return { sql: `(${expression} is null and ${alias}.id ${op} ?::uuid)`, params: [id] };
  return { sql: `(${expression} is null or (${expression}, ${alias}.id) ${op} (?::${spec.cast}, ?::uuid))`, params: [value, id] };
}
