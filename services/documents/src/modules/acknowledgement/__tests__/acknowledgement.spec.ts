import type { Identity } from '@kartoteka/kit';
import { startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings } from '../../../config';
import { documentsSubgraph } from '../../../subgraph';
import { AcknowledgementService } from '../acknowledgement.service';
import { accountant, COUNTERPARTY_ID, director, errorOf, fillStaffDirectory, idOf, lawyer, manager, ok, sales, storedFile, systemContext, viewer } from '../../approval/__tests__/approval.fixtures';

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }));
  await fillStaffDirectory(subgraph);
});
afterAll(() => subgraph?.close());

type Ack = { id: string; versionNumber: number; acknowledgedAt: string | null; user: { id: string } };
const ACKS = `query($id: ID!, $v: Int) { document(id: $id) { acknowledgements(versionNumber: $v) { id versionNumber acknowledgedAt user { id } } myPendingAcknowledgement { id } } }`;
const REQUEST = `mutation($input: RequestAcknowledgementInput!) { requestAcknowledgement(input: $input) { id } }`;
const ACKNOWLEDGE = `mutation($input: AcknowledgeDocumentInput!) { acknowledgeDocument(input: $input) { id acknowledgedAt versionNumber } }`;

async function order(): Promise<string> {
  const data = ok(
    await subgraph.request<{ createDocument: { id: string } }>(
      `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`,
      { input: { type: 'OTHER', counterpartyId: COUNTERPARTY_ID, title: 'Приказ о работе с контрагентом', fileIds: [await storedFile(subgraph, 'order.pdf')] } },
      manager,
    ),
  );
  return data.createDocument.id;
}

const acks = async (id: string, as: Identity = manager, versionNumber?: number) =>
  ok(await subgraph.request<{ document: { acknowledgements: Ack[]; myPendingAcknowledgement: { id: string } | null } }>(ACKS, { id, v: versionNumber ?? null }, as)).document;

async function myTasks(as: Identity): Promise<string[]> {
  const data = ok(await subgraph.request<{ myAcknowledgementTasks: { totalCount: number; edges: { node: { id: string } }[] } }>(`{ myAcknowledgementTasks(first: 50) { totalCount edges { node { id document { id } } } } }`, {}, as));
  return data.myAcknowledgementTasks.edges.map((edge) => edge.node.id);
}

describe('acknowledgement', () => {
  it('sends a version to users and a role; each confirms once; the author sees who has and has not read it', async () => {
    const id = await order();
    const deadline = new Date(Date.now() + 3 * 86_400_000).toISOString();
    ok(await subgraph.request(REQUEST, { input: { documentId: id, userIds: [idOf(sales), idOf(viewer)], roles: ['DIRECTOR'], deadline, comment: 'Ознакомиться до пятницы' } }, manager));
    const listed = await acks(id);
    expect(listed.acknowledgements.map((row) => row.user.id).sort()).toEqual([idOf(sales), idOf(viewer), idOf(director)].sort());
    expect(listed.acknowledgements.every((row) => row.acknowledgedAt === null && row.versionNumber === 1)).toBe(true);

    const mine = (await acks(id, viewer)).myPendingAcknowledgement;
    expect(mine).not.toBeNull();
    expect(await myTasks(viewer)).toContain(mine!.id);
    expect(errorOf(await subgraph.request(ACKNOWLEDGE, { input: { id: mine!.id } }, sales)).code).toBe('FORBIDDEN');
    const done = ok(await subgraph.request<{ acknowledgeDocument: { acknowledgedAt: string | null } }>(ACKNOWLEDGE, { input: { id: mine!.id } }, viewer)).acknowledgeDocument;
    expect(done.acknowledgedAt).not.toBeNull();
    expect(errorOf(await subgraph.request(ACKNOWLEDGE, { input: { id: mine!.id } }, viewer))).toMatchObject({ code: 'CONFLICT', reason: 'acknowledgement.already' });
    expect(await myTasks(viewer)).not.toContain(mine!.id);

    const status = (await acks(id)).acknowledgements;
    expect(status.filter((row) => row.acknowledgedAt !== null).map((row) => row.user.id)).toEqual([idOf(viewer)]);
    // Asking again does not duplicate.
    ok(await subgraph.request(REQUEST, { input: { documentId: id, userIds: [idOf(viewer)] } }, manager));
    expect((await acks(id)).acknowledgements).toHaveLength(3);

    const notified = await subgraph.orm.em.getConnection().execute<{ user_id: string }[]>(`select user_id from notifications where kind = 'ACKNOWLEDGEMENT_REQUESTED' and document_id = ?`, [id]);
    expect(notified.map((row) => row.user_id).sort()).toEqual([idOf(sales), idOf(viewer), idOf(director)].sort());
  });

  it('a new version can require re-acknowledgement from everyone asked before', async () => {
    const id = await order();
    ok(await subgraph.request(REQUEST, { input: { documentId: id, userIds: [idOf(lawyer), idOf(accountant)] } }, manager));
    const first = (await acks(id, lawyer)).myPendingAcknowledgement!;
    ok(await subgraph.request(ACKNOWLEDGE, { input: { id: first.id } }, lawyer));
    ok(
      await subgraph.request(`mutation($input: AddDocumentVersionInput!) { addDocumentVersion(input: $input) { number } }`, { input: { documentId: id, fileIds: [await storedFile(subgraph, 'order-v2.pdf')], requireReacknowledgement: true } }, manager),
    );
    const v2 = await acks(id);
    expect(v2.acknowledgements.map((row) => [row.user.id, row.versionNumber, row.acknowledgedAt]).sort()).toEqual([[idOf(accountant), 2, null], [idOf(lawyer), 2, null]].sort());
    expect((await acks(id, manager, 1)).acknowledgements.find((row) => row.user.id === idOf(lawyer))?.acknowledgedAt).not.toBeNull();
    // The unconfirmed version-1 request of the accountant is superseded by version 2.
    const tasks = await myTasks(accountant);
    expect(tasks).toHaveLength(1);
    expect((await acks(id, accountant)).myPendingAcknowledgement?.id).toBe(tasks[0]);
  });

  it('refuses unknown staff, past deadlines and documents without files', async () => {
    const id = await order();
    expect(errorOf(await subgraph.request(REQUEST, { input: { documentId: id, userIds: ['00000000-0000-4000-8000-0000000000ff'] } }, manager))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userIds.0' });
    expect(errorOf(await subgraph.request(REQUEST, { input: { documentId: id, userIds: [idOf(viewer)], deadline: '2020-01-01T00:00:00Z' } }, manager))).toMatchObject({ field: 'deadline' });
    expect(errorOf(await subgraph.request(REQUEST, { input: { documentId: id, roles: ['NOBODY'] } }, manager))).toMatchObject({ field: 'roles.0' });
    expect(errorOf(await subgraph.request(REQUEST, { input: { documentId: id, userIds: [idOf(viewer)] } }, viewer)).code).toBe('FORBIDDEN');
    expect((await acks(id)).acknowledgements).toHaveLength(0);
  });

  it('an acknowledgement past its deadline is reported once', async () => {
    const id = await order();
    ok(await subgraph.request(REQUEST, { input: { documentId: id, userIds: [idOf(sales)], deadline: new Date(Date.now() + 3_600_000).toISOString() } }, manager));
    await subgraph.orm.em.getConnection().execute(`update acknowledgements set deadline = now() - interval '1 minute' where document_id = ?`, [id]);
    const run = () => {
      const context = systemContext(subgraph);
      return context.em.transactional((em) => new AcknowledgementService(context).notifyOverdue(em, new Date()));
    };
    expect(await run()).toBeGreaterThanOrEqual(1);
    expect(await run()).toBe(0);
    const rows = await subgraph.orm.em.getConnection().execute<{ user_id: string }[]>(`select user_id from notifications where kind = 'DEADLINE_PASSED' and document_id = ?`, [id]);
    expect(rows.map((row) => row.user_id).sort()).toEqual([idOf(sales), idOf(manager)].sort());
  });
});
