import { randomUUID } from 'node:crypto';
import { apiKeyIdentity, type Identity } from '@kartoteka/kit';
import { demoIdentity, seedCounterpartyRefs, seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { dealsSubgraph } from '../../../subgraph';
import { DealAction, DealActionStatus } from '../../deal/deal-action.entity';
import { Deal, DealStatus } from '../../deal/deal.entity';

/**
 * "My work" for the portal's My tasks and My day: the deal actions waiting on me (exactly the ones the navigation
 * counts) and my open tasks within a due window.
 */

const MANAGER_ID = '00000000-0000-4000-8000-000000000002';
const SALES_ID = '00000000-0000-4000-8000-000000000003';
const manager: Identity = demoIdentity('manager@kartoteka.local');
const partner: Identity = apiKeyIdentity('00000000-0000-4000-8000-00000000cccc', 'ERP', ['tasks:read']);

let subgraph: TestSubgraph;
let statements: string[] = [];

beforeAll(async () => {
  subgraph = await startTestSubgraph(dealsSubgraph(), { onQuery: (sql) => statements.push(sql) });
  await seedDemoUserRefs(subgraph.orm.em);
});
afterAll(() => subgraph?.close());

const MY_DEAL_ACTIONS = `query($first: Int!) {
  myDealActions(first: $first) { id title status dueAt deal { id title } }
  myWorkCounts { dealActions overdueDealActions }
}`;

describe('my deal actions', () => {
  it('lists the actions of the current stage of my open deals still to do, by due time, as the navigation counts them', async () => {
    const counterpartyId = randomUUID();
    await seedCounterpartyRefs(subgraph.orm.em, [counterpartyId]);
    const em = subgraph.orm.em.fork();
    const open = em.create(Deal, { title: 'Поставка', counterpartyId, stageKey: 'proposal', ownerId: MANAGER_ID });
    const won = em.create(Deal, { title: 'Закрытая', counterpartyId, stageKey: 'won', ownerId: MANAGER_ID, status: DealStatus.WON });
    const past = new Date(Date.now() - 86_400_000);
    const later = new Date(Date.now() + 86_400_000);
    const action = (dealId: string, key: string, patch: Partial<DealAction>) =>
      em.create(DealAction, { dealId, stageKey: 'proposal', actionKey: key, kind: 'TASK', title: key, assigneeId: MANAGER_ID, ...patch });
    action(open.id, 'later', { dueAt: later });
    action(open.id, 'overdue', { dueAt: past, status: DealActionStatus.FAILED });
    action(open.id, 'undated', {});
    action(open.id, 'done', { status: DealActionStatus.DONE });
    action(open.id, 'requested', { status: DealActionStatus.REQUESTED });
    action(open.id, 'someone-else', { assigneeId: SALES_ID });
    action(open.id, 'old-stage', { stageKey: 'lead' });
    action(won.id, 'closed-deal', { stageKey: 'won' });
    await em.flush();

    statements = [];
    const result = await subgraph.request<{ myDealActions: { title: string; status: string; deal: { id: string; title: string } }[]; myWorkCounts: { dealActions: number; overdueDealActions: number } }>(
      MY_DEAL_ACTIONS,
      { first: 20 },
      manager,
    );
    expect(result.errors).toBeUndefined();
    const { myDealActions, myWorkCounts } = result.data!;
    expect(myDealActions.map((a) => a.title)).toEqual(['overdue', 'later', 'undated']);
    expect(myDealActions.every((a) => a.deal.id === open.id && a.deal.title === 'Поставка')).toBe(true);
    expect(myWorkCounts).toEqual({ dealActions: 3, overdueDealActions: 1 });
    // the list, its deals (one batch) and the counts: no statement per action
    expect(statements.filter((sql) => /^\s*select/i.test(sql)).length).toBeLessThanOrEqual(3);

    const firstOnly = await subgraph.request<{ myDealActions: { title: string }[] }>('query { myDealActions(first: 1) { title } }', {}, manager);
    expect(firstOnly.data!.myDealActions.map((a) => a.title)).toEqual(['overdue']);
  });

  it('refuses a page size out of range and callers who are not staff', async () => {
    const tooMany = await subgraph.request('query { myDealActions(first: 101) { id } }', {}, manager);
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const fromPartner = await subgraph.request('query { myDealActions { id } }', {}, partner);
    expect(fromPartner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('my tasks in a due window', () => {
  it('lists my open tasks due within the window (My day: overdue, today, the next days)', async () => {
    const create = async (title: string, dueAt: string | null, assigneeId?: string) => {
      const result = await subgraph.request<{ createTask: { id: string } }>('mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }', { input: { title, dueAt, assigneeId } }, manager);
      expect(result.errors).toBeUndefined();
      return result.data!.createTask.id;
    };
    await create('вчера', '2030-01-09T12:00:00Z');
    await create('сегодня утром', '2030-01-10T06:00:00Z');
    await create('сегодня вечером', '2030-01-10T20:00:00Z');
    await create('завтра', '2030-01-11T09:00:00Z');
    await create('без срока', null);
    await create('чужая сегодня', '2030-01-10T09:00:00Z', SALES_ID);
    const done = await create('выполненная сегодня', '2030-01-10T10:00:00Z');
    expect((await subgraph.request('mutation($input: TaskTransitionInput!) { completeTask(input: $input) { id } }', { input: { id: done } }, manager)).errors).toBeUndefined();

    const window = async (dueAfter: string | null, dueBefore: string | null) => {
      const result = await subgraph.request<{ myTasks: { totalCount: number; edges: { node: { title: string } }[] } }>(
        'query($dueAfter: String, $dueBefore: String) { myTasks(dueAfter: $dueAfter, dueBefore: $dueBefore, first: 10) { totalCount edges { node { title } } } }',
        { dueAfter, dueBefore },
        manager,
      );
      expect(result.errors).toBeUndefined();
      return result.data!.myTasks;
    };
    const today = await window('2030-01-10T00:00:00Z', '2030-01-11T00:00:00Z');
    expect(today.edges.map((edge) => edge.node.title)).toEqual(['сегодня утром', 'сегодня вечером']);
    expect(today.totalCount).toBe(2);
    const before = await window(null, '2030-01-10T00:00:00Z');
    expect(before.edges.map((edge) => edge.node.title)).toContain('вчера');
    expect(before.edges.map((edge) => edge.node.title)).not.toContain('сегодня утром');

    const bad = await subgraph.request('query { myTasks(dueBefore: "завтра") { totalCount } }', {}, manager);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'dueBefore' });
  });
});
