import { randomUUID } from 'node:crypto';
import { type BusEvent, createLogger, EventConsumer, type Identity, PgEventBus, TASK_COMPLETED, TASK_DUE_SOON, TASK_OVERDUE } from '@kartoteka/kit';
import { createTestDatabase, startTestSubgraph, type TestDatabase, type TestSubgraph } from '@kartoteka/kit/testing';
import { accountant, fillStaffDirectory, idOf, manager, ok } from '../../approval/__tests__/approval.fixtures';
import { defaultDocumentsSettings } from '../../../config';
import { documentsEventHandlers, documentsSubgraph } from '../../../subgraph';

let subgraph: TestSubgraph;
let events: TestDatabase;
let bus: PgEventBus;
const logger = createLogger('documents-test', 'silent');
// The handlers as the service registers them: proves the topics are wired into the documents consumer.
const consumer = () => new EventConsumer({ consumer: 'documents', orm: subgraph.orm, bus, logger, handlers: documentsEventHandlers() });

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }));
  await fillStaffDirectory(subgraph);
  events = await createTestDatabase('events');
  bus = new PgEventBus({ url: events.url, logger });
  await bus.connect();
});
afterAll(async () => {
  await bus?.close();
  await subgraph?.close();
  await events?.drop();
});

const event = (topic: string, payload: Record<string, unknown>): BusEvent => ({ id: randomUUID(), topic, producer: 'deals', payload: payload as BusEvent['payload'], occurredAt: new Date() });
const reminder = (taskId: string, extra: Record<string, unknown> = {}) => ({
  taskId,
  title: 'Сверить акты с <b>Ромашкой</b>',
  assigneeId: idOf(accountant),
  dueAt: '2030-03-11T15:00:00.000Z',
  priority: 'HIGH',
  counterpartyId: null,
  documentId: null,
  dealId: null,
  projectId: null,
  ...extra,
});

type Row = { user_id: string; kind: string; document_id: string | null; task_id: string; read_at: Date | null; handled_at: Date | null; params: Record<string, unknown> };
const notificationsOf = (taskId: string) =>
  subgraph.orm.em.getConnection().execute<Row[]>(`select user_id, kind, document_id, task_id, read_at, handled_at, params from notifications where task_id = ? order by created_at, kind`, [taskId]);
const mailsOf = (taskId: string) =>
  subgraph.orm.em.getConnection().execute<{ to_address: string; subject: string; text: string; html: string }[]>(
    `select m.to_address, m.subject, m.text, m.html from mail_outbox m join notifications n on n.id = m.notification_id where n.task_id = ? order by n.created_at, n.kind`,
    [taskId],
  );

const INBOX = `{ unreadNotificationCount notifications(first: 50) { edges { node { kind documentId taskId documentTitle dueAt readAt handledAt document { id } } } } }`;
type InboxNode = { kind: string; documentId: string | null; taskId: string | null; documentTitle: string; dueAt: string | null; readAt: string | null; handledAt: string | null; document: { id: string } | null };
async function inbox(identity: Identity): Promise<{ unread: number; nodes: InboxNode[] }> {
  const data = ok(await subgraph.request<{ unreadNotificationCount: number; notifications: { edges: { node: InboxNode }[] } }>(INBOX, {}, identity));
  return { unread: data.unreadNotificationCount, nodes: data.notifications.edges.map((edge) => edge.node) };
}

describe('deals.task.due-soon / overdue → TASK_DUE_SOON / TASK_OVERDUE notifications; deals.task.completed → handled', () => {
  it('reminds the assignee once per kind and due time (in-app + e-mail with a link to the task); completing the task handles them', async () => {
    const taskId = randomUUID();
    const worker = consumer();
    expect(await worker.processBatch()).toBe(0); // subscribes
    const soon = event(TASK_DUE_SOON, reminder(taskId));
    await bus.publish([soon]);
    expect(await worker.processBatch()).toBe(1);
    // redelivered, and published again under another event id: nothing new
    expect(await worker.handle({ consumer: 'documents', attempt: 2, event: soon })).toEqual({ kind: 'ack' });
    await bus.publish([{ ...soon, id: randomUUID() }, event(TASK_OVERDUE, reminder(taskId))]);
    expect(await worker.processBatch()).toBe(2);

    const rows = await notificationsOf(taskId);
    expect(rows.map((row) => [row.kind, row.user_id, row.document_id, row.read_at, row.handled_at])).toEqual([
      ['TASK_DUE_SOON', idOf(accountant), null, null, null],
      ['TASK_OVERDUE', idOf(accountant), null, null, null],
    ]);
    expect(rows[0].params).toMatchObject({ documentTitle: 'Сверить акты с <b>Ромашкой</b>', dueAt: '2030-03-11T15:00:00.000Z', task: { taskId, priority: 'HIGH', dueAt: '2030-03-11T15:00:00.000Z' } });

    const mails = await mailsOf(taskId);
    expect(mails.map((mail) => [mail.to_address, mail.subject])).toEqual([
      ['accountant@kartoteka.local', 'Скоро срок задачи: Сверить акты с <b>Ромашкой</b>'],
      ['accountant@kartoteka.local', 'Задача просрочена: Сверить акты с <b>Ромашкой</b>'],
    ]);
    expect(mails[0].text).toContain(`/tasks/${taskId}`);
    expect(mails[0].text).toContain('Открыть задачу');
    expect(mails[0].html).not.toContain('<b>Ромашкой</b>');

    const before = await inbox(accountant);
    const mine = before.nodes.filter((node) => node.taskId === taskId);
    expect(mine.map((node) => [node.kind, node.documentId, node.document, node.readAt, node.handledAt])).toEqual([
      ['TASK_OVERDUE', null, null, null, null],
      ['TASK_DUE_SOON', null, null, null, null],
    ]);
    expect((await inbox(manager)).nodes.filter((node) => node.taskId === taskId)).toEqual([]);

    // the task is done: both count as handled and read, the bell goes down by two
    const completedAt = '2030-03-11T16:00:00.000Z';
    await bus.publish([event(TASK_COMPLETED, { taskId, status: 'DONE', completedAt, completedById: idOf(accountant) })]);
    expect(await worker.processBatch()).toBe(1);
    const after = await inbox(accountant);
    expect(after.unread).toBe(before.unread - 2);
    expect(after.nodes.filter((node) => node.taskId === taskId).map((node) => [node.readAt, node.handledAt])).toEqual([
      [completedAt, completedAt],
      [completedAt, completedAt],
    ]);
    await worker.stop();
  });

  it('parks a malformed reminder or completion and writes nothing', async () => {
    const taskId = randomUUID();
    const worker = consumer();
    const malformed = [
      event(TASK_OVERDUE, reminder(taskId, { dueAt: '2030-02-30T10:00:00Z' })),
      event(TASK_DUE_SOON, reminder(taskId, { assigneeId: 'nobody' })),
      event(TASK_DUE_SOON, reminder(taskId, { title: '   ' })),
      event(TASK_COMPLETED, { taskId, status: 'MAYBE', completedAt: '2030-03-11T16:00:00.000Z' }),
    ];
    for (const bad of malformed) expect(await worker.handle({ consumer: 'documents', attempt: 1, event: bad })).toMatchObject({ kind: 'park' });
    await worker.stop();
    expect(await notificationsOf(taskId)).toEqual([]);
  });
});
