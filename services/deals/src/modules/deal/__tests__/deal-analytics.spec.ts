import { randomUUID } from 'node:crypto';
import type { Identity } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { dealsSubgraph } from '../../../subgraph';
import { CaseTemplateVersion } from '../../case-template/case-template-version.entity';
import type { CaseDefinition } from '../../case-template/case-template.definition';
import { CaseTemplate, CaseTemplateStatus } from '../../case-template/case-template.entity';
import { DealStageVisit } from '../deal-stage-visit.entity';
import { Deal, DealStatus } from '../deal.entity';

const A = '00000000-0000-4000-8000-000000000002';
const B = '00000000-0000-4000-8000-000000000003';
const viewer: Identity = demoIdentity('viewer@kartoteka.local');

let subgraph: TestSubgraph;
let statements: string[] = [];

function definition(s2: { name: string; probability: number }): CaseDefinition {
  return {
    stages: [
      { key: 's1', name: 'Первый контакт', probability: 10, outcome: 'OPEN', requiredFields: [], actions: [] },
      { key: 's2', name: s2.name, probability: s2.probability, outcome: 'OPEN', requiredFields: [], actions: [] },
      { key: 's3', name: 'Договор', probability: 70, outcome: 'OPEN', requiredFields: [], actions: [] },
      { key: 'won', name: 'Выиграна', probability: 100, outcome: 'WON', requiredFields: [], actions: [] },
      { key: 'lost', name: 'Проиграна', probability: 0, outcome: 'LOST', requiredFields: [], actions: [] },
    ],
    form: { fields: [], sections: [] },
  };
}

const TEMPLATE = randomUUID();
const OTHER = randomUUID();
const V1 = randomUUID();
const V2 = randomUUID();
const OTHER_V1 = randomUUID();

const at = (day: string) => new Date(`${day}T10:00:00.000Z`);

/**
 * The fixture: seven deals of one template (version 1 with s2 at 40%, version 2 with s2 at 50%) and one of
 * another template. Visits are [stage, entered, left] at 10:00 UTC, so stays are whole days.
 */
const DEALS: { id: string; owner: string; version: string; amount: number | null; currency?: string; visits: [string, string, string | null][] }[] = [
  { id: 'd1', owner: A, version: V1, amount: 100_000, visits: [['s1', '2026-01-10', '2026-01-12'], ['s2', '2026-01-12', '2026-01-20'], ['s3', '2026-01-20', '2026-02-01'], ['won', '2026-02-01', null]] },
  { id: 'd2', owner: A, version: V1, amount: 200_000, visits: [['s1', '2026-01-15', '2026-01-16'], ['s2', '2026-01-16', '2026-01-26'], ['lost', '2026-01-26', null]] },
  { id: 'd3', owner: B, version: V1, amount: 300_000, visits: [['s1', '2026-02-03', '2026-02-07'], ['s2', '2026-02-07', '2026-02-10'], ['s3', '2026-02-10', null]] },
  { id: 'd4', owner: B, version: V2, amount: 400_000, visits: [['s1', '2026-02-20', null]] },
  { id: 'd5', owner: A, version: V2, amount: null, visits: [['s1', '2026-03-05', '2026-03-06'], ['s2', '2026-03-06', null]] },
  { id: 'd6', owner: B, version: V1, amount: 500_000, currency: 'EUR', visits: [['s1', '2026-03-10', '2026-03-13'], ['s2', '2026-03-13', null]] },
  { id: 'd7', owner: A, version: V2, amount: 600_000, visits: [['s1', '2026-03-20', '2026-03-21'], ['s2', '2026-03-21', '2026-03-25'], ['s1', '2026-03-25', null]] },
];
const ids = new Map(DEALS.map((deal) => [deal.id, randomUUID()]));

beforeAll(async () => {
  subgraph = await startTestSubgraph(dealsSubgraph(), { onQuery: (sql) => statements.push(sql) });
  const em = subgraph.orm.em.fork();
  em.create(CaseTemplate, { id: TEMPLATE, name: 'Аналитика', status: CaseTemplateStatus.PUBLISHED, draft: definition({ name: 'Встреча', probability: 50 }) });
  em.create(CaseTemplate, { id: OTHER, name: 'Другой', status: CaseTemplateStatus.PUBLISHED, draft: definition({ name: 'Встреча', probability: 40 }) });
  em.create(CaseTemplateVersion, { id: V1, templateId: TEMPLATE, number: 1, definition: definition({ name: 'Квалификация', probability: 40 }) });
  em.create(CaseTemplateVersion, { id: V2, templateId: TEMPLATE, number: 2, definition: definition({ name: 'Встреча', probability: 50 }) });
  em.create(CaseTemplateVersion, { id: OTHER_V1, templateId: OTHER, number: 1, definition: definition({ name: 'Встреча', probability: 40 }) });
  await em.flush();
  const plant = (id: string, template: string, spec: (typeof DEALS)[number]) => {
    const last = spec.visits[spec.visits.length - 1];
    em.create(Deal, {
      id,
      title: `Сделка ${spec.id}`,
      counterpartyId: randomUUID(),
      templateId: template,
      templateVersionId: spec.version,
      stageKey: last[0],
      status: last[0] === 'won' ? DealStatus.WON : last[0] === 'lost' ? DealStatus.LOST : DealStatus.OPEN,
      amountMinor: spec.amount,
      currency: spec.amount === null ? null : (spec.currency ?? 'RUB'),
      ownerId: spec.owner,
      createdAt: at(spec.visits[0][1]),
      stageEnteredAt: at(last[1]),
    });
    for (const [stageKey, entered, left] of spec.visits) em.create(DealStageVisit, { dealId: id, stageKey, enteredAt: at(entered), leftAt: left ? at(left) : null });
  };
  for (const spec of DEALS) plant(ids.get(spec.id)!, TEMPLATE, spec);
  // Another template's deal, owned by A, in January: counted nowhere below.
  plant(randomUUID(), OTHER, { id: 'x', owner: A, version: OTHER_V1, amount: 9_000_000, visits: [['s1', '2026-01-11', '2026-01-12'], ['s2', '2026-01-12', null]] });
  await em.flush();
});
afterAll(() => subgraph?.close());

const ANALYTICS = `query($t: ID!, $from: String, $to: String, $o: ID) { dealAnalytics(templateId: $t, from: $from, to: $to, ownerId: $o) {
  funnel { stageKey name reached current amount { minor currency } currentAmount { minor currency } reachedAmount { minor currency } }
  conversion { fromStageKey toStageKey reached converted rate }
  timeInStage { stageKey averageDays }
  winRate won lost open weightedAmount { minor currency }
  byOwner { owner { id } deals won lost winRate weightedAmount { minor currency } }
  byPeriod { period created won lost }
} }`;

type Analytics = {
  funnel: { stageKey: string; name: string; reached: number; current: number; amount: { minor: number; currency: string }; currentAmount: { minor: number; currency: string }; reachedAmount: { minor: number; currency: string } }[];
  conversion: { fromStageKey: string; toStageKey: string; reached: number; converted: number; rate: number }[];
  timeInStage: { stageKey: string; averageDays: number | null }[];
  winRate: number | null;
  won: number;
  lost: number;
  open: number;
  weightedAmount: { minor: number; currency: string };
  byOwner: { owner: { id: string } | null; deals: number; won: number; lost: number; winRate: number | null; weightedAmount: { minor: number } }[];
  byPeriod: { period: string; created: number; won: number; lost: number }[];
};

async function analytics(variables: Record<string, unknown> = {}): Promise<Analytics> {
  const result = await subgraph.request<{ dealAnalytics: Analytics }>(ANALYTICS, { t: TEMPLATE, ...variables }, viewer);
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.dealAnalytics;
}

type BoardColumn = { stage: { key: string }; totalCount: number; sum: { minor: number; currency: string } };
async function board(templateId: string): Promise<BoardColumn[]> {
  const result = await subgraph.request<{ dealBoard: BoardColumn[] }>('query($t: ID!) { dealBoard(templateId: $t) { stage { key } totalCount sum { minor currency } } }', { t: templateId }, viewer);
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.dealBoard;
}

const rub = (minor: number) => ({ minor, currency: 'RUB' });

describe('dealAnalytics', () => {
  it('matches the hand-computed numbers of the fixture', async () => {
    const result = await analytics();
    // Funnel on the latest version's stages (its name for s2). Amounts: RUB only, each deal once.
    // Sum now: the deals in the stage now (s1: d4 + d7; s2: d5 has no amount, d6 is in EUR); ever reached: each deal that has been there.
    expect(result.funnel.map(({ amount: _deprecated, ...row }) => row)).toEqual([
      { stageKey: 's1', name: 'Первый контакт', reached: 7, current: 2, currentAmount: rub(400_000 + 600_000), reachedAmount: rub(100_000 + 200_000 + 300_000 + 400_000 + 600_000) },
      { stageKey: 's2', name: 'Встреча', reached: 6, current: 2, currentAmount: rub(0), reachedAmount: rub(100_000 + 200_000 + 300_000 + 600_000) },
      { stageKey: 's3', name: 'Договор', reached: 2, current: 1, currentAmount: rub(300_000), reachedAmount: rub(400_000) },
      { stageKey: 'won', name: 'Выиграна', reached: 1, current: 1, currentAmount: rub(100_000), reachedAmount: rub(100_000) },
      { stageKey: 'lost', name: 'Проиграна', reached: 1, current: 1, currentAmount: rub(200_000), reachedAmount: rub(200_000) },
    ]);
    // The deprecated `amount` keeps its documented meaning (ever reached) for older clients.
    expect(result.funnel.map((row) => row.amount)).toEqual(result.funnel.map((row) => row.reachedAmount));
    // The analytics' "now" figures are the board's columns.
    expect(result.funnel.map((row) => [row.stageKey, row.current, row.currentAmount])).toEqual((await board(TEMPLATE)).map((column) => [column.stage.key, column.totalCount, column.sum]));
    // s1→s2: all but d4 (6/7); s2→s3: d1 and d3 of six; s3→won: d1 of two.
    expect(result.conversion.map((row) => [row.fromStageKey, row.toStageKey])).toEqual([['s1', 's2'], ['s2', 's3'], ['s3', 'won']]);
    expect(result.conversion[0].rate).toBeCloseTo(6 / 7, 10);
    expect(result.conversion[1].rate).toBeCloseTo(2 / 6, 10);
    expect(result.conversion[2].rate).toBeCloseTo(1 / 2, 10);
    expect(result.conversion.map((row) => [row.reached, row.converted])).toEqual([[7, 6], [6, 2], [2, 1]]);
    // Finished stays only: s1 (2+1+4+1+3+1)/6, s2 (8+10+3+4)/4, s3 12/1; nobody has left won or lost.
    expect(result.timeInStage).toEqual([
      { stageKey: 's1', averageDays: 2 },
      { stageKey: 's2', averageDays: 6.25 },
      { stageKey: 's3', averageDays: 12 },
      { stageKey: 'won', averageDays: null },
      { stageKey: 'lost', averageDays: null },
    ]);
    expect({ won: result.won, lost: result.lost, open: result.open, winRate: result.winRate }).toEqual({ won: 1, lost: 1, open: 5, winRate: 0.5 });
    // Open RUB deals × their own version's probability: d3 300 000×70% + d4 400 000×10% + d7 600 000×10% (d5 has no amount, d6 is in EUR).
    expect(result.weightedAmount).toEqual(rub(210_000 + 40_000 + 60_000));
    expect(result.byOwner).toEqual([
      { owner: { id: A }, deals: 4, won: 1, lost: 1, winRate: 0.5, weightedAmount: rub(60_000) },
      { owner: { id: B }, deals: 3, won: 0, lost: 0, winRate: null, weightedAmount: rub(250_000) },
    ]);
    expect(result.byPeriod).toEqual([
      { period: '2026-01', created: 2, won: 1, lost: 1 },
      { period: '2026-02', created: 2, won: 0, lost: 0 },
      { period: '2026-03', created: 3, won: 0, lost: 0 },
    ]);
  });

  it('narrows to deals created in a period (inclusive, whole days) and of one owner', async () => {
    const result = await analytics({ from: '2026-02-01', to: '2026-03-10', o: B });
    // d3, d4, d6 (created 10 March at 10:00, inside the last day).
    expect(result.funnel.map((row) => [row.stageKey, row.reached, row.current, row.reachedAmount.minor, row.currentAmount.minor])).toEqual([
      ['s1', 3, 1, 700_000, 400_000],
      ['s2', 2, 1, 300_000, 0],
      ['s3', 1, 1, 300_000, 300_000],
      ['won', 0, 0, 0, 0],
      ['lost', 0, 0, 0, 0],
    ]);
    expect(result.conversion.map((row) => row.rate)).toEqual([2 / 3, 1 / 2, 0]);
    expect(result.timeInStage.map((row) => row.averageDays)).toEqual([3.5, 3, null, null, null]);
    expect(result).toMatchObject({ won: 0, lost: 0, open: 3, winRate: null, weightedAmount: rub(250_000) });
    expect(result.byPeriod).toEqual([
      { period: '2026-02', created: 2, won: 0, lost: 0 },
      { period: '2026-03', created: 1, won: 0, lost: 0 },
    ]);
    expect((await analytics({ from: '2026-03-11', to: '2026-03-19' })).funnel.every((row) => row.reached === 0)).toBe(true);
  });

  it('refuses bad arguments', async () => {
    const bad = async (variables: Record<string, unknown>) => (await subgraph.request(ANALYTICS, { t: TEMPLATE, ...variables }, viewer)).errors?.[0].extensions;
    expect(await bad({ from: '2026-02-30' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    expect(await bad({ from: '2026-03-01', to: '2026-02-01' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    expect(await bad({ t: randomUUID() })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('computes in SQL: the same statements whatever the number of deals', async () => {
    statements = [];
    await analytics();
    const before = statements.length;
    const em = subgraph.orm.em.fork();
    for (let i = 0; i < 200; i += 1) {
      const id = randomUUID();
      em.create(Deal, { id, title: `Массовая ${i}`, counterpartyId: randomUUID(), templateId: TEMPLATE, templateVersionId: V2, stageKey: 's1', amountMinor: 1, currency: 'RUB', createdAt: at('2025-06-01') });
      em.create(DealStageVisit, { dealId: id, stageKey: 's1', enteredAt: at('2025-06-01') });
    }
    await em.flush();
    try {
      statements = [];
      const result = await analytics();
      expect(result.open).toBe(205);
      expect(statements.length).toBe(before);
      // Every statement reading deals aggregates them.
      expect(statements.filter((sql) => /from "?deals"?\b/.test(sql)).every((sql) => /count\(|sum\(|avg\(/i.test(sql))).toBe(true);
    } finally {
      await subgraph.orm.em.getConnection().execute(`delete from deals where title like 'Массовая %'`);
    }
  });
});

describe('dealAnalytics across template versions', () => {
  const TWO = randomUUID();
  const TWO_V1 = randomUUID();
  const TWO_V2 = randomUUID();
  const stage = (key: string, name: string, outcome: 'OPEN' | 'WON' | 'LOST' = 'OPEN') => ({ key, name, probability: outcome === 'WON' ? 100 : outcome === 'LOST' ? 0 : 30, outcome, requiredFields: [], actions: [] });
  // Version 2 adds «Встреча» (s2) between the first contact and the contract.
  const v1: CaseDefinition = { stages: [stage('s1', 'Первый контакт'), stage('s3', 'Договор'), stage('won', 'Выиграна', 'WON'), stage('lost', 'Проиграна', 'LOST')], form: { fields: [], sections: [] } };
  const v2: CaseDefinition = { ...v1, stages: [v1.stages[0], stage('s2', 'Встреча'), ...v1.stages.slice(1)] };
  /** Version 1's deals are A's, version 2's are B's. */
  const SPECS: { owner: string; version: string; path: string[] }[] = [
    { owner: A, version: TWO_V1, path: ['s1', 's3', 'won'] },
    { owner: A, version: TWO_V1, path: ['s1', 's3'] },
    { owner: A, version: TWO_V1, path: ['s1'] },
    { owner: B, version: TWO_V2, path: ['s1', 's2', 's3'] },
    { owner: B, version: TWO_V2, path: ['s1', 's2'] },
    { owner: B, version: TWO_V2, path: ['s1', 'lost'] },
  ];

  beforeAll(async () => {
    const em = subgraph.orm.em.fork();
    em.create(CaseTemplate, { id: TWO, name: 'Две версии', status: CaseTemplateStatus.PUBLISHED, draft: v2 });
    em.create(CaseTemplateVersion, { id: TWO_V1, templateId: TWO, number: 1, definition: v1 });
    em.create(CaseTemplateVersion, { id: TWO_V2, templateId: TWO, number: 2, definition: v2 });
    await em.flush();
    SPECS.forEach((spec, index) => {
      const id = randomUUID();
      const day = (offset: number) => new Date(Date.UTC(2026, 3, 1 + index * 5 + offset, 10));
      const last = spec.path[spec.path.length - 1];
      em.create(Deal, {
        id,
        title: `Версии ${index}`,
        counterpartyId: randomUUID(),
        templateId: TWO,
        templateVersionId: spec.version,
        stageKey: last,
        status: last === 'won' ? DealStatus.WON : last === 'lost' ? DealStatus.LOST : DealStatus.OPEN,
        amountMinor: 1_000,
        currency: 'RUB',
        ownerId: spec.owner,
        createdAt: day(0),
        stageEnteredAt: day(spec.path.length - 1),
      });
      spec.path.forEach((key, step) => em.create(DealStageVisit, { dealId: id, stageKey: key, enteredAt: day(step), leftAt: step < spec.path.length - 1 ? day(step + 1) : null }));
    });
    await em.flush();
  });

  const conversion = async (variables: Record<string, unknown> = {}) => (await analytics({ t: TWO, ...variables })).conversion.map((row) => [row.fromStageKey, row.toStageKey, row.reached, row.converted]);

  it('a stage added in version 2 does not zero the conversion of the deals on version 1', async () => {
    // Path of the latest version: s1 → s2 → s3 → won. Version 1's deals that went from s1 to s3 went past s2.
    expect(await conversion()).toEqual([
      ['s1', 's2', 6, 4],
      ['s2', 's3', 2, 1],
      ['s3', 'won', 3, 1],
    ]);
    // Only version 1's deals: two of three moved on from the first contact (before the fix: 0 of 3).
    expect(await conversion({ o: A })).toEqual([
      ['s1', 's2', 3, 2],
      ['s2', 's3', 0, 0],
      ['s3', 'won', 2, 1],
    ]);
    const result = await analytics({ t: TWO, o: A });
    expect(result.conversion[0].rate).toBeCloseTo(2 / 3, 10);
    expect(result.conversion[1].rate).toBe(0);
    // Only version 2's deals: measured along their own stages as before.
    expect(await conversion({ o: B })).toEqual([
      ['s1', 's2', 3, 2],
      ['s2', 's3', 2, 1],
      ['s3', 'won', 1, 0],
    ]);
  });
});

describe('dealBoard', () => {
  it('shows a column per stage of the latest version with its deals (most recently moved first), count and sum', async () => {
    const result = await subgraph.request<{ dealBoard: { stage: { key: string; name: string; probability: number; outcome: string }; totalCount: number; sum: { minor: number; currency: string }; deals: { id: string; owner: { id: string } }[] }[] }>(
      'query($t: ID!) { dealBoard(templateId: $t) { stage { key name probability outcome } totalCount sum { minor currency } deals { id owner { id } } } }',
      { t: TEMPLATE },
      viewer,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.dealBoard.map((column) => [column.stage.key, column.stage.name, column.totalCount, column.sum.minor, column.deals.map((deal) => deal.id)])).toEqual([
      ['s1', 'Первый контакт', 2, 1_000_000, [ids.get('d7'), ids.get('d4')]],
      ['s2', 'Встреча', 2, 0, [ids.get('d6'), ids.get('d5')]],
      ['s3', 'Договор', 1, 300_000, [ids.get('d3')]],
      ['won', 'Выиграна', 1, 100_000, [ids.get('d1')]],
      ['lost', 'Проиграна', 1, 200_000, [ids.get('d2')]],
    ]);
    expect(result.data?.dealBoard[1].stage).toEqual({ key: 's2', name: 'Встреча', probability: 50, outcome: 'OPEN' });
  });

  it('keeps at most 50 deals per column but counts them all', async () => {
    const em = subgraph.orm.em.fork();
    for (let i = 0; i < 60; i += 1) em.create(Deal, { title: `Лид ${i}`, counterpartyId: randomUUID(), templateId: OTHER, templateVersionId: OTHER_V1, stageKey: 's3', amountMinor: 10, currency: 'RUB', stageEnteredAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000) });
    await em.flush();
    const result = await subgraph.request<{ dealBoard: { totalCount: number; sum: { minor: number }; deals: { title: string }[] }[] }>('query($t: ID!) { dealBoard(templateId: $t) { totalCount sum { minor } deals { title } } }', { t: OTHER }, viewer);
    const column = result.data!.dealBoard[2];
    expect(column.totalCount).toBe(60);
    expect(column.sum.minor).toBe(600);
    expect(column.deals).toHaveLength(50);
    expect(column.deals[0].title).toBe('Лид 59');
  });

  it("keeps each column's count and sum equal to the deals' own after moves, amount and currency changes and deletes (trigger-kept totals)", async () => {
    const template = randomUUID();
    const version = randomUUID();
    const em = subgraph.orm.em.fork();
    em.create(CaseTemplate, { id: template, name: 'Итоги', status: CaseTemplateStatus.PUBLISHED, draft: definition({ name: 'Встреча', probability: 40 }) });
    em.create(CaseTemplateVersion, { id: version, templateId: template, number: 1, definition: definition({ name: 'Встреча', probability: 40 }) });
    await em.flush();
    const deals = Array.from({ length: 6 }, (_, i) => em.create(Deal, { title: `Итог ${i}`, counterpartyId: randomUUID(), templateId: template, templateVersionId: version, stageKey: 's1', amountMinor: 100 * (i + 1), currency: 'RUB' }));
    await em.flush();
    const sql = subgraph.orm.em.getConnection();
    await sql.execute(`update deals set stage = 's2' where id in (?, ?)`, [deals[0].id, deals[1].id]);
    await sql.execute(`update deals set amount_minor = 5000 where id = ?`, [deals[2].id]);
    await sql.execute(`update deals set currency = 'EUR' where id = ?`, [deals[3].id]);
    await sql.execute(`update deals set stage = 's3', amount_minor = null where id = ?`, [deals[4].id]);
    await sql.execute(`delete from deals where id = ?`, [deals[5].id]);
    // opposite moves in one statement each way: both rows of totals change, in key order
    await sql.execute(`update deals set stage = case stage when 's2' then 's1' else 's2' end where id in (?, ?)`, [deals[1].id, deals[2].id]);

    const expected = await sql.execute<{ stage: string; total: number; sum: string }[]>(
      `select stage, count(*)::int as total, coalesce(sum(amount_minor) filter (where currency = 'RUB'), 0)::bigint as sum from deals where template_id = ? group by stage`,
      [template],
    );
    const byStage = new Map(expected.map((row) => [row.stage, [row.total, Number(row.sum)]]));
    const result = await subgraph.request<{ dealBoard: { stage: { key: string }; totalCount: number; sum: { minor: number } }[] }>('query($t: ID!) { dealBoard(templateId: $t) { stage { key } totalCount sum { minor } } }', { t: template }, viewer);
    expect(result.errors).toBeUndefined();
    const board = result.data!.dealBoard.map((column) => [column.stage.key, column.totalCount, column.sum.minor]);
    expect(board).toEqual(['s1', 's2', 's3', 'won', 'lost'].map((key) => [key, ...(byStage.get(key) ?? [0, 0])]));
    // the figures themselves: s1 has deal 1 (moved back) and deal 3 (EUR, counted, not summed); s2 deals 0 and 2
    expect(board.slice(0, 3)).toEqual([['s1', 2, 200], ['s2', 2, 5100], ['s3', 1, 0]]);
  });
});
