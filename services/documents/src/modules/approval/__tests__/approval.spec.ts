import { randomUUID } from 'node:crypto';
import { DOCUMENT_SIGNED, documentSignedContract, type EventPayload, type Identity } from '@kartoteka/kit';
import { startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings } from '../../../config';
import { documentsSubgraph } from '../../../subgraph';
import { DocumentService } from '../../document/document.service';
import { ApprovalService } from '../approval.service';
import {
  accountant,
  admin,
  COUNTERPARTY_ID,
  director,
  DOCUMENT_FIELDS,
  type DocumentView,
  errorOf,
  fillStaffDirectory,
  idOf,
  lawyer,
  manager,
  ok,
  sales,
  storedFile,
  systemContext,
  viewer,
} from './approval.fixtures';

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }));
  await fillStaffDirectory(subgraph);
});
afterAll(() => subgraph?.close());

type StageSpec = { name: string; mode: 'SEQUENTIAL' | 'PARALLEL'; rule: 'ALL' | 'ANY' | 'QUORUM'; quorum?: number; steps: ({ role: string } | { approverId: string })[] };

const SIGN_OFF: StageSpec = { name: 'Подписание', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'DIRECTOR' }] };

async function template(stages: StageSpec[], name = `Маршрут ${Math.random()}`): Promise<string> {
  const data = ok(
    await subgraph.request<{ createRouteTemplate: { id: string } }>(
      `mutation($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id } }`,
      { input: { name, documentType: 'CONTRACT', stages: stages.map((stage) => ({ ...stage, steps: stage.steps.map((step) => ({ ...step, deadlineHours: 24 })) })) } },
      admin,
    ),
  );
  return data.createRouteTemplate.id;
}

async function contract(options: { restricted?: boolean; startDate?: string; author?: Identity; dealId?: string } = {}): Promise<string> {
  const fileId = await storedFile(subgraph);
  const data = ok(
    await subgraph.request<{ createDocument: { id: string } }>(
      `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`,
      {
        input: {
          type: 'CONTRACT',
          counterpartyId: COUNTERPARTY_ID,
          title: 'Договор поставки № 7/26-П',
          amountMinor: 150_000_000,
          restricted: options.restricted ?? false,
          ...(options.dealId ? { dealId: options.dealId } : {}),
          contract: { subject: 'Поставка оборудования', startDate: options.startDate ?? '2026-01-01', endDate: options.startDate ? null : '2027-12-31', paymentTerms: '30 дней' },
          fileIds: [fileId],
        },
      },
      options.author ?? manager,
    ),
  );
  return data.createDocument.id;
}

async function view(id: string, as: Identity = manager): Promise<DocumentView> {
  return ok(await subgraph.request<{ document: DocumentView }>(`query($id: ID!) { document(id: $id) { ${DOCUMENT_FIELDS} } }`, { id }, as)).document;
}

async function start(documentId: string, routeTemplateId: string, as: Identity = manager) {
  return subgraph.request<{ startApproval: DocumentView }>(`mutation($input: StartApprovalInput!) { startApproval(input: $input) { ${DOCUMENT_FIELDS} } }`, { input: { documentId, routeTemplateId } }, as);
}

const approve = (stepId: string, as: Identity, comment?: string) =>
  subgraph.request<{ approveStep: { id: string; status: string } }>(`mutation($input: ApproveStepInput!) { approveStep(input: $input) { id status decisionVersionNumber } }`, { input: { stepId, comment } }, as);
const reject = (stepId: string, as: Identity, comment: string) =>
  subgraph.request<{ rejectStep: { id: string; status: string } }>(`mutation($input: RejectStepInput!) { rejectStep(input: $input) { id status } }`, { input: { stepId, comment } }, as);

/** The pending step of `identity` on the document (from "my tasks"). */
async function myStep(documentId: string, identity: Identity): Promise<string | null> {
  const data = ok(await subgraph.request<{ myApprovalTasks: { edges: { node: { id: string; document: { id: string } } }[] } }>(`{ myApprovalTasks(first: 50) { edges { node { id document { id } } } } }`, {}, identity));
  return data.myApprovalTasks.edges.find((edge) => edge.node.document.id === documentId)?.node.id ?? null;
}

async function newVersion(documentId: string, as: Identity = manager) {
  const fileId = await storedFile(subgraph, 'contract-v2.pdf');
  return subgraph.request<{ addDocumentVersion: { number: number } }>(`mutation($input: AddDocumentVersionInput!) { addDocumentVersion(input: $input) { number files { id name } } }`, { input: { documentId, fileIds: [fileId], comment: 'Учтены замечания' } }, as);
}

type StatusChange = { fromStatus: string | null; status: string; by: { id: string } | null; actorKind: string; reason: string | null };
async function statusHistory(documentId: string): Promise<StatusChange[]> {
  const data = ok(await subgraph.request<{ document: { statusHistory: (StatusChange & { at: string })[] } }>(`query($id: ID!) { document(id: $id) { statusHistory { fromStatus status at by { id } actorKind reason } } }`, { id: documentId }, manager));
  const times = data.document.statusHistory.map((change) => Date.parse(change.at));
  expect(times).toEqual([...times].sort((a, b) => a - b));
  return data.document.statusHistory.map(({ at: _at, ...change }) => change);
}

async function signedEvents(documentId: string): Promise<EventPayload[]> {
  const rows = await subgraph.orm.em.getConnection().execute<{ payload: EventPayload }[]>('select payload from outbox_events where topic = ? order by created_at, id', [DOCUMENT_SIGNED]);
  return rows.map((row) => row.payload).filter((payload) => payload.documentId === documentId);
}

async function auditActions(documentId: string): Promise<string[]> {
  const data = ok(await subgraph.request<{ document: { auditTrail: { edges: { node: { action: string } }[] } } }>(`query($id: ID!) { document(id: $id) { auditTrail(first: 100) { edges { node { action } } } } }`, { id: documentId }, admin));
  return data.document.auditTrail.edges.map((edge) => edge.node.action).reverse();
}

describe('approval routes', () => {
  it('runs a parallel legal + finance stage, then the director signs: the contract is registered, signed and in force', async () => {
    const routeId = await template([{ name: 'Юрист и финансы', mode: 'PARALLEL', rule: 'ALL', steps: [{ role: 'LAWYER' }, { role: 'ACCOUNTANT' }] }, SIGN_OFF]);
    const id = await contract();
    const started = ok(await start(id, routeId)).startApproval;
    expect(started.status).toBe('ON_APPROVAL');
    expect(started.approvalRoute?.stages.map((stage) => [stage.status, stage.signOff, stage.steps.map((step) => step.status)])).toEqual([
      ['ACTIVE', false, ['PENDING', 'PENDING']],
      ['WAITING', true, ['WAITING']],
    ]);
    expect(started.approvalRoute?.stages[0].steps.map((step) => step.assignees.map((user) => user.id))).toEqual([[idOf(lawyer)], [idOf(accountant)]]);
    expect(await myStep(id, director)).toBeNull();
    const PENDING = `query($id: ID!) { document(id: $id) { myPendingSteps { id canDecide stageName signOff } } }`;
    const lawyerView = ok(await subgraph.request<{ document: { myPendingSteps: { id: string; canDecide: boolean; stageName: string; signOff: boolean }[] } }>(PENDING, { id }, lawyer));
    expect(lawyerView.document.myPendingSteps).toEqual([{ id: await myStep(id, lawyer), canDecide: true, stageName: 'Юрист и финансы', signOff: false }]);
    expect(ok(await subgraph.request<{ document: { myPendingSteps: unknown[] } }>(PENDING, { id }, director)).document.myPendingSteps).toEqual([]);
    // who must act now, as any reader sees it (no walk over approvalRoute.stages[].steps[])
    const AWAITING = `query($id: ID!) { document(id: $id) { awaitingActionFrom { id } pendingSteps { id status role stageName } } }`;
    type Awaiting = { document: { awaitingActionFrom: { id: string }[]; pendingSteps: { id: string; status: string; role: string | null; stageName: string }[] } };
    const directorView = ok(await subgraph.request<Awaiting>(AWAITING, { id }, director)).document;
    expect(directorView.awaitingActionFrom.map((user) => user.id)).toEqual([idOf(lawyer), idOf(accountant)]);
    expect(directorView.pendingSteps.map((step) => [step.role, step.status, step.stageName])).toEqual([
      ['LAWYER', 'PENDING', 'Юрист и финансы'],
      ['ACCOUNTANT', 'PENDING', 'Юрист и финансы'],
    ]);

    expect(ok(await approve((await myStep(id, lawyer))!, lawyer, 'Юридически чисто')).approveStep.status).toBe('APPROVED');
    expect((await view(id)).status).toBe('ON_APPROVAL');
    ok(await approve((await myStep(id, accountant))!, accountant));
    const approved = await view(id);
    expect(approved.status).toBe('APPROVED');
    expect(approved.approvalRoute?.stages[1].status).toBe('ACTIVE');
    expect(ok(await subgraph.request<Awaiting>(AWAITING, { id }, manager)).document.awaitingActionFrom.map((user) => user.id)).toEqual([idOf(director)]);
    expect(approved.verified).toBe(false);

    ok(await approve((await myStep(id, director))!, director));
    const signed = await view(id);
    expect(signed.status).toBe('IN_FORCE');
    expect(signed.verified).toBe(true);
    expect(signed.signedAt).not.toBeNull();
    expect(signed.number).toMatch(/^Д-\d{4}-\d{5}$/);
    expect(signed.approvalRoute?.status).toBe('COMPLETED');
    expect(ok(await subgraph.request<Awaiting>(AWAITING, { id }, manager)).document).toEqual({ awaitingActionFrom: [], pendingSteps: [] });
    expect(signed.approvalRoute?.stages[0].steps[0]).toMatchObject({ comment: 'Юридически чисто', decisionVersionNumber: 1, decidedBy: { id: idOf(lawyer) } });
    expect(await auditActions(id)).toEqual(['DOCUMENT_CREATED', 'VERSION_ADDED', 'ROUTE_STARTED', 'STEP_APPROVED', 'STEP_APPROVED', 'STEP_APPROVED', 'DOCUMENT_REGISTERED', 'DOCUMENT_SIGNED', 'STATUS_CHANGED']);

    const late = errorOf(await newVersion(id));
    expect(late).toMatchObject({ code: 'BAD_USER_INPUT', field: 'documentId', reason: 'version.after-signature' });
  });

  it('a contract that starts later is SIGNED, not yet in force', async () => {
    const routeId = await template([SIGN_OFF]);
    const id = await contract({ startDate: '2099-01-01' });
    ok(await start(id, routeId));
    ok(await approve((await myStep(id, director))!, director));
    expect((await view(id)).status).toBe('SIGNED');
    expect(await statusHistory(id)).toEqual([
      { fromStatus: null, status: 'DRAFT', by: { id: idOf(manager) }, actorKind: 'USER', reason: null },
      { fromStatus: 'DRAFT', status: 'ON_APPROVAL', by: { id: idOf(manager) }, actorKind: 'USER', reason: null },
      { fromStatus: 'ON_APPROVAL', status: 'SIGNED', by: { id: idOf(director) }, actorKind: 'USER', reason: null },
    ]);
    expect((await signedEvents(id)).map((event) => event.status)).toEqual(['SIGNED']);
  });

  it('a contract whose start date has come is observably signed although it goes in force at once: signedBy, status history, one signed event', async () => {
    const routeId = await template([{ name: 'Юрист', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'LAWYER' }] }, SIGN_OFF]);
    const dealId = randomUUID();
    const id = await contract({ startDate: '2026-01-01', dealId });
    ok(await start(id, routeId));
    ok(await approve((await myStep(id, lawyer))!, lawyer));
    ok(await approve((await myStep(id, director))!, director, 'Подписываю'));
    // The deal hears every status, SIGNED included (the last two come from one transaction: the outbox keeps no
    // order finer than its created_at millisecond, so only the set of them is certain).
    const dealNews = await subgraph.orm.em.getConnection().execute<{ payload: Record<string, unknown> }[]>(`select payload from outbox_events where topic = 'documents.document.status-changed' order by created_at, id`);
    const statuses = dealNews.map((row) => row.payload).filter((payload) => payload.documentId === id).map((payload) => payload.status);
    expect(statuses.slice(0, 2)).toEqual(['ON_APPROVAL', 'APPROVED']);
    expect([...statuses.slice(2)].sort()).toEqual(['IN_FORCE', 'SIGNED']);

    const signed = ok(await subgraph.request<{ document: { status: string; signedAt: string; signedBy: { id: string } | null; number: string } }>(`query($id: ID!) { document(id: $id) { status signedAt signedBy { id } number } }`, { id }, manager)).document;
    expect(signed).toMatchObject({ status: 'IN_FORCE', signedBy: { id: idOf(director) } });
    expect(signed.signedAt).not.toBeNull();
    const history = await statusHistory(id);
    expect(history.map((change) => change.status)).toEqual(['DRAFT', 'ON_APPROVAL', 'APPROVED', 'SIGNED', 'IN_FORCE']);
    expect(history[3]).toEqual({ fromStatus: 'APPROVED', status: 'SIGNED', by: { id: idOf(director) }, actorKind: 'USER', reason: null });
    expect(history[4]).toEqual({ fromStatus: 'SIGNED', status: 'IN_FORCE', by: null, actorKind: 'SYSTEM', reason: 'start date reached' });

    const events = await signedEvents(id);
    expect(events).toHaveLength(1);
    const parsed = documentSignedContract.parse({ payload: events[0] });
    expect(parsed).toEqual({
      ok: true,
      value: {
        documentId: id,
        documentType: 'CONTRACT',
        number: signed.number,
        counterpartyId: COUNTERPARTY_ID,
        dealId,
        actionId: null,
        status: 'IN_FORCE',
        signedAt: new Date(signed.signedAt).toISOString(),
        signedById: idOf(director),
        amountMinor: 150_000_000,
        currency: 'RUB',
        title: 'Договор поставки № 7/26-П',
        // registration dated it
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        contractId: null,
        invoiceId: null,
        dueDate: null,
        startDate: '2026-01-01',
        endDate: null,
        periodEnd: null,
        responsibleId: idOf(manager),
      },
    });
  });

  it('every status change is in the history with who made it: rejection, resubmission, recall, cancellation', async () => {
    const routeId = await template([{ name: 'Юрист', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'LAWYER' }] }, SIGN_OFF]);
    const id = await contract();
    ok(await start(id, routeId));
    ok(await reject((await myStep(id, lawyer))!, lawyer, 'Нет приложения'));
    ok(await newVersion(id));
    ok(await subgraph.request(`mutation($input: ResubmitDocumentInput!) { resubmitDocument(input: $input) { id } }`, { input: { documentId: id, mode: 'ALL' } }, manager));
    ok(await subgraph.request(`mutation($input: FinishApprovalInput!) { recallApproval(input: $input) { id } }`, { input: { documentId: id, comment: 'Передумали' } }, manager));
    ok(await subgraph.request(`mutation($input: SetDocumentStatusInput!) { setDocumentStatus(input: $input) { id } }`, { input: { id, status: 'CANCELLED', comment: 'Не нужен' } }, manager));
    expect(await statusHistory(id)).toEqual([
      { fromStatus: null, status: 'DRAFT', by: { id: idOf(manager) }, actorKind: 'USER', reason: null },
      { fromStatus: 'DRAFT', status: 'ON_APPROVAL', by: { id: idOf(manager) }, actorKind: 'USER', reason: null },
      { fromStatus: 'ON_APPROVAL', status: 'REJECTED', by: { id: idOf(lawyer) }, actorKind: 'USER', reason: 'Нет приложения' },
      { fromStatus: 'REJECTED', status: 'ON_APPROVAL', by: { id: idOf(manager) }, actorKind: 'USER', reason: null },
      { fromStatus: 'ON_APPROVAL', status: 'DRAFT', by: { id: idOf(manager) }, actorKind: 'USER', reason: 'Передумали' },
      { fromStatus: 'DRAFT', status: 'CANCELLED', by: { id: idOf(manager) }, actorKind: 'USER', reason: 'Не нужен' },
    ]);
    expect(await signedEvents(id)).toEqual([]);
  });

  it('the contracts-in-force job records SIGNED → IN_FORCE in the history', async () => {
    const routeId = await template([SIGN_OFF]);
    const id = await contract({ startDate: '2099-01-01' });
    ok(await start(id, routeId));
    ok(await approve((await myStep(id, director))!, director));
    const em = subgraph.orm.em.fork();
    await em.transactional((tem) => new DocumentService(systemContext(subgraph)).activateContracts(tem, '2099-01-01', id));
    expect((await view(id)).status).toBe('IN_FORCE');
    expect((await statusHistory(id)).slice(-2)).toEqual([
      { fromStatus: 'ON_APPROVAL', status: 'SIGNED', by: { id: idOf(director) }, actorKind: 'USER', reason: null },
      { fromStatus: 'SIGNED', status: 'IN_FORCE', by: null, actorKind: 'SYSTEM', reason: 'start date reached' },
    ]);
  });

  it('a sequential stage gives the steps one after another', async () => {
    const routeId = await template([{ name: 'По очереди', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ approverId: idOf(lawyer) }, { approverId: idOf(accountant) }] }, SIGN_OFF]);
    const id = await contract();
    ok(await start(id, routeId));
    expect(await myStep(id, accountant)).toBeNull();
    ok(await approve((await myStep(id, lawyer))!, lawyer));
    const second = await myStep(id, accountant);
    expect(second).not.toBeNull();
    ok(await approve(second!, accountant));
    expect((await view(id)).status).toBe('APPROVED');
  });

  it('ANY: the first approval completes a parallel stage and the other step is skipped', async () => {
    const routeId = await template([{ name: 'Любой', mode: 'PARALLEL', rule: 'ANY', steps: [{ approverId: idOf(lawyer) }, { approverId: idOf(accountant) }] }, SIGN_OFF]);
    const id = await contract();
    ok(await start(id, routeId));
    ok(await approve((await myStep(id, accountant))!, accountant));
    const after = await view(id);
    expect(after.status).toBe('APPROVED');
    expect(after.approvalRoute?.stages[0].steps.map((step) => step.status)).toEqual(['SKIPPED', 'APPROVED']);
    expect(await myStep(id, lawyer)).toBeNull();
  });

  it('QUORUM 2 of 3: two approvals complete the stage', async () => {
    const routeId = await template([{ name: 'Кворум', mode: 'PARALLEL', rule: 'QUORUM', quorum: 2, steps: [{ approverId: idOf(lawyer) }, { approverId: idOf(accountant) }, { approverId: idOf(director) }] }, SIGN_OFF]);
    const id = await contract();
    ok(await start(id, routeId));
    ok(await approve((await myStep(id, lawyer))!, lawyer));
    expect((await view(id)).status).toBe('ON_APPROVAL');
    ok(await approve((await myStep(id, director))!, director));
    const after = await view(id);
    expect(after.approvalRoute?.stages[0]).toMatchObject({ status: 'COMPLETED', steps: [{ status: 'APPROVED' }, { status: 'SKIPPED' }, { status: 'APPROVED' }] });
    expect(after.status).toBe('APPROVED');
  });

  it('refuses a quorum larger than the stage and approvers who may not approve', async () => {
    const bad = await subgraph.request(`mutation($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id } }`, {
      input: { name: 'x', documentType: 'CONTRACT', stages: [{ name: 'a', mode: 'PARALLEL', rule: 'QUORUM', quorum: 3, steps: [{ role: 'LAWYER', deadlineHours: 8 }, { role: 'ACCOUNTANT', deadlineHours: 8 }] }] },
    }, admin);
    expect(errorOf(bad)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stages.0.quorum' });
    const notApprover = await subgraph.request(`mutation($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id } }`, {
      input: { name: 'x', documentType: 'CONTRACT', stages: [{ name: 'a', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ approverId: idOf(viewer), deadlineHours: 8 }] }] },
    }, admin);
    expect(errorOf(notApprover)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stages.0.steps.0.approverId', reason: 'approver.not-allowed' });
    const byManager = await subgraph.request(`mutation($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id } }`, { input: { name: 'x', documentType: 'CONTRACT', stages: [{ ...SIGN_OFF, steps: [{ role: 'DIRECTOR', deadlineHours: 8 }] }] } }, manager);
    expect(errorOf(byManager).code).toBe('FORBIDDEN');
  });

  it('rejection sends the document to rework; resubmission to those who had not approved carries the earlier approvals over', async () => {
    const routeId = await template([{ name: 'Юрист и финансы', mode: 'PARALLEL', rule: 'ALL', steps: [{ role: 'LAWYER' }, { role: 'ACCOUNTANT' }] }, SIGN_OFF]);
    const id = await contract();
    ok(await start(id, routeId));
    ok(await approve((await myStep(id, lawyer))!, lawyer));
    const financeStep = (await myStep(id, accountant))!;
    expect(errorOf(await reject(financeStep, accountant, '   '))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'comment' });
    ok(await reject(financeStep, accountant, 'Неверные условия оплаты'));
    const rejected = await view(id);
    expect(rejected.status).toBe('REJECTED');
    expect(rejected.approvalRoute?.status).toBe('REJECTED');
    expect(rejected.approvalRoute?.stages.map((stage) => stage.status)).toEqual(['REJECTED', 'CANCELLED']);

    const RESUBMIT = `mutation($input: ResubmitDocumentInput!) { resubmitDocument(input: $input) { ${DOCUMENT_FIELDS} } }`;
    expect(errorOf(await subgraph.request(RESUBMIT, { input: { documentId: id, mode: 'NOT_YET_APPROVED' } }, manager))).toMatchObject({ field: 'fileIds', reason: 'approval.no-new-version' });
    expect(errorOf(await start(id, routeId))).toMatchObject({ reason: 'approval.use-resubmit' });
    expect(ok(await newVersion(id)).addDocumentVersion.number).toBe(2);
    expect((await view(id)).status).toBe('REJECTED');

    const resubmitted = ok(await subgraph.request<{ resubmitDocument: DocumentView }>(RESUBMIT, { input: { documentId: id, mode: 'NOT_YET_APPROVED' } }, manager)).resubmitDocument;
    expect(resubmitted.status).toBe('ON_APPROVAL');
    expect(resubmitted.approvalRoute).toMatchObject({ round: 2, versionNumber: 2 });
    const [legal, finance] = resubmitted.approvalRoute!.stages[0].steps;
    expect(legal).toMatchObject({ status: 'APPROVED', carriedOver: true, decisionVersionNumber: 1 });
    expect(finance).toMatchObject({ status: 'PENDING', carriedOver: false });
    expect(await myStep(id, lawyer)).toBeNull();
    const decided = ok(await approve((await myStep(id, accountant))!, accountant)).approveStep as { decisionVersionNumber?: number };
    expect(decided.decisionVersionNumber).toBe(2);
    ok(await approve((await myStep(id, director))!, director));
    expect((await view(id)).verified).toBe(true);
  });

  it('resubmission to everyone asks every approver again', async () => {
    const routeId = await template([{ name: 'Юрист и финансы', mode: 'PARALLEL', rule: 'ALL', steps: [{ role: 'LAWYER' }, { role: 'ACCOUNTANT' }] }, SIGN_OFF]);
    const id = await contract();
    ok(await start(id, routeId));
    ok(await approve((await myStep(id, lawyer))!, lawyer));
    ok(await reject((await myStep(id, accountant))!, accountant, 'Нет приложения'));
    const fileId = await storedFile(subgraph, 'v2.pdf');
    const again = ok(await subgraph.request<{ resubmitDocument: DocumentView }>(`mutation($input: ResubmitDocumentInput!) { resubmitDocument(input: $input) { ${DOCUMENT_FIELDS} } }`, { input: { documentId: id, mode: 'ALL', fileIds: [fileId], comment: 'Приложение добавлено' } }, manager)).resubmitDocument;
    expect(again.currentVersionNumber).toBe(2);
    expect(again.approvalRoute?.stages[0].steps.map((step) => [step.status, step.carriedOver])).toEqual([['PENDING', false], ['PENDING', false]]);
  });

  it('a step can be delegated: the delegate decides, the original approver no longer can', async () => {
    const routeId = await template([{ name: 'Юрист', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'LAWYER' }] }, SIGN_OFF]);
    const id = await contract();
    ok(await start(id, routeId));
    const stepId = (await myStep(id, lawyer))!;
    const DELEGATE = `mutation($input: DelegateStepInput!) { delegateStep(input: $input) { id status role assignees { id } delegatedBy { id } delegatedFrom { id } delegatedFromRole } }`;
    expect(errorOf(await subgraph.request(DELEGATE, { input: { stepId, toUserId: idOf(accountant) } }, director)).code).toBe('FORBIDDEN');
    expect(errorOf(await subgraph.request(DELEGATE, { input: { stepId, toUserId: idOf(viewer) } }, lawyer))).toMatchObject({ field: 'toUserId', reason: 'approver.not-allowed' });
    const delegated = ok(await subgraph.request<{ delegateStep: { role: string | null; assignees: { id: string }[]; delegatedBy: { id: string } } }>(DELEGATE, { input: { stepId, toUserId: idOf(accountant), comment: 'В отпуске' } }, lawyer)).delegateStep;
    // The step now shows the delegate, not the role; who delegated it and from what stays on it and in the audit trail.
    expect(delegated).toMatchObject({ role: null, assignees: [{ id: idOf(accountant) }], delegatedBy: { id: idOf(lawyer) }, delegatedFrom: [{ id: idOf(lawyer) }], delegatedFromRole: 'LAWYER' });
    const shown = (await view(id)).approvalRoute!.stages[0].steps[0];
    expect(shown).toMatchObject({ id: stepId, role: null, assignees: [{ id: idOf(accountant) }] });
    const trail = ok(await subgraph.request<{ document: { auditTrail: { edges: { node: { action: string; actor: { id: string } | null; details: Record<string, unknown> } }[] } } }>(`query($id: ID!) { document(id: $id) { auditTrail(first: 100) { edges { node { action actor { id } details } } } } }`, { id }, admin));
    const delegation = trail.document.auditTrail.edges.map((edge) => edge.node).find((node) => node.action === 'STEP_DELEGATED');
    expect(delegation).toMatchObject({ actor: { id: idOf(lawyer) }, details: { stepId, from: [idOf(lawyer)], fromRole: 'LAWYER', to: idOf(accountant), comment: 'В отпуске' } });
    // A further delegation keeps the role the step was first addressed to.
    const again = ok(await subgraph.request<{ delegateStep: unknown }>(DELEGATE, { input: { stepId, toUserId: idOf(lawyer) } }, accountant)).delegateStep;
    expect(again).toMatchObject({ role: null, assignees: [{ id: idOf(lawyer) }], delegatedBy: { id: idOf(accountant) }, delegatedFrom: [{ id: idOf(accountant) }], delegatedFromRole: 'LAWYER' });
    ok(await subgraph.request(DELEGATE, { input: { stepId, toUserId: idOf(accountant) } }, lawyer));
    expect(errorOf(await approve(stepId, lawyer)).code).toBe('FORBIDDEN');
    expect(await myStep(id, accountant)).toBe(stepId);
    ok(await approve(stepId, accountant));
    expect((await view(id)).status).toBe('APPROVED');
  });

  it('the author recalls the document (back to draft, tasks cancelled); only an admin stops a route', async () => {
    const routeId = await template([{ name: 'Юрист', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'LAWYER' }] }, SIGN_OFF]);
    const id = await contract();
    ok(await start(id, routeId));
    const stepId = (await myStep(id, lawyer))!;
    const RECALL = `mutation($input: FinishApprovalInput!) { recallApproval(input: $input) { ${DOCUMENT_FIELDS} } }`;
    const STOP = `mutation($input: FinishApprovalInput!) { stopApproval(input: $input) { ${DOCUMENT_FIELDS} } }`;
    expect(errorOf(await subgraph.request(RECALL, { input: { documentId: id } }, sales)).code).toBe('FORBIDDEN');
    const recalled = ok(await subgraph.request<{ recallApproval: DocumentView }>(RECALL, { input: { documentId: id, comment: 'Забыли приложение' } }, manager)).recallApproval;
    expect(recalled.status).toBe('DRAFT');
    expect(recalled.approvalRoute).toMatchObject({ status: 'RECALLED', stages: [{ status: 'CANCELLED', steps: [{ status: 'CANCELLED' }] }, { status: 'CANCELLED' }] });
    expect(errorOf(await approve(stepId, lawyer))).toMatchObject({ code: 'CONFLICT', reason: 'approval.step-not-pending' });
    expect(await myStep(id, lawyer)).toBeNull();

    const restarted = ok(await start(id, routeId)).startApproval;
    expect(restarted.approvalRoute?.round).toBe(2);
    expect(errorOf(await subgraph.request(STOP, { input: { documentId: id } }, manager)).code).toBe('FORBIDDEN');
    expect(ok(await subgraph.request<{ stopApproval: DocumentView }>(STOP, { input: { documentId: id, comment: 'Сделка отменена' } }, admin)).stopApproval).toMatchObject({ status: 'DRAFT', approvalRoute: { status: 'STOPPED' } });
  });

  it('concurrent decisions on one step: exactly one wins, the others get CONFLICT', async () => {
    const routeId = await template([{ name: 'Любой согласующий', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'APPROVER' }] }, SIGN_OFF]);
    const id = await contract();
    ok(await start(id, routeId));
    const stepId = (await myStep(id, lawyer))!;
    expect(await myStep(id, accountant)).toBe(stepId);
    const results = await Promise.all([approve(stepId, lawyer), reject(stepId, accountant, 'Против'), approve(stepId, accountant), approve(stepId, lawyer)]);
    const winners = results.filter((result) => !result.errors);
    const losers = results.filter((result) => result.errors);
    expect(winners).toHaveLength(1);
    expect(losers.map((result) => result.errors?.[0].extensions?.code)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
    const step = (await view(id)).approvalRoute!.stages[0].steps[0];
    expect(['APPROVED', 'REJECTED']).toContain(step.status);
  });

  it('only the assigned approver decides; a viewer cannot; a restricted document is hidden from outsiders', async () => {
    const routeId = await template([{ name: 'Юрист', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'LAWYER' }] }, SIGN_OFF]);
    const id = await contract({ restricted: true });
    expect(await subgraph.request<{ document: null }>(`query($id: ID!) { document(id: $id) { id } }`, { id }, sales)).toMatchObject({ data: { document: null } });
    expect(ok(await subgraph.request<{ documents: { edges: { node: { id: string } }[] } }>(`{ documents(first: 100) { edges { node { id } } } }`, {}, sales)).documents.edges.map((edge) => edge.node.id)).not.toContain(id);
    expect(await subgraph.request(`query($id: ID!) { document(id: $id) { id } }`, { id }, lawyer)).toMatchObject({ data: { document: null } });
    ok(await start(id, routeId));
    // Once on the route, the approver may read it.
    expect(ok(await subgraph.request<{ document: { id: string } }>(`query($id: ID!) { document(id: $id) { id } }`, { id }, lawyer)).document.id).toBe(id);
    const stepId = (await myStep(id, lawyer))!;
    expect(errorOf(await approve(stepId, viewer)).code).toBe('FORBIDDEN');
    // The director is on the route (sign-off), so may read it, but this step is not theirs.
    expect(errorOf(await approve(stepId, director)).code).toBe('FORBIDDEN');
    // The accountant is not on the route: the restricted document does not exist for them.
    expect(errorOf(await approve(stepId, accountant)).code).toBe('NOT_FOUND');
    expect((await view(id)).approvalRoute?.stages[0].steps[0].status).toBe('PENDING');
  });

  it('sign-offs (which register) and registrations running together neither deadlock nor share numbers', async () => {
    const routeId = await template([SIGN_OFF]);
    const contracts = await Promise.all(Array.from({ length: 6 }, () => contract({ startDate: '2099-01-01' })));
    for (const id of contracts) ok(await start(id, routeId));
    const steps = await Promise.all(contracts.map(async (id) => (await myStep(id, director))!));
    const drafts: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      drafts.push(ok(await subgraph.request<{ createDocument: { id: string } }>(`mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`, { input: { type: 'CONTRACT', counterpartyId: COUNTERPARTY_ID, title: `Проект ${i}`, contract: { subject: 'x', startDate: '2099-01-01' } } }, manager)).createDocument.id);
    }
    const REGISTER = `mutation($input: RegisterDocumentInput!) { registerDocument(input: $input) { number } }`;
    const results = await Promise.all([...steps.map((stepId) => approve(stepId, director)), ...drafts.map((id) => subgraph.request(REGISTER, { input: { id } }, manager))]);
    expect(results.flatMap((result) => result.errors ?? [])).toEqual([]);
    const numbers = await Promise.all([...contracts, ...drafts].map(async (id) => (await view(id)).number));
    expect(new Set(numbers).size).toBe(12);
  });

  it('a pending step past its deadline is reported once', async () => {
    const routeId = await template([{ name: 'Юрист', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'LAWYER' }] }, SIGN_OFF]);
    const id = await contract();
    ok(await start(id, routeId));
    const stepId = (await myStep(id, lawyer))!;
    const connection = subgraph.orm.em.getConnection();
    await connection.execute(`update approval_steps set due_at = now() - interval '1 hour' where id = ?`, [stepId]);
    const overdue = ok(await subgraph.request<{ document: { approvalRoute: { stages: { steps: { overdue: boolean }[] }[] } } }>(`query($id: ID!) { document(id: $id) { approvalRoute { stages { steps { overdue } } } } }`, { id }, manager));
    expect(overdue.document.approvalRoute.stages[0].steps[0].overdue).toBe(true);
    const run = async () => {
      const context = systemContext(subgraph);
      return context.em.transactional((em) => new ApprovalService(context).notifyOverdue(em, new Date()));
    };
    expect(await run()).toBeGreaterThanOrEqual(1);
    expect(await run()).toBe(0);
    const notified = await connection.execute<{ user_id: string }[]>(`select user_id from notifications where kind = 'DEADLINE_PASSED' and document_id = ?`, [id]);
    expect(notified.map((row) => row.user_id).sort()).toEqual([idOf(lawyer), idOf(manager)].sort());
  });

  it('a document without files cannot be sent; a template of another type is refused', async () => {
    const routeId = await template([SIGN_OFF]);
    const created = ok(await subgraph.request<{ createDocument: { id: string } }>(`mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`, { input: { type: 'CONTRACT', counterpartyId: COUNTERPARTY_ID, title: 'Без файла', contract: { subject: 'x', startDate: '2026-01-01' } } }, manager));
    expect(errorOf(await start(created.createDocument.id, routeId))).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'approval.no-version' });
    const letter = ok(await subgraph.request<{ createDocument: { id: string } }>(`mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`, { input: { type: 'OUTGOING_LETTER', counterpartyId: COUNTERPARTY_ID, title: 'Письмо', fileIds: [await storedFile(subgraph)] } }, manager));
    expect(errorOf(await start(letter.createDocument.id, routeId))).toMatchObject({ field: 'routeTemplateId', reason: 'approval.template-type' });
  });
});
