import { randomUUID } from 'node:crypto';
import { type BusEvent, createLogger, EventConsumer, type Identity, OBLIGATION_OVERDUE, PgEventBus } from '@kartoteka/kit';
import { createTestDatabase, startTestSubgraph, type TestDatabase, type TestSubgraph } from '@kartoteka/kit/testing';
import { accountant, COUNTERPARTY_ID, fillStaffDirectory, idOf, manager, ok } from '../../approval/__tests__/approval.fixtures';
import { defaultDocumentsSettings } from '../../../config';
import { documentsEventHandlers, documentsSubgraph } from '../../../subgraph';
import { NotificationService } from '../notification.service';

let subgraph: TestSubgraph;
let events: TestDatabase;
let bus: PgEventBus;
const logger = createLogger('documents-test', 'silent');
// The handlers as the service registers them: proves the topic is wired into the documents consumer.
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

async function invoice(responsibleId?: string): Promise<{ id: string; number: string }> {
  const data = ok(
    await subgraph.request<{ createDocument: { id: string } }>(
      `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`,
      { input: { type: 'INVOICE', counterpartyId: COUNTERPARTY_ID, title: 'Счёт за поставку', amountMinor: 12_000_00, invoice: { dueDate: '2026-11-30' }, ...(responsibleId ? { responsibleId } : {}) } },
      manager,
    ),
  );
  const registered = ok(await subgraph.request<{ registerDocument: { number: string } }>(`mutation($input: RegisterDocumentInput!) { registerDocument(input: $input) { number } }`, { input: { id: data.createDocument.id } }, manager));
  return { id: data.createDocument.id, number: registered.registerDocument.number };
}

const overdueEvent = (payload: Record<string, unknown>): BusEvent => ({ id: randomUUID(), topic: OBLIGATION_OVERDUE, producer: 'finance', payload: payload as BusEvent['payload'], occurredAt: new Date() });
const payloadFor = (documentId: string, extra: Record<string, unknown> = {}) => ({
  obligationKey: `invoice:${documentId}`,
  counterpartyId: COUNTERPARTY_ID,
  counterpartyName: 'ООО «Ромашка»',
  contractId: null,
  documentId,
  documentNumber: null,
  responsibleId: idOf(accountant),
  direction: 'RECEIVABLE',
  amountMinor: 7_500_00,
  currency: 'RUB',
  dueDate: '2026-11-30',
  daysOverdue: 6,
  ...extra,
});

type Row = { user_id: string; kind: string; document_id: string; params: Record<string, unknown> };
const notificationsOf = (documentId: string) =>
  subgraph.orm.em.getConnection().execute<Row[]>(`select user_id, kind, document_id, params from notifications where document_id = ? and kind = 'PAYMENT_OVERDUE' order by created_at, id`, [documentId]);
const mailsOf = (documentId: string) =>
  subgraph.orm.em.getConnection().execute<{ to_address: string; subject: string; text: string }[]>(
    `select m.to_address, m.subject, m.text from mail_outbox m join notifications n on n.id = m.notification_id where n.document_id = ? and n.kind = 'PAYMENT_OVERDUE'`,
    [documentId],
  );

const INBOX = `{ notifications(first: 50) { edges { node { kind documentId documentTitle documentNumber actorName counterpartyName overdueAmount { minor currency } daysOverdue paymentDueDate paymentDirection } } } }`;
type InboxNode = { kind: string; documentId: string; documentTitle: string; documentNumber: string | null; actorName: string | null; counterpartyName: string | null; overdueAmount: { minor: number; currency: string } | null; daysOverdue: number | null; paymentDueDate: string | null; paymentDirection: string | null };
async function inbox(identity: Identity): Promise<InboxNode[]> {
  return ok(await subgraph.request<{ notifications: { edges: { node: InboxNode }[] } }>(INBOX, {}, identity)).notifications.edges.map((edge) => edge.node);
}

describe('finance.obligation.overdue → a PAYMENT_OVERDUE notification', () => {
  it('notifies the responsible person once (in-app + e-mail), however often the event comes', async () => {
    const document = await invoice();
    const event = overdueEvent(payloadFor(document.id));
    const worker = consumer();
    expect(await worker.processBatch()).toBe(0); // subscribes
    expect(await bus.publish([event])).toBe(1);
    expect(await worker.processBatch()).toBe(1);
    // redelivered (twice at once: two instances), and the same obligation again under another event id
    const delivery = { consumer: 'documents', attempt: 2, event };
    expect(await Promise.all([worker.handle(delivery), worker.handle(delivery)])).toEqual([{ kind: 'ack' }, { kind: 'ack' }]);
    await bus.publish([{ ...event, id: randomUUID() }]);
    expect(await worker.processBatch()).toBe(1);
    await worker.stop();

    const rows = await notificationsOf(document.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ user_id: idOf(accountant), kind: 'PAYMENT_OVERDUE', document_id: document.id });
    expect(rows[0].params).toMatchObject({ documentTitle: 'Счёт за поставку', documentNumber: document.number, actorName: 'ООО «Ромашка»', payment: { obligationKey: `invoice:${document.id}`, amountMinor: 7_500_00, currency: 'RUB', daysOverdue: 6, dueDate: '2026-11-30', direction: 'RECEIVABLE' } });

    const mails = await mailsOf(document.id);
    expect(mails).toHaveLength(1);
    expect(mails[0].to_address).toBe('accountant@kartoteka.local');
    expect(mails[0].subject).toBe('Просрочена оплата: Счёт за поставку');
    expect(mails[0].text).toContain(`№ ${document.number}`);
    expect(mails[0].text).toContain('ООО «Ромашка»');
    expect(mails[0].text).toMatch(/Сумма просрочки: 7\s500,00\s₽/);
    expect(mails[0].text).toContain('Дней просрочки: 6');
    expect(mails[0].text).toContain(`/documents/${document.id}`);

    const mine = (await inbox(accountant)).filter((node) => node.documentId === document.id);
    expect(mine).toEqual([
      {
        kind: 'PAYMENT_OVERDUE',
        documentId: document.id,
        documentTitle: 'Счёт за поставку',
        documentNumber: document.number,
        actorName: 'ООО «Ромашка»',
        counterpartyName: 'ООО «Ромашка»',
        overdueAmount: { minor: 7_500_00, currency: 'RUB' },
        daysOverdue: 6,
        paymentDueDate: '2026-11-30',
        paymentDirection: 'RECEIVABLE',
      },
    ]);
    expect((await inbox(manager)).filter((node) => node.documentId === document.id)).toEqual([]);
  });

  it('without a responsible person from finance: the document\'s responsible, else its author; e-mail as the preferences say', async () => {
    const document = await invoice(idOf(accountant)); // the manager is the author
    await new NotificationService(subgraph.orm.em.fork()).updatePreference(manager, { kind: 'PAYMENT_OVERDUE', emailMuted: true });
    const worker = consumer();
    await worker.processBatch();
    await bus.publish([overdueEvent(payloadFor(document.id, { responsibleId: null }))]);
    await worker.processBatch();
    expect((await notificationsOf(document.id)).map((row) => row.user_id)).toEqual([idOf(accountant)]);

    // another obligation of the same document falls overdue: news again; nobody responsible any more → the author
    await subgraph.orm.em.getConnection().execute('update documents set responsible_id = null where id = ?', [document.id]);
    await bus.publish([overdueEvent(payloadFor(document.id, { responsibleId: null, obligationKey: `schedule:${randomUUID()}`, dueDate: '2026-12-01', daysOverdue: 5 }))]);
    await worker.processBatch();
    await worker.stop();
    const rows = await notificationsOf(document.id);
    expect(rows.map((row) => [row.user_id, (row.params.payment as { daysOverdue: number }).daysOverdue])).toEqual([
      [idOf(accountant), 6],
      [idOf(manager), 5],
    ]);
    // the manager muted e-mail of this kind: in-app only
    expect((await mailsOf(document.id)).map((mail) => mail.to_address)).toEqual(['accountant@kartoteka.local']);
  });

  it('parks a malformed event or one about a document it does not know, and writes nothing', async () => {
    const document = await invoice();
    const worker = consumer();
    const malformed = await worker.handle({ consumer: 'documents', attempt: 1, event: overdueEvent(payloadFor(document.id, { amountMinor: -5 })) });
    expect(malformed).toMatchObject({ kind: 'park', error: expect.stringMatching(/amountMinor/) });
    const badDate = await worker.handle({ consumer: 'documents', attempt: 1, event: overdueEvent(payloadFor(document.id, { dueDate: '2026-02-30' })) });
    expect(badDate).toMatchObject({ kind: 'park', error: expect.stringMatching(/dueDate/) });
    const unknown = randomUUID();
    const missing = await worker.handle({ consumer: 'documents', attempt: 1, event: overdueEvent(payloadFor(unknown)) });
    expect(missing).toMatchObject({ kind: 'park', error: expect.stringMatching(/does not exist/) });
    await worker.stop();
    expect(await notificationsOf(document.id)).toEqual([]);
    expect(await notificationsOf(unknown)).toEqual([]);
  });
});
