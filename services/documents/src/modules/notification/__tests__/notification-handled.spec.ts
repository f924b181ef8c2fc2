import type { Identity } from '@kartoteka/kit';
import { startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings } from '../../../config';
import { documentsSubgraph } from '../../../subgraph';
import { accountant, admin, COUNTERPARTY_ID, director, fillStaffDirectory, idOf, lawyer, manager, ok, storedFile } from '../../approval/__tests__/approval.fixtures';
import { liveChannelOf, type LiveEvent } from '../notification.events';
import { silentLogger } from './notification.fixtures';

/**
 * Approval and acknowledgement requests count as handled (and read) once the work behind them is done: the step
 * decided by its approver or closed by the route (ANY/QUORUM, rejection, recall, stop, delegation), the version
 * acknowledged — in the transaction of that change. The bell's count drops with it, and every tab hears it live.
 */
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }));
  await fillStaffDirectory(subgraph);
});
afterAll(() => subgraph?.close());

type StageSpec = { name: string; mode: 'SEQUENTIAL' | 'PARALLEL'; rule: 'ALL' | 'ANY' | 'QUORUM'; steps: ({ role: string } | { approverId: string })[] };
const SIGN_OFF: StageSpec = { name: 'Подписание', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ approverId: idOf(director) }] };

async function template(stages: StageSpec[]): Promise<string> {
  const data = ok(
    await subgraph.request<{ createRouteTemplate: { id: string } }>(
      `mutation($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id } }`,
      { input: { name: `Маршрут ${Math.random()}`, documentType: 'CONTRACT', stages: stages.map((stage) => ({ ...stage, steps: stage.steps.map((step) => ({ ...step, deadlineHours: 24 })) })) } },
      admin,
    ),
  );
  return data.createRouteTemplate.id;
}

/** A contract on approval along a fresh route of these stages. */
async function onApproval(stages: StageSpec[]): Promise<string> {
  const routeTemplateId = await template(stages);
  const fileId = await storedFile(subgraph);
  const created = ok(
    await subgraph.request<{ createDocument: { id: string } }>(
      `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`,
      { input: { type: 'CONTRACT', counterpartyId: COUNTERPARTY_ID, title: 'Договор оказания услуг', contract: { subject: 'Услуги', startDate: '2030-01-01' }, fileIds: [fileId] } },
      manager,
    ),
  ).createDocument.id;
  ok(await subgraph.request(`mutation($input: StartApprovalInput!) { startApproval(input: $input) { id } }`, { input: { documentId: created, routeTemplateId } }, manager));
  return created;
}

type Row = { kind: string; documentId: string | null; readAt: string | null; handledAt: string | null };

/** The identity's notifications of one kind about one document, and its unread count. */
async function inbox(identity: Identity, documentId: string, kind: string): Promise<{ rows: Row[]; unread: number }> {
  const data = ok(
    await subgraph.request<{ notifications: { edges: { node: Row }[] }; unreadNotificationCount: number }>(
      `{ notifications(first: 100) { edges { node { kind documentId readAt handledAt } } } unreadNotificationCount }`,
      {},
      identity,
    ),
  );
  return { rows: data.notifications.edges.map((edge) => edge.node).filter((row) => row.documentId === documentId && row.kind === kind), unread: data.unreadNotificationCount };
}

async function myStep(documentId: string, identity: Identity): Promise<string> {
  const data = ok(await subgraph.request<{ document: { myPendingSteps: { id: string }[] } }>(`query($id: ID!) { document(id: $id) { myPendingSteps { id } } }`, { id: documentId }, identity));
  const step = data.document.myPendingSteps[0];
  if (!step) throw new Error('no pending step');
  return step.id;
}

const approve = async (documentId: string, identity: Identity, comment?: string) =>
  ok(await subgraph.request(`mutation($input: ApproveStepInput!) { approveStep(input: $input) { id } }`, { input: { stepId: await myStep(documentId, identity), comment } }, identity));

const handled = (row: Row | undefined) => Boolean(row?.handledAt && row.readAt);

describe('handled approval and acknowledgement requests', () => {
  it('the approver’s request is handled and read once they decide; the next approver’s stays open', async () => {
    const id = await onApproval([{ name: 'Юрист', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ approverId: idOf(lawyer) }] }, SIGN_OFF]);
    const before = await inbox(lawyer, id, 'APPROVAL_TASK');
    expect(before.rows).toHaveLength(1);
    expect(before.rows[0]).toMatchObject({ readAt: null, handledAt: null });

    await approve(id, lawyer, 'Замечаний нет');
    const after = await inbox(lawyer, id, 'APPROVAL_TASK');
    expect(handled(after.rows[0])).toBe(true);
    expect(after.unread).toBe(before.unread - 1);
    // The sign-off is the director's new task: open and unread.
    expect((await inbox(director, id, 'APPROVAL_TASK')).rows).toEqual([expect.objectContaining({ readAt: null, handledAt: null })]);
  });

  it('a read request keeps its read time and is marked handled', async () => {
    const id = await onApproval([{ name: 'Юрист', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ approverId: idOf(lawyer) }] }, SIGN_OFF]);
    ok(await subgraph.request(`mutation { markNotificationsRead(input: { all: true }) }`, {}, lawyer));
    const readAt = (await inbox(lawyer, id, 'APPROVAL_TASK')).rows[0].readAt;
    expect(readAt).not.toBeNull();
    await approve(id, lawyer);
    expect((await inbox(lawyer, id, 'APPROVAL_TASK')).rows[0]).toMatchObject({ readAt, handledAt: expect.any(String) });
  });

  it('ANY: the step skipped by another approver’s decision closes its request too', async () => {
    const id = await onApproval([{ name: 'Любой', mode: 'PARALLEL', rule: 'ANY', steps: [{ approverId: idOf(lawyer) }, { approverId: idOf(accountant) }] }, SIGN_OFF]);
    expect((await inbox(lawyer, id, 'APPROVAL_TASK')).rows[0]).toMatchObject({ handledAt: null });
    await approve(id, accountant);
    expect(handled((await inbox(lawyer, id, 'APPROVAL_TASK')).rows[0])).toBe(true);
    expect(handled((await inbox(accountant, id, 'APPROVAL_TASK')).rows[0])).toBe(true);
  });

  it('ALL: one approver’s decision leaves the other’s request open; a rejection closes it', async () => {
    const id = await onApproval([{ name: 'Все', mode: 'PARALLEL', rule: 'ALL', steps: [{ approverId: idOf(lawyer) }, { approverId: idOf(accountant) }] }, SIGN_OFF]);
    await approve(id, accountant);
    expect((await inbox(lawyer, id, 'APPROVAL_TASK')).rows[0]).toMatchObject({ handledAt: null, readAt: null });
    ok(await subgraph.request(`mutation($input: RejectStepInput!) { rejectStep(input: $input) { id } }`, { input: { stepId: await myStep(id, lawyer), comment: 'Нет приложения' } }, lawyer));
    expect(handled((await inbox(lawyer, id, 'APPROVAL_TASK')).rows[0])).toBe(true);
  });

  it('recall and stop close the requests of everyone who still had to decide', async () => {
    const first = await onApproval([{ name: 'Все', mode: 'PARALLEL', rule: 'ALL', steps: [{ approverId: idOf(lawyer) }, { approverId: idOf(accountant) }] }, SIGN_OFF]);
    ok(await subgraph.request(`mutation($input: FinishApprovalInput!) { recallApproval(input: $input) { id } }`, { input: { documentId: first } }, manager));
    expect(handled((await inbox(lawyer, first, 'APPROVAL_TASK')).rows[0])).toBe(true);
    expect(handled((await inbox(accountant, first, 'APPROVAL_TASK')).rows[0])).toBe(true);

    const second = await onApproval([{ name: 'Юрист', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ approverId: idOf(lawyer) }] }, SIGN_OFF]);
    ok(await subgraph.request(`mutation($input: FinishApprovalInput!) { stopApproval(input: $input) { id } }`, { input: { documentId: second, comment: 'Сделка отменена' } }, admin));
    expect(handled((await inbox(lawyer, second, 'APPROVAL_TASK')).rows[0])).toBe(true);
  });

  it('a delegated step closes the delegator’s request and opens the delegate’s', async () => {
    const id = await onApproval([{ name: 'Юрист', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ approverId: idOf(lawyer) }] }, SIGN_OFF]);
    ok(await subgraph.request(`mutation($input: DelegateStepInput!) { delegateStep(input: $input) { id } }`, { input: { stepId: await myStep(id, lawyer), toUserId: idOf(director) } }, lawyer));
    expect(handled((await inbox(lawyer, id, 'APPROVAL_TASK')).rows[0])).toBe(true);
    expect((await inbox(director, id, 'APPROVAL_TASK')).rows).toEqual([expect.objectContaining({ handledAt: null })]);
  });

  it('an acknowledgement request is handled once the version is acknowledged', async () => {
    const fileId = await storedFile(subgraph);
    const id = ok(
      await subgraph.request<{ createDocument: { id: string } }>(
        `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`,
        { input: { type: 'OTHER', counterpartyId: COUNTERPARTY_ID, title: 'Регламент работы с контрагентами', fileIds: [fileId] } },
        manager,
      ),
    ).createDocument.id;
    ok(await subgraph.request(`mutation($input: RequestAcknowledgementInput!) { requestAcknowledgement(input: $input) { id } }`, { input: { documentId: id, userIds: [idOf(lawyer)] } }, manager));
    const before = await inbox(lawyer, id, 'ACKNOWLEDGEMENT_REQUESTED');
    expect(before.rows[0]).toMatchObject({ handledAt: null, readAt: null });
    const ack = ok(await subgraph.request<{ document: { myPendingAcknowledgement: { id: string } } }>(`query($id: ID!) { document(id: $id) { myPendingAcknowledgement { id } } }`, { id }, lawyer)).document.myPendingAcknowledgement;
    ok(await subgraph.request(`mutation($input: AcknowledgeDocumentInput!) { acknowledgeDocument(input: $input) { id } }`, { input: { id: ack.id } }, lawyer));
    const after = await inbox(lawyer, id, 'ACKNOWLEDGEMENT_REQUESTED');
    expect(handled(after.rows[0])).toBe(true);
    expect(after.unread).toBe(before.unread - 1);
  });

  it('handled requests and reads in another tab ping the user’s live streams (notifications-read)', async () => {
    const channel = liveChannelOf(subgraph.orm, silentLogger);
    const events: LiveEvent[] = [];
    const unsubscribe = channel.subscribe((event) => events.push(event));
    try {
      await channel.whenListening();
      const readsOf = (userId: string) => events.filter((event) => event.type === 'read' && event.userIds.includes(userId)).length;
      const waitFor = async (check: () => boolean) => {
        for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
        return check();
      };
      const id = await onApproval([{ name: 'Юрист', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ approverId: idOf(lawyer) }] }, SIGN_OFF]);
      await approve(id, lawyer);
      expect(await waitFor(() => readsOf(idOf(lawyer)) === 1)).toBe(true);
      // The director reads the sign-off request in one tab: the other tabs hear it.
      ok(await subgraph.request(`mutation { markNotificationsRead(input: { all: true }) }`, {}, director));
      expect(await waitFor(() => readsOf(idOf(director)) === 1)).toBe(true);
      // Nothing unread: no ping.
      ok(await subgraph.request(`mutation { markNotificationsRead(input: { all: true }) }`, {}, director));
      ok(await subgraph.request(`mutation { markNotificationsRead(input: { all: true }) }`, {}, accountant));
      const changesOf = () => events.filter((event) => event.type === 'document' && event.documentId === id).length;
      const changes = changesOf();
      await approve(id, director);
      // Pings arrive in commit order: once the signature's document ping is here, any read ping would be too.
      expect(await waitFor(() => changesOf() > changes)).toBe(true);
      expect(readsOf(idOf(director))).toBe(1);
    } finally {
      unsubscribe();
    }
  });
});
