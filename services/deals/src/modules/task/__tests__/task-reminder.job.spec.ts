import { createLogger, TASK_DUE_SOON, TASK_OVERDUE, type TaskReminder, taskReminderContract } from '@kartoteka/kit';
import { seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { dealsSubgraph } from '../../../subgraph';
import { Task, TaskStatus } from '../task.entity';
import { taskReminderJob } from '../task-reminder.job';

const LAWYER_ID = '00000000-0000-4000-8000-000000000004';
const SALES_ID = '00000000-0000-4000-8000-000000000003';
const logger = createLogger('task-reminder-spec', 'silent');
const HOUR = 3_600_000;
/** The controlled clock: every run says what time it is; nothing sleeps. */
const T0 = new Date('2030-03-10T09:00:00.000Z');
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(dealsSubgraph());
  await seedDemoUserRefs(subgraph.orm.em);
});
afterAll(() => subgraph?.close());

const job = (now: Date, options: { leadMs?: number; batchSize?: number } = {}) => taskReminderJob({ orm: subgraph.orm, logger, intervalMs: 60_000, now: () => now, ...options });

async function announced(topic: string): Promise<TaskReminder[]> {
  const rows = await subgraph.orm.em.fork().getConnection().execute<{ payload: unknown }[]>('select payload from outbox_events where topic = ? order by created_at, id', [topic]);
  return rows.map((row) => {
    const parsed = taskReminderContract.parse({ payload: row.payload as never });
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.value;
  });
}

async function insertTask(values: Partial<Task> & { title: string }): Promise<string> {
  const em = subgraph.orm.em.fork();
  const task = em.create(Task, { assigneeId: LAWYER_ID, ...values });
  await em.flush();
  return task.id;
}

async function setTask(id: string, values: Partial<Task>): Promise<void> {
  await subgraph.orm.em.fork().nativeUpdate(Task, { id }, values);
}

describe('the task reminder job', () => {
  it('reminds once a day before the due time, then once when overdue; a moved due time arms both again', async () => {
    const id = await insertTask({ title: 'Подписать акт', dueAt: at(30) });
    const quiet = await insertTask({ title: 'Нет исполнителя', dueAt: at(5), assigneeId: null });
    const closed = await insertTask({ title: 'Уже сделано', dueAt: at(5), status: TaskStatus.DONE });
    void quiet;
    void closed;

    // 30 h before: outside the default lead time of a day
    expect(await job(T0).runOnce()).toBe(true);
    expect(await announced(TASK_DUE_SOON)).toEqual([]);

    // 24 h before: due soon, once however often it runs
    const dayBefore = job(at(6));
    expect(await dayBefore.runOnce()).toBe(true);
    expect(dayBefore.lastResult()).toEqual({ dueSoon: 1, overdue: 0 });
    expect(await job(at(7)).runOnce()).toBe(true);
    expect(await announced(TASK_DUE_SOON)).toEqual([
      { taskId: id, title: 'Подписать акт', assigneeId: LAWYER_ID, dueAt: at(30).toISOString(), priority: 'NORMAL', counterpartyId: null, documentId: null, dealId: null, projectId: null },
    ]);

    // past the due time: overdue, once
    const late = job(at(31));
    expect(await late.runOnce()).toBe(true);
    expect(late.lastResult()).toEqual({ dueSoon: 0, overdue: 1 });
    expect(await job(at(40)).runOnce()).toBe(true);
    expect((await announced(TASK_OVERDUE)).map((event) => [event.taskId, event.dueAt])).toEqual([[id, at(30).toISOString()]]);

    // the due time moves two days on: reminded again for the new one
    await setTask(id, { dueAt: at(80) });
    expect(await job(at(60)).runOnce()).toBe(true);
    expect((await announced(TASK_DUE_SOON)).map((event) => event.dueAt)).toEqual([at(30).toISOString(), at(80).toISOString()]);
    // done: nothing more, even long past its due time
    await setTask(id, { status: TaskStatus.DONE });
    const after = job(at(100));
    expect(await after.runOnce()).toBe(true);
    expect(after.lastResult()).toEqual({ dueSoon: 0, overdue: 0 });
  });

  it('a task first seen overdue gets only the overdue notice; a closed one nothing; the lead time is configurable', async () => {
    const before = { soon: (await announced(TASK_DUE_SOON)).length, overdue: (await announced(TASK_OVERDUE)).length };
    const overdue = await insertTask({ title: 'Просрочена', dueAt: at(200), assigneeId: SALES_ID });
    const closed = await insertTask({ title: 'Отменена', dueAt: at(200), status: TaskStatus.CANCELLED });
    const later = await insertTask({ title: 'Через 3 часа', dueAt: at(303) });
    void closed;
    const run = job(at(300), { leadMs: 2 * HOUR });
    expect(await run.runOnce()).toBe(true);
    expect(run.lastResult()).toEqual({ dueSoon: 0, overdue: 1 });
    expect((await announced(TASK_OVERDUE)).slice(before.overdue).map((event) => [event.taskId, event.assigneeId])).toEqual([[overdue, SALES_ID]]);
    expect(await job(at(301), { leadMs: 2 * HOUR }).runOnce()).toBe(true);
    expect((await announced(TASK_DUE_SOON)).slice(before.soon).map((event) => event.taskId)).toEqual([later]);
  });

  it('works in batches and, run by several instances at once, announces each task once', async () => {
    const before = (await announced(TASK_OVERDUE)).length;
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) ids.push(await insertTask({ title: `Пачка ${i}`, dueAt: at(400 + i / 10) }));
    const results = await Promise.all([job(at(500), { batchSize: 2 }).runOnce(), job(at(500), { batchSize: 3 }).runOnce(), job(at(500)).runOnce()]);
    expect(results).toContain(true);
    expect(await job(at(501), { batchSize: 2 }).runOnce()).toBe(true);
    const events = (await announced(TASK_OVERDUE)).slice(before).filter((event) => ids.includes(event.taskId));
    expect(events.map((event) => event.taskId).sort()).toEqual([...ids].sort());
  });
});
