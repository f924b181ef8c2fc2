import { randomUUID } from 'node:crypto';
import { apiKeyIdentity, type Identity, TASK_COMPLETED, taskCompletedContract } from '@kartoteka/kit';
import { demoIdentity, seedCounterpartyRefs, seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { dealsSubgraph } from '../../../subgraph';
import { DealAction, DealActionStatus } from '../../deal/deal-action.entity';
import { Deal } from '../../deal/deal.entity';

const MANAGER_ID = '00000000-0000-4000-8000-000000000002';
const SALES_ID = '00000000-0000-4000-8000-000000000003';
const LAWYER_ID = '00000000-0000-4000-8000-000000000004';
const VIEWER_ID = '00000000-0000-4000-8000-000000000006';
const manager: Identity = demoIdentity('manager@kartoteka.local');
const sales: Identity = demoIdentity('sales@kartoteka.local');
const lawyer: Identity = demoIdentity('approver@kartoteka.local');
const accountant: Identity = demoIdentity('accountant@kartoteka.local');
const viewer: Identity = demoIdentity('viewer@kartoteka.local');
const partner: Identity = apiKeyIdentity('00000000-0000-4000-8000-00000000bbbb', 'ERP', ['deals:read', 'deals:write']);

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(dealsSubgraph());
  await seedDemoUserRefs(subgraph.orm.em);
});
afterAll(() => subgraph?.close());

const FIELDS = `id title description status priority dueAt overdue version assigneeId counterpartyId documentId dealId projectId completedAt
  assignee { id } author { id } completedBy { id } counterparty { id } deal { id } project { id name } comments { text author { id } authorKind }`;
const CREATE = `mutation($input: CreateTaskInput!) { createTask(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($input: UpdateTaskInput!) { updateTask(input: $input) { ${FIELDS} } }`;
const COMPLETE = `mutation($input: TaskTransitionInput!) { completeTask(input: $input) { ${FIELDS} } }`;
const REOPEN = `mutation($input: TaskTransitionInput!) { reopenTask(input: $input) { ${FIELDS} } }`;
const COMMENT = `mutation($input: AddTaskCommentInput!) { addTaskComment(input: $input) { id text author { id } } }`;
const TASKS = `query($assigneeId: ID, $status: TaskStatus, $dueBefore: String, $dueAfter: String, $counterpartyId: ID, $projectId: ID, $first: Int!, $after: String) {
  tasks(assigneeId: $assigneeId, status: $status, dueBefore: $dueBefore, dueAfter: $dueAfter, counterpartyId: $counterpartyId, projectId: $projectId, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id title dueAt } }
  }
}`;
const MY = `query($status: TaskStatus, $first: Int!) { myTasks(status: $status, first: $first) { totalCount edges { node { id title } } } }`;
const COUNTS = '{ myWorkCounts { openTasks overdueTasks dealActions overdueDealActions } }';

type TaskData = {
  id: string;
  title: string;
  status: string;
  priority: string;
  dueAt: string | null;
  overdue: boolean;
  version: number;
  assignee: { id: string } | null;
  author: { id: string } | null;
  completedBy: { id: string } | null;
  completedAt: string | null;
  counterparty: { id: string } | null;
  deal: { id: string } | null;
  project: { id: string; name: string } | null;
  comments: { text: string; author: { id: string } | null; authorKind: string }[];
};
type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: { id: string; title: string; dueAt: string | null } }[] };

async function taskRows(): Promise<number> {
  const [row] = await subgraph.orm.em.fork().getConnection().execute<{ n: number }[]>('select (select count(*) from tasks) + (select count(*) from task_comments) + (select count(*) from outbox_events) as n');
  return Number(row.n);
}

async function create(input: Record<string, unknown>, identity: Identity = manager): Promise<TaskData> {
  const result = await subgraph.request<{ createTask: TaskData }>(CREATE, { input }, identity);
  expect(result.errors).toBeUndefined();
  return result.data!.createTask;
}

describe('tasks', () => {
  it('creates a task linked to a counterparty, deal, project and document; the creator is the assignee by default', async () => {
    const counterpartyId = randomUUID();
    await seedCounterpartyRefs(subgraph.orm.em, [counterpartyId]);
    const em = subgraph.orm.em.fork();
    const deal = em.create(Deal, { title: 'Поставка', counterpartyId, stageKey: 'lead', ownerId: MANAGER_ID });
    const documentId = randomUUID();
    em.create(DealAction, { dealId: deal.id, stageKey: 'lead', actionKey: 'offer', kind: 'SEND_OFFER', title: 'КП', documentId });
    await em.flush();
    const project = await subgraph.request<{ createProject: { id: string } }>('mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }', { input: { name: 'ЭДО', counterpartyIds: [counterpartyId] } }, manager);
    const projectId = project.data!.createProject.id;

    const task = await create({ title: ' Позвонить юристу ', description: 'Обсудить договор', dueAt: '2030-01-15T18:00:00+03:00', priority: 'HIGH', counterpartyId, dealId: deal.id, projectId, documentId });
    expect(task).toMatchObject({
      title: 'Позвонить юристу', status: 'OPEN', priority: 'HIGH', dueAt: '2030-01-15T15:00:00.000Z', overdue: false, version: 1,
      assignee: { id: MANAGER_ID }, author: { id: MANAGER_ID }, counterparty: { id: counterpartyId }, deal: { id: deal.id }, project: { id: projectId, name: 'ЭДО' }, comments: [],
    });
    const assigned = await create({ title: 'Проверить договор', assigneeId: LAWYER_ID });
    expect(assigned).toMatchObject({ assignee: { id: LAWYER_ID }, priority: 'NORMAL', dueAt: null, counterparty: null });
  });

  it('refuses bad input with a typed error on the field and writes nothing', async () => {
    const archived = randomUUID();
    await seedCounterpartyRefs(subgraph.orm.em, [{ id: archived, status: 'ARCHIVED' }]);
    const before = await taskRows();
    const cases: [Record<string, unknown>, string][] = [
      [{ title: '  ' }, 'title'],
      [{ assigneeId: randomUUID() }, 'assigneeId'],
      [{ counterpartyId: randomUUID() }, 'counterpartyId'],
      [{ counterpartyId: archived }, 'counterpartyId'],
      [{ dealId: randomUUID() }, 'dealId'],
      [{ projectId: randomUUID() }, 'projectId'],
      [{ documentId: randomUUID() }, 'documentId'],
      [{ dueAt: '2030-02-30T10:00:00Z' }, 'dueAt'],
      [{ dueAt: '2030-01-01' }, 'dueAt'],
      [{ title: 'x'.repeat(501) }, 'title'],
    ];
    for (const [patch, field] of cases) {
      const result = await subgraph.request(CREATE, { input: { title: 'Задача', ...patch } }, manager);
      expect({ patch, error: result.errors?.[0]?.extensions }).toMatchObject({ patch, error: { code: 'BAD_USER_INPUT', field } });
    }
    expect((await subgraph.request(CREATE, { input: { title: 'Задача' } }, viewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await subgraph.request(CREATE, { input: { title: 'Задача' } }, partner)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await taskRows()).toBe(before);
  });

  it('updates with optimistic locking; the author and assignee may, a viewer never', async () => {
    const task = await create({ title: 'Подготовить отчёт', assigneeId: VIEWER_ID });
    const updated = await subgraph.request<{ updateTask: TaskData }>(UPDATE, { input: { id: task.id, version: 1, status: 'IN_PROGRESS', priority: 'URGENT', assigneeId: SALES_ID } }, manager);
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateTask).toMatchObject({ status: 'IN_PROGRESS', priority: 'URGENT', assignee: { id: SALES_ID }, version: 2 });
    const stale = await subgraph.request(UPDATE, { input: { id: task.id, version: 1, title: 'Другое' } }, sales);
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    const done = await subgraph.request(UPDATE, { input: { id: task.id, version: 2, status: 'DONE' } }, sales);
    expect(done.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status' });
    const byViewer = await subgraph.request(UPDATE, { input: { id: task.id, version: 2, title: 'Другое' } }, viewer);
    expect(byViewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const missing = await subgraph.request(UPDATE, { input: { id: randomUUID(), version: 1, title: 'Другое' } }, manager);
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // the lawyer (tasks:write) changes a task that is not theirs; the assignee clears the due time
    const byLawyer = await subgraph.request<{ updateTask: TaskData }>(UPDATE, { input: { id: task.id, version: 2, dueAt: '2031-01-01T09:00:00Z' } }, lawyer);
    expect(byLawyer.data?.updateTask.dueAt).toBe('2031-01-01T09:00:00.000Z');
    const cleared = await subgraph.request<{ updateTask: TaskData }>(UPDATE, { input: { id: task.id, version: 3, dueAt: null } }, sales);
    expect(cleared.data?.updateTask).toMatchObject({ dueAt: null, version: 4 });
  });

  it('completes and reopens a task, publishing deals.task.completed through the outbox; comments are plain text', async () => {
    const task = await create({ title: 'Сверить акты', assigneeId: LAWYER_ID, dueAt: '2020-01-01T10:00:00Z' });
    expect(task.overdue).toBe(true);
    const comment = await subgraph.request<{ addTaskComment: { text: string; author: { id: string } } }>(COMMENT, { input: { taskId: task.id, text: '  <b>Начала</b>  ' } }, lawyer);
    expect(comment.data?.addTaskComment).toMatchObject({ text: '<b>Начала</b>', author: { id: LAWYER_ID } });
    const tooLong = await subgraph.request(COMMENT, { input: { taskId: task.id, text: 'я'.repeat(4001) } }, lawyer);
    expect(tooLong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text' });
    expect((await subgraph.request(COMMENT, { input: { taskId: task.id, text: 'нет' } }, viewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const completed = await subgraph.request<{ completeTask: TaskData }>(COMPLETE, { input: { id: task.id, version: 1, comment: 'Готово' } }, lawyer);
    expect(completed.errors).toBeUndefined();
    expect(completed.data!.completeTask).toMatchObject({ status: 'DONE', overdue: false, completedBy: { id: LAWYER_ID }, comments: [{ text: '<b>Начала</b>' }, { text: 'Готово', authorKind: 'user' }] });
    const events = await subgraph.orm.em.fork().getConnection().execute<{ payload: unknown }[]>('select payload from outbox_events where topic = ? order by created_at', [TASK_COMPLETED]);
    const parsed = events.map((row) => taskCompletedContract.parse({ payload: row.payload as never }));
    expect(parsed).toEqual([{ ok: true, value: expect.objectContaining({ taskId: task.id, status: 'DONE', completedById: LAWYER_ID }) }]);
    expect((await subgraph.request(COMPLETE, { input: { id: task.id } }, lawyer)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });

    const reopened = await subgraph.request<{ reopenTask: TaskData }>(REOPEN, { input: { id: task.id } }, lawyer);
    expect(reopened.data?.reopenTask).toMatchObject({ status: 'OPEN', completedAt: null, completedBy: null });
    expect((await subgraph.request(REOPEN, { input: { id: task.id } }, lawyer)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('lists tasks by due time with filters, my tasks and my work counts', async () => {
    const counterpartyId = randomUUID();
    await seedCounterpartyRefs(subgraph.orm.em, [counterpartyId]);
    const titles = ['без срока', 'через год', 'вчера', 'завтра'];
    const dues = [null, new Date(Date.now() + 365 * 86_400_000), new Date(Date.now() - 86_400_000), new Date(Date.now() + 86_400_000)];
    for (const [index, title] of titles.entries()) await create({ title, counterpartyId, assigneeId: accountant.kind === 'user' ? accountant.id : null, dueAt: dues[index]?.toISOString() ?? null });
    const pages: string[] = [];
    let after: string | null = null;
    do {
      const page: Page = (await subgraph.request<{ tasks: Page }>(TASKS, { counterpartyId, first: 3, after }, viewer)).data!.tasks;
      pages.push(...page.edges.map((edge) => edge.node.title));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(pages).toEqual(['вчера', 'завтра', 'через год', 'без срока']);
    const soon = (await subgraph.request<{ tasks: Page }>(TASKS, { counterpartyId, dueAfter: new Date().toISOString(), dueBefore: new Date(Date.now() + 2 * 86_400_000).toISOString(), first: 10 }, viewer)).data!.tasks;
    expect(soon.edges.map((edge) => edge.node.title)).toEqual(['завтра']);

    const mine = (await subgraph.request<{ myTasks: { totalCount: number } }>(MY, { first: 10 }, accountant)).data!.myTasks;
    expect(mine.totalCount).toBe(4);
    // a deal action of the accountant's in an open deal's current stage counts too
    const em = subgraph.orm.em.fork();
    const deal = em.create(Deal, { title: 'Сделка', counterpartyId, stageKey: 'lead', ownerId: MANAGER_ID });
    em.create(DealAction, { dealId: deal.id, stageKey: 'lead', actionKey: 'call', kind: 'TASK', title: 'Позвонить', assigneeId: '00000000-0000-4000-8000-000000000007', dueAt: new Date(Date.now() - 3_600_000) });
    em.create(DealAction, { dealId: deal.id, stageKey: 'lead', actionKey: 'done', kind: 'TASK', title: 'Готово', assigneeId: '00000000-0000-4000-8000-000000000007', status: DealActionStatus.DONE });
    await em.flush();
    const counts = await subgraph.request<{ myWorkCounts: Record<string, number> }>(COUNTS, {}, accountant);
    expect(counts.data?.myWorkCounts).toEqual({ openTasks: 4, overdueTasks: 1, dealActions: 1, overdueDealActions: 1 });
    expect((await subgraph.request(COUNTS, {}, partner)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await subgraph.request(MY, { first: 1, status: 'BOGUS' }, accountant)).errors).toBeDefined();
  });
});
