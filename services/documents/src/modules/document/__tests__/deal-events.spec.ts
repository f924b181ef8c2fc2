import { randomUUID } from 'node:crypto';
import { type BusEvent, createLogger, EventConsumer, PgEventBus } from '@kartoteka/kit';
import { createTestDatabase, startTestSubgraph, type TestDatabase, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings } from '../../../config';
import { documentsSubgraph } from '../../../subgraph';
import { COUNTERPARTY_ID, fillStaffFromDemo, idOf, manager, ok, storedFile } from './deal-events.fixtures';
import { documentEventHandlers } from '../document.consumer';

let subgraph: TestSubgraph;
let events: TestDatabase;
let bus: PgEventBus;
const logger = createLogger('documents-test', 'silent');
const consumer = () => new EventConsumer({ consumer: 'documents', orm: subgraph.orm, bus, logger, handlers: documentEventHandlers });

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }));
  await fillStaffFromDemo(subgraph);
  events = await createTestDatabase('events');
  bus = new PgEventBus({ url: events.url, logger });
  await bus.connect();
});
afterAll(async () => {
  await bus?.close();
  await subgraph?.close();
  await events?.drop();
});

const DEAL_ID = '0dea1000-0000-4000-8000-000000000001';
const event = (topic: string, payload: BusEvent['payload']): BusEvent => ({ id: randomUUID(), topic, producer: 'deals', payload, occurredAt: new Date() });
const outbox = (topic: string) =>
  subgraph.orm.em.getConnection().execute<{ payload: Record<string, unknown> }[]>('select payload from outbox_events where topic = ? order by created_at, id', [topic]);
const documentsOfAction = (actionId: string) => subgraph.orm.em.getConnection().execute<{ id: string; type: string; status: string; deal_id: string; author_id: string; title: string }[]>('select * from documents where source_action_id = ?', [actionId]);

describe('deal actions that create documents (events from the deals service)', () => {
  it('"prepare contract" creates exactly one draft of the deal, whether the event comes twice, again under another id, or after a restart', async () => {
    const actionId = randomUUID();
    const request = event('deals.document.requested', { dealId: DEAL_ID, actionId, counterpartyId: COUNTERPARTY_ID, documentType: 'CONTRACT', title: 'Договор по сделке «Склад-2»', requestedById: idOf(manager), amountMinor: 1_200_000_00, currency: 'RUB' });
    const worker = consumer();
    expect(await worker.processBatch()).toBe(0); // subscribes
    expect(await bus.publish([request])).toBe(1);
    expect(await bus.publish([request])).toBe(0);
    expect(await worker.processBatch()).toBe(1);
    // The same delivery handled twice at once (two instances), and the same request again under a new event id.
    const delivery = { consumer: 'documents', attempt: 1, event: request };
    expect(await Promise.all([worker.handle(delivery), worker.handle(delivery)])).toEqual([{ kind: 'ack' }, { kind: 'ack' }]);
    await bus.publish([{ ...request, id: randomUUID() }]);
    expect(await worker.processBatch()).toBe(1);
    await worker.stop();
    const restarted = consumer();
    expect(await restarted.processBatch()).toBe(0);
    await restarted.stop();

    const created = await documentsOfAction(actionId);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ type: 'CONTRACT', status: 'DRAFT', deal_id: DEAL_ID, author_id: idOf(manager), title: 'Договор по сделке «Склад-2»' });
    const announced = (await outbox('documents.document.created')).map((row) => row.payload).filter((payload) => payload.actionId === actionId);
    expect(announced.length).toBeGreaterThanOrEqual(1);
    expect(new Set(announced.map((payload) => payload.documentId))).toEqual(new Set([created[0].id]));

    const deal = ok(await subgraph.request<{ _entities: { documents: { id: string; type: string; status: string }[] }[] }>(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Deal { documents { id type status } } } }`, { r: [{ __typename: 'Deal', id: DEAL_ID }] }, manager));
    expect(deal._entities[0].documents).toEqual([{ id: created[0].id, type: 'CONTRACT', status: 'DRAFT' }]);
  });

  it('"request approval" starts the route once the draft has its file, and reports a refusal back to the deal', async () => {
    const actionId = randomUUID();
    const worker = consumer();
    await bus.publish([event('deals.document.requested', { dealId: DEAL_ID, actionId, counterpartyId: COUNTERPARTY_ID, documentType: 'COMMERCIAL_OFFER', title: 'КП по сделке', requestedById: idOf(manager), amountMinor: null, currency: null })]);
    await worker.processBatch();
    const [offer] = await documentsOfAction(actionId);
    expect(offer.type).toBe('COMMERCIAL_OFFER');

    const approvalAction = randomUUID();
    await bus.publish([event('deals.approval.requested', { dealId: DEAL_ID, actionId: approvalAction, documentId: offer.id, requestedById: idOf(manager) })]);
    await worker.processBatch();
    const refused = (await outbox('documents.document.status-changed')).map((row) => row.payload).find((payload) => payload.actionId === approvalAction);
    expect(refused).toMatchObject({ documentId: offer.id, status: 'DRAFT' });
    expect(String(refused?.error)).toMatch(/file/);

    ok(await subgraph.request(`mutation($input: AddDocumentVersionInput!) { addDocumentVersion(input: $input) { number } }`, { input: { documentId: offer.id, fileIds: [await storedFile(subgraph, 'kp.pdf')] } }, manager));
    await subgraph.orm.em.getConnection().execute(
      `insert into route_templates (id, created_at, updated_at, name, document_type, is_default, active, stage_specs, version) values (?, now(), now(), 'КП', 'COMMERCIAL_OFFER', true, true, ?, 1)`,
      [randomUUID(), JSON.stringify([{ name: 'Подписание', mode: 'SEQUENTIAL', rule: 'ALL', quorum: null, steps: [{ userId: null, role: 'DIRECTOR', deadlineHours: 8 }] }])],
    );
    await bus.publish([event('deals.approval.requested', { dealId: DEAL_ID, actionId: approvalAction, documentId: offer.id, requestedById: idOf(manager) })]);
    await worker.processBatch();
    await worker.stop();
    const [started] = await documentsOfAction(actionId);
    expect(started.status).toBe('ON_APPROVAL');
    const statuses = (await outbox('documents.document.status-changed')).map((row) => row.payload).filter((payload) => payload.documentId === offer.id);
    expect(statuses[statuses.length - 1]).toMatchObject({ status: 'ON_APPROVAL', dealId: DEAL_ID, error: null });
  });

  it('parks a malformed request instead of retrying it', async () => {
    const worker = consumer();
    const bad = event('deals.document.requested', { dealId: 'nope', actionId: randomUUID() });
    await bus.publish([bad]);
    await worker.processBatch();
    await worker.stop();
    expect((await bus.parked('documents')).map((parked) => parked.event.id)).toContain(bad.id);
    // An operator requeues it (`pnpm events requeue <id>`): it is delivered again (and, still malformed, parked again).
    expect(await bus.requeueParked('documents', [bad.id])).toBe(1);
    expect((await bus.parked('documents')).map((parked) => parked.event.id)).not.toContain(bad.id);
    const again = consumer();
    expect(await again.processBatch()).toBe(1);
    await again.stop();
    expect((await bus.parked('documents')).find((parked) => parked.event.id === bad.id)?.attempts).toBe(1);
  });
});
