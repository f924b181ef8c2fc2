import { randomUUID } from 'node:crypto';
import { DEAL_CREATED, DEAL_LOST, DEAL_STAGE_MOVED, DEAL_WON, dealLifecycleContract, PROJECT_CHANGED, PROJECT_CREATED, projectNewsContract, TASK_CREATED, taskCreatedContract, type EventPayload } from '@kartoteka/kit';
import { demoIdentity, seedCounterpartyRefs, seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { dealsSubgraph } from '../../../subgraph';

const manager = demoIdentity('manager@kartoteka.local');
const admin = demoIdentity('admin@kartoteka.local');
const CREATE = 'mutation($input: CreateDealInput!) { createDeal(input: $input) { id version } }';
const MOVE = 'mutation($input: MoveDealInput!) { moveDeal(input: $input) { id version status } }';
const UPDATE = 'mutation($input: UpdateDealInput!) { updateDeal(input: $input) { id version } }';
const VERIFY = '{ verifyDealHistory { valid checkedCount firstBrokenSeq firstBrokenId reason headSeq } }';

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(dealsSubgraph());
  await seedDemoUserRefs(subgraph.orm.em);
});
afterAll(() => subgraph?.close());

async function gql<T>(query: string, variables: Record<string, unknown> = {}, identity = manager): Promise<T> {
  const result = await subgraph.request<T>(query, variables, identity);
  if (result.errors?.length || !result.data) throw new Error(JSON.stringify(result.errors));
  return result.data;
}

async function newDeal(title: string): Promise<{ id: string; version: number; counterpartyId: string }> {
  const counterpartyId = randomUUID();
  await seedCounterpartyRefs(subgraph.orm.em, [counterpartyId]);
  const { createDeal } = await gql<{ createDeal: { id: string; version: number } }>(CREATE, { input: { title, counterpartyId, stage: 'lead', amountMinor: 100_00 } });
  return { ...createDeal, counterpartyId };
}

type Outbox = { topic: string; payload: EventPayload };
const outboxOf = async (dealId: string) =>
  (await subgraph.orm.em.getConnection().execute<Outbox[]>('select topic, payload from outbox_events order by created_at, id')).filter((event) => event.payload.dealId === dealId && event.topic.startsWith('deals.deal.'));

describe('deal lifecycle events', () => {
  it('publishes created, stage-moved, lost and won with the stage names, for the counterparty timeline', async () => {
    const deal = await newDeal('Лицензии');
    const moved = await gql<{ moveDeal: { version: number } }>(MOVE, { input: { id: deal.id, version: deal.version, stageKey: 'qualification' } });
    const lost = await gql<{ moveDeal: { version: number } }>(MOVE, { input: { id: deal.id, version: moved.moveDeal.version, stageKey: 'lost', closeReason: 'Выбрали конкурента' } });
    const reopened = await gql<{ moveDeal: { version: number } }>(MOVE, { input: { id: deal.id, version: lost.moveDeal.version, stageKey: 'lead' } });
    await gql(MOVE, { input: { id: deal.id, version: reopened.moveDeal.version, stageKey: 'won' } });
    const events = await outboxOf(deal.id);
    expect(events.map((event) => event.topic)).toEqual([DEAL_CREATED, DEAL_STAGE_MOVED, DEAL_LOST, DEAL_STAGE_MOVED, DEAL_WON]);
    const parsed = events.map((event) => dealLifecycleContract.parse(event));
    expect(parsed.every((result) => result.ok)).toBe(true);
    expect(events[1].payload).toMatchObject({ counterpartyId: deal.counterpartyId, fromStageKey: 'lead', stageKey: 'qualification', stageName: 'Квалификация', status: 'OPEN' });
    expect(events[2].payload).toMatchObject({ status: 'LOST', closeReason: 'Выбрали конкурента' });
  });
});

describe('task and project events', () => {
  const topicEvents = async (topic: string) => subgraph.orm.em.getConnection().execute<Outbox[]>('select topic, payload from outbox_events where topic = ? order by created_at, id', [topic]);

  it('publishes task created with its links, and project created / changed naming its counterparties (also a removed one)', async () => {
    const deal = await newDeal('Проект внедрения');
    const task = await gql<{ createTask: { id: string } }>('mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }', { input: { title: 'Подготовить КП', dealId: deal.id } });
    const [taskEvent] = (await topicEvents(TASK_CREATED)).filter((event) => event.payload.taskId === task.createTask.id);
    const parsedTask = taskCreatedContract.parse(taskEvent);
    expect(parsedTask.ok && parsedTask.value).toMatchObject({ title: 'Подготовить КП', dealId: deal.id, counterpartyId: null, createdById: '00000000-0000-4000-8000-000000000002' });

    const second = randomUUID();
    await seedCounterpartyRefs(subgraph.orm.em, [second]);
    const project = await gql<{ createProject: { id: string; version: number } }>('mutation($input: CreateProjectInput!) { createProject(input: $input) { id version } }', { input: { name: 'Внедрение ERP', counterpartyIds: [deal.counterpartyId, second] } });
    await gql('mutation($input: UpdateProjectInput!) { updateProject(input: $input) { id } }', { input: { id: project.createProject.id, version: project.createProject.version, name: 'Внедрение ERP, этап 2', counterpartyIds: [deal.counterpartyId] } });
    const news = (await subgraph.orm.em.getConnection().execute<Outbox[]>('select topic, payload from outbox_events where topic in (?, ?) order by created_at, id', [PROJECT_CREATED, PROJECT_CHANGED])).filter(
      (event) => event.payload.projectId === project.createProject.id,
    );
    expect(news.map((event) => event.topic)).toEqual([PROJECT_CREATED, PROJECT_CHANGED]);
    const [created, changed] = news.map((event) => {
      const parsed = projectNewsContract.parse(event);
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.value;
    });
    expect(new Set(created.counterpartyIds)).toEqual(new Set([deal.counterpartyId, second]));
    expect(changed).toMatchObject({ name: 'Внедрение ERP, этап 2', changedFields: expect.arrayContaining(['name', 'counterpartyIds']) });
    expect(new Set(changed.counterpartyIds)).toEqual(new Set([deal.counterpartyId, second]));
  });
});

describe('verifyDealHistory', () => {
  it('chains concurrent changes of many deals without a fork, refuses edits, and finds a tampered entry', async () => {
    const deals = await Promise.all(Array.from({ length: 6 }, (_, index) => newDeal(`Параллельная ${index}`)));
    await Promise.all(deals.map((deal, index) => gql(UPDATE, { input: { id: deal.id, version: deal.version, title: `Параллельная ${index} (изм.)` } })));
    await Promise.all(deals.map((deal) => gql(MOVE, { input: { id: deal.id, version: deal.version + 1, stageKey: 'qualification' } })));

    const valid = await gql<{ verifyDealHistory: { valid: boolean; checkedCount: number; headSeq: number } }>(VERIFY, {}, admin);
    expect(valid.verifyDealHistory.valid).toBe(true);
    const connection = subgraph.orm.em.getConnection();
    const [{ count, max, distinct }] = await connection.execute<{ count: number; max: string; distinct: number }[]>('select count(*)::int as count, max(seq) as max, count(distinct prev_hash)::int as distinct from deal_changes');
    expect(valid.verifyDealHistory.checkedCount).toBe(count);
    expect(Number(max)).toBe(count);
    expect(distinct).toBe(count); // every entry links to a different predecessor: no fork

    const denied = await subgraph.request(VERIFY, {}, manager);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const [victim] = await connection.execute<{ id: string; seq: string }[]>('select id, seq from deal_changes where deal_id = ? order by seq limit 1', [deals[3].id]);
    await expect(connection.execute(`update deal_changes set kind = 'WON' where id = ?`, [victim.id])).rejects.toThrow(/append-only: UPDATE/);
    await expect(connection.execute('delete from deal_changes where id = ?', [victim.id])).rejects.toThrow(/append-only: DELETE/);

    await connection.execute('alter table deal_changes disable trigger deal_changes_no_update_delete');
    try {
      await connection.execute(`update deal_changes set details = details || '{"toStageKey":"won"}'::jsonb where id = ?`, [victim.id]);
    } finally {
      await connection.execute('alter table deal_changes enable trigger deal_changes_no_update_delete');
    }
    const broken = await gql<{ verifyDealHistory: { valid: boolean; firstBrokenSeq: number; firstBrokenId: string; reason: string } }>(VERIFY, {}, admin);
    expect(broken.verifyDealHistory).toMatchObject({ valid: false, firstBrokenSeq: Number(victim.seq), firstBrokenId: victim.id, reason: 'hash-mismatch' });
  });
});
