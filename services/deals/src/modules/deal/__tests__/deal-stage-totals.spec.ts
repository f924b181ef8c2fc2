import { randomUUID } from 'node:crypto';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmOptions, type Identity } from '@kartoteka/kit';
import { createTestDatabase, demoIdentity, seedCounterpartyRefs, seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { dealsSubgraph } from '../../../subgraph';
import { CaseTemplateVersion } from '../../case-template/case-template-version.entity';
import type { CaseDefinition } from '../../case-template/case-template.definition';
import { CaseTemplate, CaseTemplateStatus } from '../../case-template/case-template.entity';

/**
 * The board's totals (`deal_stage_totals`, slotted by Migration20261206190200) under concurrent writers, and the
 * migration itself on a database that already has deals.
 */

const manager: Identity = demoIdentity('manager@kartoteka.local');
const viewer: Identity = demoIdentity('viewer@kartoteka.local');
const STAGES = ['s1', 's2', 's3', 'won', 'lost'];

const DEFINITION: CaseDefinition = {
  stages: [
    { key: 's1', name: 'Первый контакт', probability: 10, outcome: 'OPEN', requiredFields: [], actions: [] },
    { key: 's2', name: 'Встреча', probability: 40, outcome: 'OPEN', requiredFields: [], actions: [] },
    { key: 's3', name: 'Договор', probability: 70, outcome: 'OPEN', requiredFields: [], actions: [] },
    { key: 'won', name: 'Выиграна', probability: 100, outcome: 'WON', requiredFields: [], actions: [] },
    { key: 'lost', name: 'Проиграна', probability: 0, outcome: 'LOST', requiredFields: [], actions: [] },
  ],
  form: { fields: [], sections: [] },
};

type Execute = <T>(sql: string, params?: unknown[]) => Promise<T[]>;
type SlotRow = { stage: string; currency: string; slot: number; deal_count: number; amount_minor: string };

/** What the totals of a template must be, straight from its deals: per (stage, currency, slot), no empty rows. */
async function slotsFromDeals(execute: Execute, templateId: string): Promise<SlotRow[]> {
  return execute<SlotRow>(
    `select stage, coalesce(currency, '') as currency, (get_byte(uuid_send(id), 15) % 16)::int as slot, count(*)::int as deal_count, coalesce(sum(amount_minor), 0)::text as amount_minor
     from deals where template_id = ? group by 1, 2, 3 order by 1, 2, 3`,
    [templateId],
  );
}

async function slotsFromTotals(execute: Execute, templateId: string): Promise<SlotRow[]> {
  return execute<SlotRow>(
    `select stage, currency, slot::int as slot, deal_count, amount_minor::text as amount_minor from deal_stage_totals
     where template_id = ? and (deal_count <> 0 or amount_minor <> 0) order by 1, 2, 3`,
    [templateId],
  );
}

/** The board's figures straight from the deals: count of every deal, sum of the RUB ones, per stage. */
async function boardFromDeals(execute: Execute, templateId: string): Promise<[string, number, number][]> {
  const rows = await execute<{ stage: string; total: number; sum: string }>(
    `select stage, count(*)::int as total, coalesce(sum(amount_minor) filter (where currency = 'RUB'), 0)::bigint as sum from deals where template_id = ? group by stage`,
    [templateId],
  );
  const byStage = new Map(rows.map((row) => [row.stage, [row.total, Number(row.sum)] as const]));
  return STAGES.map((key) => [key, ...(byStage.get(key) ?? [0, 0])]);
}

/** Runs the tasks with at most `limit` of them at once. */
async function inParallel(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  const queue = [...tasks];
  await Promise.all(Array.from({ length: limit }, async () => {
    for (let task = queue.shift(); task; task = queue.shift()) await task();
  }));
}

describe('the board totals under concurrent writers', () => {
  let subgraph: TestSubgraph;
  const templateId = randomUUID();
  const execute: Execute = (sql, params = []) => subgraph.orm.em.getConnection().execute(sql, params);

  beforeAll(async () => {
    subgraph = await startTestSubgraph(dealsSubgraph());
    await seedDemoUserRefs(subgraph.orm.em);
    const em = subgraph.orm.em.fork();
    em.create(CaseTemplate, { id: templateId, name: 'Параллельные итоги', status: CaseTemplateStatus.PUBLISHED, draft: DEFINITION });
    em.create(CaseTemplateVersion, { id: randomUUID(), templateId, number: 1, definition: DEFINITION });
    await em.flush();
  });
  afterAll(() => subgraph?.close());

  type Deal = { id: string; version: number; stageKey: string };
  const FIELDS = 'id version stageKey';

  async function call<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const result = await subgraph.request<T>(query, variables, manager);
    if (result.errors || !result.data) throw new Error(JSON.stringify(result.errors));
    return result.data;
  }
  const move = async (deal: Deal, stageKey: string): Promise<Deal> =>
    (await call<{ moveDeal: Deal }>(`mutation($input: MoveDealInput!) { moveDeal(input: $input) { ${FIELDS} } }`, { input: { id: deal.id, version: deal.version, stageKey } })).moveDeal;

  async function board(): Promise<[string, number, number][]> {
    const result = await subgraph.request<{ dealBoard: { stage: { key: string }; totalCount: number; sum: { minor: number } }[] }>(
      'query($t: ID!) { dealBoard(templateId: $t) { stage { key } totalCount sum { minor } } }',
      { t: templateId },
      viewer,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.dealBoard.map((column) => [column.stage.key, column.totalCount, column.sum.minor]);
  }

  it('keeps the board equal to a count and sum over the deals after 20 parallel creates and parallel opposite moves', async () => {
    const counterparties = Array.from({ length: 4 }, () => randomUUID());
    await seedCounterpartyRefs(subgraph.orm.em, counterparties);
    // RUB, EUR (counted, not summed) and no amount, all created at once
    const inputs = Array.from({ length: 20 }, (_, i) => ({
      title: `Параллельная ${i}`,
      counterpartyId: counterparties[i % counterparties.length],
      templateId,
      ...(i % 5 === 4 ? {} : { amountMinor: 1_000 * (i + 1), currency: i % 5 === 3 ? 'EUR' : 'RUB' }),
    }));
    const created = await Promise.all(
      inputs.map(async (input) => (await call<{ createDeal: Deal }>(`mutation($input: CreateDealInput!) { createDeal(input: $input) { ${FIELDS} } }`, { input })).createDeal),
    );
    expect(created.map((deal) => deal.stageKey)).toEqual(Array(20).fill('s1'));
    // the RUB ones: amounts 1, 2, 3, 6, 7, 8, 11, 12, 13, 16, 17, 18 thousand
    expect(await board()).toEqual([['s1', 20, 114_000], ['s2', 0, 0], ['s3', 0, 0], ['won', 0, 0], ['lost', 0, 0]]);
    // the point of the slots: the 20 creates did not all land on one row (16^-19 odds that they would by chance)
    const totals = await slotsFromTotals(execute, templateId);
    expect(totals.length).toBeGreaterThan(1);
    expect(totals).toEqual(await slotsFromDeals(execute, templateId));

    // moveDeal reads the template version on a second pooled connection while its transaction holds one, so as
    // many parallel moves as the pool has connections (10) wait for each other until the pool's acquire timeout:
    // six at a time here
    const deals = [...created];
    const step = (i: number, stageKey: string) => async () => void (deals[i] = await move(deals[i], stageKey));
    // round 1: ten to s2
    await inParallel(Array.from({ length: 10 }, (_, i) => step(i, 's2')), 6);
    // round 2, interleaved: opposite moves s2 → s1 and s1 → s2, s1 → s3, s2 → s3, and an amount change
    await inParallel(
      [
        step(0, 's1'), step(10, 's2'), step(1, 's1'), step(11, 's2'), step(2, 's1'), step(12, 's2'), step(3, 's1'), step(13, 's2'), step(14, 's2'),
        step(15, 's3'), step(4, 's3'), step(16, 's3'), step(5, 's3'), step(17, 's3'),
        async () => void (await call(`mutation($input: UpdateDealInput!) { updateDeal(input: $input) { id } }`, { input: { id: deals[19].id, version: deals[19].version, amountMinor: 777 } })),
      ],
      6,
    );

    const expected = await boardFromDeals(execute, templateId);
    expect(await board()).toEqual(expected);
    // the moves as planned: s1 has 4 moved back + 18, 19; s2 has 6..9 and 10..14; s3 has 4, 5, 15..17
    expect(expected.map(([stage, count]) => [stage, count])).toEqual([['s1', 6], ['s2', 9], ['s3', 5], ['won', 0], ['lost', 0]]);
    expect(await slotsFromTotals(execute, templateId)).toEqual(await slotsFromDeals(execute, templateId));
  });
});

describe('Migration20261206190200 on a database with deals', () => {
  const SLOTTED = 'Migration20261206190200';
  const BEFORE = 'Migration20261206153000';

  it('slots the existing totals, keeps them right through writes, and goes down and up again', async () => {
    const database = await createTestDatabase('deals');
    const definition = dealsSubgraph();
    const orm = await MikroORM.init({ ...createOrmOptions(definition, { databaseUrl: database.url, poolMax: 2 }), extensions: [Migrator] });
    const execute: Execute = (sql, params = []) => orm.em.getConnection().execute(sql, params);
    const templateId = randomUUID();
    const otherId = randomUUID();
    const columns = async () => (await execute<{ column_name: string }>(`select column_name from information_schema.columns where table_name = 'deal_stage_totals' order by ordinal_position`)).map((row) => row.column_name);
    const unslotted = async (template: string) =>
      execute<{ stage: string; currency: string; deal_count: number; amount_minor: string }>(
        `select stage, currency, deal_count, amount_minor::text as amount_minor from deal_stage_totals where template_id = ? and (deal_count <> 0 or amount_minor <> 0) order by 1, 2`,
        [template],
      );
    const unslottedFromDeals = async (template: string) =>
      execute<{ stage: string; currency: string; deal_count: number; amount_minor: string }>(
        `select stage, coalesce(currency, '') as currency, count(*)::int as deal_count, coalesce(sum(amount_minor), 0)::text as amount_minor from deals where template_id = ? group by 1, 2 order by 1, 2`,
        [template],
      );
    // writes of every kind the trigger handles: inserts, moves both ways, amount and currency changes, a deal
    // gaining and losing its template, deletes
    const churn = async (round: number) => {
      await execute(
        `insert into deals (id, title, counterparty_id, template_id, template_version_id, stage, amount_minor, currency)
         select gen_random_uuid(), 'Ещё ' || g, gen_random_uuid(), ?, (select id from case_template_versions where template_id = ?), (array['s1', 's2', 's3'])[1 + g % 3], 100 * g, 'RUB'
         from generate_series(1, 30) g`,
        [templateId, templateId],
      );
      await execute(`update deals set stage = case stage when 's1' then 's2' when 's2' then 's1' else stage end where template_id = ? and amount_minor % 300 = ?`, [templateId, round * 100]);
      await execute(`update deals set amount_minor = amount_minor + 7, currency = case when currency = 'RUB' then 'EUR' else 'RUB' end where template_id = ? and amount_minor % 700 = 0`, [templateId]);
      await execute(`update deals set template_id = null, template_version_id = null where id in (select id from deals where template_id = ? order by id limit 2)`, [otherId]);
      await execute(`update deals set template_id = ?, template_version_id = (select id from case_template_versions where template_id = ?) where id in (select id from deals where template_id is null order by id limit 1)`, [templateId, templateId]);
      await execute(`delete from deals where id in (select id from deals where template_id = ? order by id limit 3)`, [templateId]);
    };
    try {
      const migrator = orm.getMigrator();
      await migrator.up({ to: BEFORE });
      for (const id of [templateId, otherId]) {
        await execute(`insert into case_templates (id, name, status, draft) values (?, ?, 'PUBLISHED', ?)`, [id, `Шаблон ${id.slice(0, 4)}`, JSON.stringify(DEFINITION)]);
        await execute(`insert into case_template_versions (id, template_id, number, definition) values (?, ?, 1, ?)`, [randomUUID(), id, JSON.stringify(DEFINITION)]);
      }
      // deals of two templates, some without an amount or in EUR, and some from before templates
      await execute(
        `insert into deals (id, title, counterparty_id, template_id, template_version_id, stage, amount_minor, currency)
         select gen_random_uuid(), 'Сделка ' || g, gen_random_uuid(), t.id, v.id, (array['s1', 's2', 's3', 'won', 'lost'])[1 + g % 5],
           case when g % 6 = 0 then null else 1000 * g end, case when g % 6 = 0 then null when g % 4 = 0 then 'EUR' else 'RUB' end
         from generate_series(1, 120) g cross join case_templates t join case_template_versions v on v.template_id = t.id`,
      );
      await execute(`insert into deals (id, title, counterparty_id, stage, amount_minor, currency) select gen_random_uuid(), 'Старая ' || g, gen_random_uuid(), 'lead', 10 * g, 'RUB' from generate_series(1, 5) g`);
      expect(await unslotted(templateId)).toEqual(await unslottedFromDeals(templateId));

      await migrator.up({ to: SLOTTED });
      expect(await columns()).toEqual(['template_id', 'stage', 'currency', 'slot', 'deal_count', 'amount_minor']);
      for (const id of [templateId, otherId]) expect(await slotsFromTotals(execute, id)).toEqual(await slotsFromDeals(execute, id));
      await churn(0);
      for (const id of [templateId, otherId]) expect(await slotsFromTotals(execute, id)).toEqual(await slotsFromDeals(execute, id));

      await migrator.down({ migrations: [SLOTTED] });
      expect(await columns()).toEqual(['template_id', 'stage', 'currency', 'deal_count', 'amount_minor']);
      for (const id of [templateId, otherId]) expect(await unslotted(id)).toEqual(await unslottedFromDeals(id));
      await churn(1);
      for (const id of [templateId, otherId]) expect(await unslotted(id)).toEqual(await unslottedFromDeals(id));

      await migrator.up({ to: SLOTTED });
      await churn(2);
      for (const id of [templateId, otherId]) expect(await slotsFromTotals(execute, id)).toEqual(await slotsFromDeals(execute, id));
      expect((await slotsFromTotals(execute, templateId)).length).toBeGreaterThan(STAGES.length * 2);
    } finally {
      await orm.close(true);
      await database.drop();
    }
  });
});
