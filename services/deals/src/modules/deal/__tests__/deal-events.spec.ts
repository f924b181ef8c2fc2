import { randomUUID } from 'node:crypto';
import { type BusEvent, createLogger, DEAL_CREATED, EventConsumer, type EventPayload, type Identity, PgEventBus } from '@kartoteka/kit';
import { createTestDatabase, demoIdentity, startTestSubgraph, type TestDatabase, type TestSubgraph, seedCounterpartyRefs, seedDemoUserRefs } from '@kartoteka/kit/testing';
import { defaultDealsSettings } from '../../../config';
import { dealsSubgraph } from '../../../subgraph';
import { dealEventHandlers } from '../deal.consumer';
import { DEAL_APPROVAL_REQUESTED, DEAL_DOCUMENT_REQUESTED, DOCUMENT_CREATED, DOCUMENT_STATUS_CHANGED } from '../deal.events';
import { scaled } from '../../../../../kit/jest.timing';

/** A counterparty id the deals service knows (in its read model, as counterparties' events would put it). */
let current: TestSubgraph;
async function knownCounterparty(): Promise<string> {
  const id = randomUUID();
  await seedCounterpartyRefs(current.orm.em, [id]);
  return id;
}

const MANAGER_ID = '00000000-0000-4000-8000-000000000002';
const manager: Identity = demoIdentity('manager@kartoteka.local');
const viewer: Identity = demoIdentity('viewer@kartoteka.local');
const logger = createLogger('deal-events-spec', 'silent');

const CREATE = 'mutation($input: CreateDealInput!) { createDeal(input: $input) { id actions { id key kind status } } }';
const COMPLETE = 'mutation($input: CompleteDealActionInput!) { completeDealAction(input: $input) { id key status documentId } }';
const DEAL = 'query($id: ID!) { deal(id: $id) { id actions { id key kind status documentId doneAt } history(first: 20) { edges { node { kind actorKind actionTitle documentId comment } } } } }';

type Action = { id: string; key: string; kind: string; status: string; documentId: string | null; doneAt?: string | null };
type DealRead = { id: string; actions: Action[]; history: { edges: { node: { kind: string; actorKind: string; actionTitle: string | null; documentId: string | null; comment: string | null } }[] } };
type Outbox = { id: string; topic: string; payload: EventPayload };

function busEvent(topic: string, payload: EventPayload, id = randomUUID()): BusEvent {
  return { id, topic, producer: 'documents', payload, occurredAt: new Date() };
}

async function eventually<T>(probe: () => Promise<T | null>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + scaled(timeoutMs);
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('deal actions that create documents (handled in process)', () => {
  let subgraph: TestSubgraph;
  let consumer: EventConsumer;

  beforeAll(async () => {
    subgraph = await startTestSubgraph(dealsSubgraph());
    await seedDemoUserRefs(subgraph.orm.em);
    current = subgraph;
    // The consumer's handling, without a bus: `handle` is what a delivery runs (inbox + handler in one transaction).
    consumer = new EventConsumer({ consumer: 'deals', orm: subgraph.orm, bus: new PgEventBus({ url: 'postgres://unused', logger }), logger, handlers: dealEventHandlers });
  });
  afterAll(() => subgraph?.close());

  const deliver = (event: BusEvent, attempt = 1) => consumer.handle({ consumer: 'deals', attempt, event });
  const outbox = () => subgraph.orm.em.getConnection().execute<Outbox[]>('select id, topic, payload from outbox_events order by created_at, id');
  const read = async (id: string) => (await subgraph.request<{ deal: DealRead }>(DEAL, { id }, viewer)).data!.deal;

  async function negotiationDeal(): Promise<{ id: string; counterpartyId: string; contract: Action; approval: Action }> {
    const counterpartyId = await knownCounterparty();
    const created = await subgraph.request<{ createDeal: { id: string; actions: Action[] } }>(CREATE, { input: { title: 'Поставка серверов', counterpartyId, stage: 'negotiation', amountMinor: 5_000_000_00 } }, manager);
    if (!created.data) throw new Error(JSON.stringify(created.errors));
    const { id, actions } = created.data.createDeal;
    return { id, counterpartyId, contract: actions.find((action) => action.kind === 'PREPARE_CONTRACT')!, approval: actions.find((action) => action.kind === 'REQUEST_APPROVAL')! };
  }

  it('publishes exactly one document request with the change, and applies a redelivered answer once', async () => {
    const start = (await outbox()).length;
    const deal = await negotiationDeal();
    // creating the deal publishes its lifecycle event (for the counterparty timeline), nothing else
    const creation = (await outbox()).slice(start);
    expect(creation.map((event) => event.topic)).toEqual([DEAL_CREATED]);
    expect(creation[0].payload).toMatchObject({ dealId: deal.id, counterpartyId: deal.counterpartyId, stageKey: 'negotiation', stageName: 'Переговоры', status: 'OPEN', actorId: MANAGER_ID });
    const before = (await outbox()).length;

    const noContract = await subgraph.request(COMPLETE, { input: { id: deal.approval.id } }, manager);
    expect(noContract.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });

    const requested = await subgraph.request<{ completeDealAction: Action }>(COMPLETE, { input: { id: deal.contract.id, comment: 'Типовой договор' } }, manager);
    expect(requested.data?.completeDealAction).toMatchObject({ status: 'REQUESTED', documentId: null });
    const again = await subgraph.request(COMPLETE, { input: { id: deal.contract.id } }, manager);
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });

    const events = (await outbox()).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      topic: DEAL_DOCUMENT_REQUESTED,
      payload: {
        dealId: deal.id,
        actionId: deal.contract.id,
        counterpartyId: deal.counterpartyId,
        documentType: 'CONTRACT',
        title: 'Договор — Поставка серверов',
        requestedById: MANAGER_ID,
        amountMinor: 5_000_000_00,
        currency: 'RUB',
      },
    });

    const documentId = randomUUID();
    const created = busEvent(DOCUMENT_CREATED, { documentId, dealId: deal.id, actionId: deal.contract.id, documentType: 'CONTRACT', status: 'DRAFT' });
    expect(await deliver(created)).toEqual({ kind: 'ack' });
    expect(await deliver(created, 2)).toEqual({ kind: 'ack' }); // redelivered: the inbox skips it
    // The same news again under another event id (documents answering a repeated request): no change either.
    expect(await deliver(busEvent(DOCUMENT_CREATED, { ...created.payload }))).toEqual({ kind: 'ack' });

    const after = await read(deal.id);
    expect(after.actions.find((action) => action.id === deal.contract.id)).toMatchObject({ status: 'DONE', documentId });
    const kinds = after.history.edges.map((edge) => edge.node);
    expect(kinds.filter((change) => change.kind === 'DOCUMENT_CREATED')).toEqual([{ kind: 'DOCUMENT_CREATED', actorKind: 'system', actionTitle: 'Подготовить договор', documentId, comment: null }]);
    expect(kinds.filter((change) => change.kind === 'ACTION_REQUESTED')).toEqual([expect.objectContaining({ actorKind: 'user', comment: 'Типовой договор' })]);
    const inbox = await subgraph.orm.em.getConnection().execute<{ n: number }[]>("select count(*)::int as n from inbox_events where consumer = 'deals' and event_id = ?", [created.id]);
    expect(inbox[0].n).toBe(1);
  });

  it('asks to approve the newest contract and follows its status to done, or to failed and back', async () => {
    const deal = await negotiationDeal();
    await subgraph.request(COMPLETE, { input: { id: deal.contract.id } }, manager);
    const contractId = randomUUID();
    await deliver(busEvent(DOCUMENT_CREATED, { documentId: contractId, dealId: deal.id, actionId: deal.contract.id, documentType: 'CONTRACT', status: 'DRAFT' }));

    const before = (await outbox()).length;
    const approval = await subgraph.request<{ completeDealAction: Action }>(COMPLETE, { input: { id: deal.approval.id } }, manager);
    expect(approval.data?.completeDealAction).toMatchObject({ status: 'REQUESTED', documentId: contractId });
    const [event] = (await outbox()).slice(before);
    expect(event).toMatchObject({ topic: DEAL_APPROVAL_REQUESTED, payload: { dealId: deal.id, actionId: deal.approval.id, documentId: contractId, requestedById: MANAGER_ID } });

    const status = (value: string, extra: EventPayload = {}) => deliver(busEvent(DOCUMENT_STATUS_CHANGED, { documentId: contractId, dealId: deal.id, actionId: deal.contract.id, documentType: 'CONTRACT', status: value, error: null, ...extra }));
    const approvalStatus = async () => (await read(deal.id)).actions.find((action) => action.id === deal.approval.id)?.status;

    // Refused by the documents service (e.g. no file yet): failed, and it may be run again.
    await deliver(busEvent(DOCUMENT_STATUS_CHANGED, { documentId: contractId, dealId: deal.id, actionId: deal.approval.id, documentType: 'CONTRACT', status: 'DRAFT', error: 'Attach a file first' }));
    expect(await approvalStatus()).toBe('FAILED');
    const failedChange = (await read(deal.id)).history.edges[0].node;
    expect(failedChange).toMatchObject({ kind: 'ACTION_FAILED', actorKind: 'system', comment: 'Attach a file first' });
    expect((await subgraph.request<{ completeDealAction: Action }>(COMPLETE, { input: { id: deal.approval.id } }, manager)).data?.completeDealAction.status).toBe('REQUESTED');

    await status('ON_APPROVAL');
    expect(await approvalStatus()).toBe('REQUESTED');
    await status('REJECTED');
    expect(await approvalStatus()).toBe('FAILED');
    expect((await subgraph.request<{ completeDealAction: Action }>(COMPLETE, { input: { id: deal.approval.id } }, manager)).data?.completeDealAction.status).toBe('REQUESTED');
    await status('APPROVED');
    expect(await approvalStatus()).toBe('REQUESTED');
    await status('SIGNED');
    expect(await approvalStatus()).toBe('DONE');
    await status('IN_FORCE');
    const done = await read(deal.id);
    expect(done.actions.find((action) => action.id === deal.approval.id)).toMatchObject({ status: 'DONE', documentId: contractId });
    expect(done.history.edges.filter((edge) => edge.node.kind === 'ACTION_DONE')).toHaveLength(1);
  });

  it('parks malformed answers and answers about unknown actions', async () => {
    expect((await deliver(busEvent(DOCUMENT_CREATED, { documentId: 'x', dealId: randomUUID(), status: 'DRAFT' }))).kind).toBe('park');
    expect((await deliver(busEvent(DOCUMENT_CREATED, { documentId: randomUUID(), dealId: randomUUID(), actionId: randomUUID(), status: 'DRAFT' }))).kind).toBe('park');
  });
});

describe('deal actions that create documents, through the event bus', () => {
  let events: TestDatabase;
  let bus: PgEventBus;
  let subgraph: TestSubgraph;

  beforeAll(async () => {
    events = await createTestDatabase('events');
    bus = new PgEventBus({ url: events.url, logger });
    await bus.connect();
    // Stands in for the documents service: subscribed before deals publishes.
    await bus.ensureSubscription('documents-probe', [DEAL_DOCUMENT_REQUESTED]);
    subgraph = await startTestSubgraph(dealsSubgraph(defaultDealsSettings({ eventBusUrl: events.url })));
    await seedDemoUserRefs(subgraph.orm.em);
    current = subgraph;
  });
  afterAll(async () => {
    await subgraph?.close();
    await bus?.close();
    await events?.drop();
  });

  it('relays the request to the bus and takes the documents service\'s answer from it', async () => {
    expect(subgraph.workers.map((worker) => worker.name)).toEqual(expect.arrayContaining(['event-consumer:deals', 'outbox-relay:deals']));
    const created = await subgraph.request<{ createDeal: { id: string; actions: Action[] } }>(CREATE, { input: { title: 'Коммутаторы', counterpartyId: await knownCounterparty(), stage: 'proposal' } }, manager);
    const deal = created.data!.createDeal;
    const offer = deal.actions.find((action) => action.kind === 'SEND_OFFER')!;
    await subgraph.request(COMPLETE, { input: { id: offer.id } }, manager);

    const requests: BusEvent[] = [];
    await eventually(async () => {
      await bus.process('documents-probe', 10, async (delivery) => {
        requests.push(delivery.event);
        return { kind: 'ack' };
      });
      return requests.length ? true : null;
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ topic: DEAL_DOCUMENT_REQUESTED, producer: 'deals', payload: { dealId: deal.id, actionId: offer.id, documentType: 'COMMERCIAL_OFFER', title: 'Коммерческое предложение — Коммутаторы' } });

    const documentId = randomUUID();
    const answer = busEvent(DOCUMENT_CREATED, { documentId, dealId: deal.id, actionId: offer.id, documentType: 'COMMERCIAL_OFFER', status: 'DRAFT' });
    await bus.publish([answer, answer]);
    const action = await eventually(async () => {
      const read = await subgraph.request<{ deal: DealRead }>(DEAL, { id: deal.id }, viewer);
      const found = read.data?.deal.actions.find((candidate) => candidate.id === offer.id);
      return found?.status === 'DONE' ? found : null;
    });
    expect(action.documentId).toBe(documentId);
    expect(await bus.parked('deals')).toEqual([]);
  });
});
