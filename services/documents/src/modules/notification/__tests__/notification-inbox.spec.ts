import { randomUUID } from 'node:crypto';
import { apiKeyIdentity, type Identity } from '@kartoteka/kit';
import { collectPages, demoIdentity, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings } from '../../../config';
import { documentsSubgraph } from '../../../subgraph';
import { Document, DocumentType } from '../../document/document.entity';
import { notifyCommitted, notifyInput } from './notification.fixtures';

const VIEWER_ID = '00000000-0000-4000-8000-000000000006';
const MANAGER_ID = '00000000-0000-4000-8000-000000000002';
const viewer: Identity = demoIdentity('viewer@kartoteka.local');
const manager: Identity = demoIdentity('manager@kartoteka.local');
const partner: Identity = apiKeyIdentity(randomUUID(), 'ERP', ['documents:read', 'documents:write']);

let subgraph: TestSubgraph;
let documentId: string;

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }));
  const em = subgraph.orm.em.fork();
  const document = em.create(Document, { type: DocumentType.CONTRACT, counterpartyId: randomUUID(), title: 'Договор поставки № 15/25-П' });
  await em.flush();
  documentId = document.id;
  // Seven for the viewer (one about a real document), three for the manager.
  await notifyCommitted(subgraph.orm, notifyInput([VIEWER_ID, MANAGER_ID], { documentId, kind: 'APPROVAL_TASK', documentTitle: document.title, dueAt: new Date('2026-12-01T09:00:00Z'), comment: 'Срочно' }));
  for (let i = 0; i < 6; i += 1) await notifyCommitted(subgraph.orm, notifyInput([VIEWER_ID], { kind: 'DOCUMENT_SIGNED', documentTitle: `Счёт № ${i + 1}` }));
  for (let i = 0; i < 2; i += 1) await notifyCommitted(subgraph.orm, notifyInput([MANAGER_ID], { kind: 'DECISION_MADE' }));
});
afterAll(() => subgraph?.close());

const LIST = `query($unreadOnly: Boolean, $first: Int!, $after: String) {
  notifications(unreadOnly: $unreadOnly, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id kind createdAt readAt documentId documentTitle documentNumber actorName comment dueAt document { id title } } }
  }
}`;
const MARK = 'mutation($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) }';
const COUNT = '{ unreadNotificationCount }';
const PREFERENCES = '{ notificationPreferences { kind emailMuted } }';
const UPDATE_PREFERENCE = 'mutation($input: UpdateNotificationPreferenceInput!) { updateNotificationPreference(input: $input) { kind emailMuted } }';

type Node = { id: string; kind: string; readAt: string | null; documentId: string; documentTitle: string; dueAt: string | null; comment: string | null; document: { id: string; title: string } | null };
type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: Node }[] };

async function inbox(identity: Identity, first: number, unreadOnly = false): Promise<Node[]> {
  const { nodes } = await collectPages(async (after) => {
    const result = await subgraph.request<{ notifications: Page }>(LIST, { first, after, unreadOnly }, identity);
    expect(result.errors).toBeUndefined();
    return result.data!.notifications;
  });
  return nodes;
}

async function expectedOrder(userId: string): Promise<string[]> {
  const rows = await subgraph.orm.em.getConnection().execute<{ id: string }[]>('select id from notifications where user_id = ? order by created_at desc, id desc', [userId]);
  return rows.map((row) => row.id);
}

async function unreadCount(identity: Identity): Promise<number> {
  const result = await subgraph.request<{ unreadNotificationCount: number }>(COUNT, {}, identity);
  expect(result.errors).toBeUndefined();
  return result.data!.unreadNotificationCount;
}

describe('the inbox', () => {
  it('lists only the caller’s notifications, newest first, page by page', async () => {
    const expected = await expectedOrder(VIEWER_ID);
    expect(expected).toHaveLength(7);
    for (const first of [1, 3, 7, 20]) expect((await inbox(viewer, first)).map((node) => node.id)).toEqual(expected);
    expect((await inbox(manager, 20)).map((node) => node.id)).toEqual(await expectedOrder(MANAGER_ID));

    const task = (await inbox(viewer, 20)).find((node) => node.kind === 'APPROVAL_TASK')!;
    expect(task).toMatchObject({ documentId, documentTitle: 'Договор поставки № 15/25-П', dueAt: '2026-12-01T09:00:00.000Z', comment: 'Срочно', readAt: null, document: { id: documentId, title: 'Договор поставки № 15/25-П' } });
    const signed = (await inbox(viewer, 20)).find((node) => node.kind === 'DOCUMENT_SIGNED')!;
    expect(signed.document).toBeNull();

    const bad = await subgraph.request(LIST, { first: 5, after: 'garbage' }, viewer);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('counts unread, marks read only the caller’s own, and filters unread', async () => {
    expect(await unreadCount(viewer)).toBe(7);
    expect(await unreadCount(manager)).toBe(3);
    const viewerIds = await expectedOrder(VIEWER_ID);
    const managerIds = await expectedOrder(MANAGER_ID);

    // Someone else's ids are ignored, not touched.
    const marked = await subgraph.request<{ markNotificationsRead: number }>(MARK, { input: { ids: [viewerIds[0], viewerIds[1], managerIds[0], 'not-an-id'] } }, viewer);
    expect(marked.errors).toBeUndefined();
    expect(marked.data!.markNotificationsRead).toBe(2);
    expect(await unreadCount(manager)).toBe(3);
    expect(await unreadCount(viewer)).toBe(5);
    const again = await subgraph.request<{ markNotificationsRead: number }>(MARK, { input: { ids: [viewerIds[0]] } }, viewer);
    expect(again.data!.markNotificationsRead).toBe(0);

    const unread = await inbox(viewer, 2, true);
    expect(unread.map((node) => node.id)).toEqual(viewerIds.slice(2));
    const all = await inbox(viewer, 20);
    expect(all.filter((node) => node.readAt !== null).map((node) => node.id)).toEqual(viewerIds.slice(0, 2));

    const empty = await subgraph.request(MARK, { input: {} }, viewer);
    expect(empty.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });

    const everything = await subgraph.request<{ markNotificationsRead: number }>(MARK, { input: { all: true } }, viewer);
    expect(everything.data!.markNotificationsRead).toBe(5);
    expect(await unreadCount(viewer)).toBe(0);
    expect(await unreadCount(manager)).toBe(3);
    const managerRows = await subgraph.orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from notifications where user_id = ? and read_at is null', [MANAGER_ID]);
    expect(managerRows[0].n).toBe(3);
  });

  it('lists every kind with its e-mail choice and changes one', async () => {
    const before = await subgraph.request<{ notificationPreferences: { kind: string; emailMuted: boolean }[] }>(PREFERENCES, {}, manager);
    expect(before.data!.notificationPreferences).toEqual(
      ['APPROVAL_TASK', 'REWORK_NEEDED', 'ACKNOWLEDGEMENT_REQUESTED', 'DEADLINE_PASSED', 'DOCUMENT_SIGNED', 'DECISION_MADE', 'PAYMENT_OVERDUE', 'TASK_DUE_SOON', 'TASK_OVERDUE'].map((kind) => ({ kind, emailMuted: false })),
    );
    const muted = await subgraph.request<{ updateNotificationPreference: unknown }>(UPDATE_PREFERENCE, { input: { kind: 'DECISION_MADE', emailMuted: true } }, manager);
    expect(muted.data!.updateNotificationPreference).toEqual({ kind: 'DECISION_MADE', emailMuted: true });
    const after = await subgraph.request<{ notificationPreferences: { kind: string; emailMuted: boolean }[] }>(PREFERENCES, {}, manager);
    expect(after.data!.notificationPreferences.filter((p) => p.emailMuted).map((p) => p.kind)).toEqual(['DECISION_MADE']);
    // Only the caller's own preference changed.
    const viewers = await subgraph.request<{ notificationPreferences: { kind: string; emailMuted: boolean }[] }>(PREFERENCES, {}, viewer);
    expect(viewers.data!.notificationPreferences.every((p) => !p.emailMuted)).toBe(true);

    await subgraph.request(UPDATE_PREFERENCE, { input: { kind: 'DECISION_MADE', emailMuted: false } }, manager);
    const unmuted = await subgraph.request<{ notificationPreferences: { kind: string; emailMuted: boolean }[] }>(PREFERENCES, {}, manager);
    expect(unmuted.data!.notificationPreferences.every((p) => !p.emailMuted)).toBe(true);
  });

  it('is for staff only: an API key is FORBIDDEN, an anonymous caller UNAUTHENTICATED', async () => {
    const operations: [string, Record<string, unknown>][] = [
      [LIST, { first: 5 }],
      [COUNT, {}],
      [MARK, { input: { all: true } }],
      [PREFERENCES, {}],
      [UPDATE_PREFERENCE, { input: { kind: 'APPROVAL_TASK', emailMuted: true } }],
    ];
    for (const [query, variables] of operations) {
      const asPartner = await subgraph.request(query, variables, partner);
      expect(asPartner.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const anonymous = await subgraph.request(query, variables);
      expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(await unreadCount(manager)).toBe(3);
  });
});
