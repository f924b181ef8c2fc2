import { isUuid, type Money, money, NotFoundError, readOnlyMapper, type SubgraphContext, UserInputError } from '@kartoteka/kit';
import { CaseTemplateService } from '../case-template/case-template.service';
import { caseStage } from '../case-template/case-template.type';
import { userStub } from '../user/user.stub';
import { type DealAnalytics, DealBoardColumn } from './deal-analytics.type';
import { Deal } from './deal.entity';

type Context = Pick<SubgraphContext, 'em' | 'identity' | 'loaders'>;

/** Sums of amounts are in the base currency; deals in other currencies are counted but not summed. */
export const BASE_CURRENCY = 'RUB';
export const BOARD_COLUMN_SIZE = 50;

export type AnalyticsArgs = { templateId: string; from?: string | null; to?: string | null; ownerId?: string | null };

type Sql = { sql: string; params: unknown[] };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isoDate(field: string, value: string): string {
  const date = new Date(`${value}T00:00:00.000Z`);
  if (!ISO_DATE.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) throw new UserInputError(field, 'Enter the date as YYYY-MM-DD, e.g. 2025-03-31');
  return value;
}

function base(minor: number | string | null): Money {
  return money(Number(minor ?? 0), BASE_CURRENCY) as Money;
}

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** The probability of the deal's current stage in its own version (0 when the stage is unknown). */
const PROBABILITY_JOIN = `join case_template_versions tv on tv.id = d.template_version_id
  left join lateral (select (s->>'probability')::numeric as p from jsonb_array_elements(tv.definition->'stages') s where s->>'key' = d.stage limit 1) sp on true`;
const WEIGHTED = `coalesce(round(sum(d.amount_minor * coalesce(sp.p, 0) / 100) filter (where d.status = 'OPEN' and d.currency = '${BASE_CURRENCY}')), 0)::bigint`;

export class DealAnalyticsService {
  constructor(private readonly context: Context) {}

  /**
   * The board of a template: a column per stage of its latest version, each with its first 50 deals and the stage's
   * count and sum from the trigger-kept totals (Migration20261206153000, slotted by Migration20261206190200) — two
   * statements, neither reading every deal.
   */
  async board(templateId: string): Promise<DealBoardColumn[]> {
    const templates = new CaseTemplateService(this.context);
    const template = isUuid(templateId) ? await templates.findById(templateId) : null;
    if (!template) throw new NotFoundError('CaseTemplate', templateId);
    const latest = await templates.latestVersionOf(template.id);
    if (!latest) return [];
    const keys = latest.definition.stages.map((stage) => stage.key);
    const connection = this.context.em.getConnection();
    const [rows, totals] = await Promise.all([
      connection.execute<Record<string, unknown>[]>(
        // per stage, the newest BOARD_COLUMN_SIZE from the (template, stage, entered, id) index: a few index pages
        // per column, not a ranking of every deal of the template
        `select x.* from unnest(array[?]::text[]) as k(stage)
           cross join lateral (
             select d.* from deals d where d.template_id = ? and d.stage = k.stage order by d.stage_entered_at desc, d.id desc limit ?
           ) x
         order by x.stage, x.stage_entered_at desc, x.id desc`,
        [keys, template.id, BOARD_COLUMN_SIZE],
      ),
      // the totals the `deals_stage_totals` trigger keeps per (template, stage, currency, slot): a stage's figures are
      // the sum over its currencies and its up to 16 slots (so concurrent createDeal calls update different rows) —
      // a hundred-odd rows from the primary key, not every deal
      connection.execute<{ stage: string; total: number; sum: string }[]>(
        `select t.stage, sum(t.deal_count)::int as total, coalesce(sum(t.amount_minor) filter (where t.currency = '${BASE_CURRENCY}'), 0)::bigint as sum
         from deal_stage_totals t where t.template_id = ? group by t.stage`,
        [template.id],
      ),
    ]);
    // read-only entities (kit's readOnlyMapper): the board is never written, so no identity map or change tracking
    // for its (up to BOARD_COLUMN_SIZE × stages) deals
    const toDeal = readOnlyMapper(this.context.em, Deal);
    const dealsByStage = new Map<string, Deal[]>();
    for (const row of rows) {
      const deal = toDeal(row);
      dealsByStage.set(deal.stageKey, [...(dealsByStage.get(deal.stageKey) ?? []), deal]);
    }
    const totalsByStage = new Map(totals.map((total) => [total.stage, total]));
    return latest.definition.stages.map((stage) =>
      Object.assign(new DealBoardColumn(), {
        stage: caseStage(stage),
        totalCount: totalsByStage.get(stage.key)?.total ?? 0,
        sum: base(totalsByStage.get(stage.key)?.sum ?? 0),
        deals: dealsByStage.get(stage.key) ?? [],
      }),
    );
  }

  /**
   * Funnel analytics of a template's deals (of every version, mapped onto the latest version's stages by key),
   * optionally of deals created between `from` and `to` (inclusive, UTC) and of one owner. Everything is
   * aggregated in SQL: a fixed number of statements whatever the number of deals.
   */
  async analytics(args: AnalyticsArgs): Promise<DealAnalytics> {
    const templates = new CaseTemplateService(this.context);
    const template = isUuid(args.templateId) ? await templates.findById(args.templateId) : null;
    if (!template) throw new NotFoundError('CaseTemplate', args.templateId);
    const from = args.from ? isoDate('from', args.from) : null;
    const to = args.to ? isoDate('to', args.to) : null;
    if (from && to && to < from) throw new UserInputError('to', 'The end of the period is before its start');
    if (args.ownerId && !isUuid(args.ownerId)) throw new UserInputError('ownerId', 'Not a valid user id');
    const latest = await templates.latestVersionOf(template.id);
    const stages = latest?.definition.stages ?? [];

    const conditions = ['d.template_id = ?'];
    const params: unknown[] = [template.id];
    if (from) {
      conditions.push(`d.created_at >= (?::date)::timestamp at time zone 'UTC'`);
      params.push(from);
    }
    if (to) {
      conditions.push(`d.created_at < (?::date + 1)::timestamp at time zone 'UTC'`);
      params.push(to);
    }
    if (args.ownerId) {
      conditions.push('d.owner_id = ?');
      params.push(args.ownerId.toLowerCase());
    }
    const where: Sql = { sql: conditions.join(' and '), params };

    // The path to the won stage: every stage but the lost ones, in order; conversion is measured along it.
    const path = stages.filter((stage) => stage.outcome !== 'LOST');
    const pairs = path.slice(1).map((stage, index) => ({ from: path[index].key, to: stage.key }));

    const connection = this.context.em.getConnection();
    const run = <T>(query: Sql) => connection.execute<T[]>(query.sql, query.params);
    const [totals, owners, periods, current, reached, times, conversions] = await Promise.all([
      run<{ won: number; lost: number; open: number; weighted: string }>({
        sql: `select count(*) filter (where d.status = 'WON')::int as won, count(*) filter (where d.status = 'LOST')::int as lost,
                count(*) filter (where d.status = 'OPEN')::int as open, ${WEIGHTED} as weighted
              from deals d ${PROBABILITY_JOIN} where ${where.sql}`,
        params: where.params,
      }),
      run<{ owner_id: string | null; deals: number; won: number; lost: number; weighted: string }>({
        sql: `select d.owner_id, count(*)::int as deals, count(*) filter (where d.status = 'WON')::int as won,
                count(*) filter (where d.status = 'LOST')::int as lost, ${WEIGHTED} as weighted
              from deals d ${PROBABILITY_JOIN} where ${where.sql} group by d.owner_id order by d.owner_id nulls last`,
        params: where.params,
      }),
      run<{ period: string; created: number; won: number; lost: number }>({
        sql: `select to_char(d.created_at at time zone 'UTC', 'YYYY-MM') as period, count(*)::int as created,
                count(*) filter (where d.status = 'WON')::int as won, count(*) filter (where d.status = 'LOST')::int as lost
              from deals d where ${where.sql} group by 1 order by 1`,
        params: where.params,
      }),
      // Now in the stage: the same deals and sum as the board's column (which has no filters).
      run<{ stage: string; current: number; amount: string }>({
        sql: `select d.stage, count(*)::int as current, coalesce(sum(d.amount_minor) filter (where d.currency = '${BASE_CURRENCY}'), 0)::bigint as amount
              from deals d where ${where.sql} group by d.stage`,
        params: where.params,
      }),
      run<{ stage_key: string; reached: number; amount: string }>({
        sql: `select x.stage_key, count(*)::int as reached, coalesce(sum(d.amount_minor) filter (where d.currency = '${BASE_CURRENCY}'), 0)::bigint as amount
              from deals d cross join lateral (select distinct v.stage_key from deal_stage_visits v where v.deal_id = d.id) x
              where ${where.sql} group by x.stage_key`,
        params: where.params,
      }),
      run<{ stage_key: string; average_days: number }>({
        sql: `select v.stage_key, avg(extract(epoch from (v.left_at - v.entered_at)) / 86400)::float8 as average_days
              from deals d join deal_stage_visits v on v.deal_id = d.id
              where ${where.sql} and v.left_at is not null group by v.stage_key`,
        params: where.params,
      }),
      // Converted from a stage: a later visit to any stage further along the path (by key, in the latest version's
      // order). Not only to the next one: a stage added in a later version does not exist for deals on an older
      // one, and their moving past it must not read as 0 % conversion.
      pairs.length
        ? run<{ from_key: string; reached: number; converted: number }>({
            sql: `select p.from_key, count(f.deal_id)::int as reached,
                    count(f.deal_id) filter (where exists (
                      select 1 from deal_stage_visits t
                      where t.deal_id = f.deal_id and t.entered_at > f.first_at and array_position(array[?]::text[], t.stage_key) > p.position
                    ))::int as converted
                  from unnest(array[?]::text[]) with ordinality as p(from_key, position)
                  left join (
                    select v.deal_id, v.stage_key, min(v.entered_at) as first_at
                    from deals d join deal_stage_visits v on v.deal_id = d.id where ${where.sql} group by v.deal_id, v.stage_key
                  ) f on f.stage_key = p.from_key
                  group by p.from_key, p.position`,
            params: [path.map((stage) => stage.key), pairs.map((pair) => pair.from), ...where.params],
          })
        : Promise.resolve([]),
    ]);

    const currentBy = new Map(current.map((row) => [row.stage, row]));
    const reachedBy = new Map(reached.map((row) => [row.stage_key, row]));
    const timeBy = new Map(times.map((row) => [row.stage_key, row.average_days]));
    const conversionBy = new Map(conversions.map((row) => [row.from_key, row]));
    const { won, lost, open, weighted } = totals[0];
    return {
      funnel: stages.map((stage) => ({
        stageKey: stage.key,
        name: stage.name,
        reached: reachedBy.get(stage.key)?.reached ?? 0,
        current: currentBy.get(stage.key)?.current ?? 0,
        currentAmount: base(currentBy.get(stage.key)?.amount ?? 0),
        reachedAmount: base(reachedBy.get(stage.key)?.amount ?? 0),
        amount: base(reachedBy.get(stage.key)?.amount ?? 0),
      })),
      conversion: pairs.map((pair) => {
        const row = conversionBy.get(pair.from);
        const reachedFrom = row?.reached ?? 0;
        const converted = row?.converted ?? 0;
        return { fromStageKey: pair.from, toStageKey: pair.to, reached: reachedFrom, converted, rate: reachedFrom > 0 ? converted / reachedFrom : 0 };
      }),
      timeInStage: stages.map((stage) => {
        const days = timeBy.get(stage.key);
        return { stageKey: stage.key, averageDays: days === undefined || days === null ? null : Math.round(days * 100) / 100 };
      }),
      winRate: ratio(won, won + lost),
      won,
      lost,
      open,
      weightedAmount: base(weighted),
      byOwner: owners.map((row) => ({ owner: userStub(row.owner_id), deals: row.deals, won: row.won, lost: row.lost, winRate: ratio(row.won, row.won + row.lost), weightedAmount: base(row.weighted) })),
      byPeriod: periods.map((row) => ({ period: row.period, created: row.created, won: row.won, lost: row.lost })),
    };
  }
}
