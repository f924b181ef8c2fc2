import { randomUUID } from 'node:crypto';
import { apiKeyIdentity, createLogger, EventConsumer, PgEventBus, PARKED_PAYLOAD_MAX_CHARS, type BusEvent } from '@kartoteka/kit';
import { createTestDatabase, demoIdentity, startTestSubgraph, type TestDatabase, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings } from '../config';
import { documentsEventHandlers, documentsSubgraph } from '../subgraph';

/** kit's parked-events API as a subgraph registers it: documents' own root fields over its consumer on the bus. */
let subgraph: TestSubgraph;
let events: TestDatabase;
let bus: PgEventBus;
const logger = createLogger('documents-test', 'silent');
const admin = demoIdentity('admin@kartoteka.local');
const manager = demoIdentity('manager@kartoteka.local');
const PROBE = 'probe.thing.happened';

beforeAll(async () => {
  events = await createTestDatabase('events');
  subgraph = await startTestSubgraph(documentsSubgraph({ ...defaultDocumentsSettings(), eventBusUrl: events.url }, { workers: false }));
  bus = new PgEventBus({ url: events.url, logger });
  await bus.connect();
  // A topic documents has no handler for: the consumer parks its events at once.
  await bus.ensureSubscription('documents', [PROBE]);
});
afterAll(async () => {
  await bus?.close();
  await subgraph?.close();
  await events?.drop();
});

const probe = (payload: BusEvent['payload']): BusEvent => ({ id: randomUUID(), topic: PROBE, producer: 'probe', payload, occurredAt: new Date() });
/** Runs the documents consumer once over what is ready, as the service's worker would. */
async function consume(): Promise<number> {
  const worker = new EventConsumer({ consumer: 'documents', orm: subgraph.orm, bus, logger, handlers: documentsEventHandlers() });
  try {
    return await worker.processBatch();
  } finally {
    await worker.stop();
  }
}

const LIST = `query($first: Int!, $after: String) { documentsParkedEvents(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id consumer topic producer attempts lastError parkedAt occurredAt payload payloadTruncated } } } }`;
type Node = { id: string; consumer: string; topic: string; producer: string; attempts: number; lastError: string | null; payload: string; payloadTruncated: boolean };
type List = { documentsParkedEvents: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: Node }[] } };
const REQUEUE = 'mutation($input: RequeueParkedEventsInput!) { documentsRequeueParkedEvents(input: $input) { requeued } }';

describe('documentsParkedEvents / documentsRequeueParkedEvents', () => {
  const first = probe({ label: 'first', password: 'hunter2', nested: { token: 't' } });
  const second = probe({ label: 'second', blob: 'x'.repeat(PARKED_PAYLOAD_MAX_CHARS + 100) });
  const third = probe({ label: 'third' });

  beforeAll(async () => {
    await bus.publish([first, second, third]);
    await consume();
  });

  it('lists the parked deliveries page by page, secrets redacted and large payloads cut', async () => {
    const page1 = await subgraph.request<List>(LIST, { first: 2 }, admin);
    expect(page1.errors).toBeUndefined();
    const list = page1.data!.documentsParkedEvents;
    expect(list.totalCount).toBe(3);
    expect(list.pageInfo.hasNextPage).toBe(true);
    expect(list.edges).toHaveLength(2);
    const page2 = await subgraph.request<List>(LIST, { first: 2, after: list.pageInfo.endCursor }, admin);
    const nodes = [...list.edges, ...page2.data!.documentsParkedEvents.edges].map((edge) => edge.node);
    expect(page2.data!.documentsParkedEvents.pageInfo.hasNextPage).toBe(false);
    expect(new Set(nodes.map((node) => node.id))).toEqual(new Set([first.id, second.id, third.id]));
    const firstNode = nodes.find((node) => node.id === first.id)!;
    expect(firstNode).toMatchObject({ consumer: 'documents', topic: PROBE, producer: 'probe', attempts: 1, lastError: `No handler for topic ${PROBE}`, payloadTruncated: false });
    expect(JSON.parse(firstNode.payload)).toEqual({ label: 'first', password: '[redacted]', nested: { token: '[redacted]' } });
    const secondNode = nodes.find((node) => node.id === second.id)!;
    expect(secondNode.payloadTruncated).toBe(true);
    expect(secondNode.payload.length).toBeLessThanOrEqual(PARKED_PAYLOAD_MAX_CHARS + 1);
  });

  it('is for administrators only: other staff are refused, API keys too', async () => {
    const byManager = await subgraph.request(LIST, { first: 5 }, manager);
    expect(byManager.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const byKey = await subgraph.request(REQUEUE, { input: {} }, apiKeyIdentity(randomUUID(), 'partner', ['documents:read', 'documents:write']));
    expect(byKey.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await bus.parked('documents')).length).toBe(3);
  });

  it('refuses malformed ids with a typed error on the field', async () => {
    const bad = await subgraph.request(REQUEUE, { input: { ids: ['not-an-id'] } }, admin);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });
    const badCursor = await subgraph.request(LIST, { first: 5, after: 'bogus' }, admin);
    expect(badCursor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('requeues the selected events, then all of them; requeued deliveries run again', async () => {
    const one = await subgraph.request<{ documentsRequeueParkedEvents: { requeued: number } }>(REQUEUE, { input: { ids: [first.id.toUpperCase()] } }, admin);
    expect(one.errors).toBeUndefined();
    expect(one.data!.documentsRequeueParkedEvents.requeued).toBe(1);
    expect((await bus.parked('documents')).map((row) => row.event.id).sort()).toEqual([second.id, third.id].sort());
    const rest = await subgraph.request<{ documentsRequeueParkedEvents: { requeued: number } }>(REQUEUE, { input: {} }, admin);
    expect(rest.data!.documentsRequeueParkedEvents.requeued).toBe(2);
    const listed = await subgraph.request<List>(LIST, { first: 5 }, admin);
    expect(listed.data!.documentsParkedEvents.totalCount).toBe(0);
    // Still no handler: the consumer takes them again and parks them again.
    expect(await consume()).toBe(3);
    expect((await bus.parked('documents')).length).toBe(3);
  });
});
