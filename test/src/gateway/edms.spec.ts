import { randomBytes } from 'node:crypto';
import { CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { checkPublishedEvents } from '../support/event-contracts';
import { startStack, type Stack } from '../support/stack';
import { scaled } from '../support/timing';

/**
 * The EDMS "done" scenario, entirely through the gateway: a contract of a counterparty is created with an
 * uploaded file, routed (parallel legal + finance, then the director's sign-off), rejected once, reworked
 * and resubmitted, signed and acknowledged; every step shows on the counterparty card and in the audit trail.
 */
let stack: Stack;
let rest: string;

beforeAll(async () => {
  stack = await startStack({ production: true });
  rest = stack.gatewayUrl.replace(/\/graphql$/, '/rest/documents');
});
afterAll(() => stack?.stop());

type Errors = { message: string; extensions?: Record<string, unknown> }[] | undefined;

async function gql<T>(query: string, variables: Record<string, unknown>, email: string): Promise<T> {
  const result = await stack.call<T>(query, variables, await stack.login(email));
  if (result.errors?.length) throw new Error(`${email}: ${JSON.stringify(result.errors)}`);
  return result.data as T;
}

async function upload(name: string, email: string): Promise<string> {
  const body = new FormData();
  body.append('files', new Blob([new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2048)]))]), name);
  const response = await fetch(`${rest}/files`, { method: 'POST', headers: { authorization: `Bearer ${await stack.login(email)}` }, body });
  expect(response.status).toBe(201);
  const { files } = (await response.json()) as { files: { id: string }[] };
  return files[0].id;
}

/** The staff directory of the documents service is filled from identity's events: wait until it knows the approvers. */
async function staffKnown(): Promise<void> {
  const deadline = Date.now() + scaled(20_000);
  for (;;) {
    const data = await gql<{ staff: { id: string }[] }>(`{ staff(first: 50) { id } }`, {}, 'admin@kartoteka.local');
    if (data.staff.length >= 7) return;
    if (Date.now() > deadline) throw new Error(`staff directory has ${data.staff.length} members`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function myTask(documentId: string, email: string): Promise<string> {
  const data = await gql<{ myApprovalTasks: { edges: { node: { id: string; canDecide: boolean; document: { id: string } } }[] } }>(`{ myApprovalTasks(first: 50) { edges { node { id canDecide document { id } } } } }`, {}, email);
  const task = data.myApprovalTasks.edges.find((edge) => edge.node.document.id === documentId)?.node;
  if (!task?.canDecide) throw new Error(`${email} has no task on ${documentId}`);
  return task.id;
}

const APPROVE = `mutation($input: ApproveStepInput!) { approveStep(input: $input) { id status } }`;
const REJECT = `mutation($input: RejectStepInput!) { rejectStep(input: $input) { id status } }`;

describe('EDMS through the gateway', () => {
  it('contract: upload, two-stage route, rejection, resubmission, sign-off, acknowledgement — visible on the card and in the audit trail', async () => {
    await staffKnown();
    const author = 'manager@kartoteka.local';
    const counterparty = await gql<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput() }, author);
    const counterpartyId = counterparty.createCounterparty.id;

    const template = await gql<{ createRouteTemplate: { id: string } }>(
      `mutation($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id stages { name signOff } } }`,
      {
        input: {
          name: 'Договор: юрист + финансы, подпись директора',
          documentType: 'CONTRACT',
          stages: [
            { name: 'Юрист и финансы', mode: 'PARALLEL', rule: 'ALL', steps: [{ role: 'LAWYER', deadlineHours: 48 }, { role: 'ACCOUNTANT', deadlineHours: 48 }] },
            { name: 'Подписание', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'DIRECTOR', deadlineHours: 24 }] },
          ],
        },
      },
      'admin@kartoteka.local',
    );

    const created = await gql<{ createDocument: { id: string; status: string; currentVersion: { number: number; files: { name: string }[] } } }>(
      `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id status currentVersion { number files { name } } } }`,
      {
        input: {
          type: 'CONTRACT',
          counterpartyId,
          title: 'Договор поставки № 41/26-П',
          amountMinor: 4_500_000_00,
          contract: { subject: 'Поставка серверного оборудования', startDate: '2026-01-10', endDate: '2026-12-31', paymentTerms: '50 % аванс' },
          fileIds: [await upload('Договор 41-26-П.pdf', author)],
        },
      },
      author,
    );
    const documentId = created.createDocument.id;
    expect(created.createDocument).toMatchObject({ status: 'DRAFT', currentVersion: { number: 1, files: [{ name: 'Договор 41-26-П.pdf' }] } });

    await gql(`mutation($input: StartApprovalInput!) { startApproval(input: $input) { id status } }`, { input: { documentId, routeTemplateId: template.createRouteTemplate.id } }, author);
    await gql(APPROVE, { input: { stepId: await myTask(documentId, 'approver@kartoteka.local'), comment: 'Замечаний нет' } }, 'approver@kartoteka.local');
    await gql(REJECT, { input: { stepId: await myTask(documentId, 'accountant@kartoteka.local'), comment: 'Аванс не более 30 %' } }, 'accountant@kartoteka.local');

    const rework = await gql<{ document: { status: string } }>(`query($id: ID!) { document(id: $id) { status } }`, { id: documentId }, author);
    expect(rework.document.status).toBe('REJECTED');
    const inbox = await gql<{ notifications: { edges: { node: { kind: string; comment: string | null; documentId: string } }[] } }>(`{ notifications(first: 20) { edges { node { kind comment documentId } } } }`, {}, author);
    expect(inbox.notifications.edges.map((edge) => edge.node)).toContainEqual({ kind: 'REWORK_NEEDED', comment: 'Аванс не более 30 %', documentId });

    await gql(
      `mutation($input: ResubmitDocumentInput!) { resubmitDocument(input: $input) { id status } }`,
      { input: { documentId, mode: 'NOT_YET_APPROVED', fileIds: [await upload('Договор 41-26-П v2.pdf', author)], comment: 'Аванс 30 %' } },
      author,
    );
    await expect(myTask(documentId, 'approver@kartoteka.local')).rejects.toThrow(/no task/);
    await gql(APPROVE, { input: { stepId: await myTask(documentId, 'accountant@kartoteka.local') } }, 'accountant@kartoteka.local');
    await gql(APPROVE, { input: { stepId: await myTask(documentId, 'director@kartoteka.local'), comment: 'Подписано' } }, 'director@kartoteka.local');

    await gql(
      `mutation($input: RequestAcknowledgementInput!) { requestAcknowledgement(input: $input) { id } }`,
      { input: { documentId, userIds: [], roles: ['MANAGER'], deadline: new Date(Date.now() + 86_400_000).toISOString() } },
      author,
    );
    const pending = await gql<{ document: { myPendingAcknowledgement: { id: string } | null } }>(`query($id: ID!) { document(id: $id) { myPendingAcknowledgement { id } } }`, { id: documentId }, 'sales@kartoteka.local');
    await gql(`mutation($input: AcknowledgeDocumentInput!) { acknowledgeDocument(input: $input) { id } }`, { input: { id: pending.document.myPendingAcknowledgement!.id } }, 'sales@kartoteka.local');

    const card = await gql<{
      counterparty: { documents: { edges: { node: { id: string; status: string; verified: boolean; number: string | null; approvalRoutes: { round: number; status: string; stages: { steps: { status: string; comment: string | null; carriedOver: boolean; decidedBy: { name: string } | null; decisionVersionNumber: number | null }[] }[] }[]; acknowledgements: { user: { name: string }; acknowledgedAt: string | null }[] } }[] } };
    }>(
      `query($id: ID!) { counterparty(id: $id) { documents(first: 10) { edges { node { id status verified number
        approvalRoutes { round status stages { steps { status comment carriedOver decisionVersionNumber decidedBy { name } } } }
        acknowledgements { user { name } acknowledgedAt } } } } } }`,
      { id: counterpartyId },
      author,
    );
    const contract = card.counterparty.documents.edges[0].node;
    expect(contract).toMatchObject({ id: documentId, status: 'IN_FORCE', verified: true });
    expect(contract.number).toMatch(/^Д-\d{4}-\d{5}$/);
    expect(contract.approvalRoutes.map((route) => [route.round, route.status])).toEqual([[2, 'COMPLETED'], [1, 'REJECTED']]);
    expect(contract.approvalRoutes[0].stages[0].steps).toEqual([
      { status: 'APPROVED', comment: 'Замечаний нет', carriedOver: true, decisionVersionNumber: 1, decidedBy: { name: 'Елена Волкова' } },
      { status: 'APPROVED', comment: null, carriedOver: false, decisionVersionNumber: 2, decidedBy: { name: 'Наталья Соколова' } },
    ]);
    expect(contract.approvalRoutes[1].stages[0].steps[1]).toMatchObject({ status: 'REJECTED', comment: 'Аванс не более 30 %' });
    expect(contract.acknowledgements.filter((row) => row.acknowledgedAt).map((row) => row.user.name)).toEqual(['Дмитрий Кузнецов']);
    expect(contract.acknowledgements.length).toBeGreaterThanOrEqual(2);

    const trail = await gql<{ document: { auditTrail: { edges: { node: { action: string; actor: { name: string } | null } }[] } } }>(
      `query($id: ID!) { document(id: $id) { auditTrail(first: 50) { edges { node { action actor { name } } } } } }`,
      { id: documentId },
      'admin@kartoteka.local',
    );
    expect(trail.document.auditTrail.edges.map((edge) => edge.node.action).reverse()).toEqual([
      'DOCUMENT_CREATED', 'VERSION_ADDED', 'ROUTE_STARTED', 'STEP_APPROVED', 'STEP_REJECTED', 'VERSION_ADDED', 'ROUTE_RESUBMITTED',
      'STEP_APPROVED', 'STEP_APPROVED', 'DOCUMENT_REGISTERED', 'DOCUMENT_SIGNED', 'STATUS_CHANGED', 'ACKNOWLEDGEMENT_REQUESTED', 'DOCUMENT_ACKNOWLEDGED',
    ]);
    const verification = await gql<{ verifyAuditChain: { valid: boolean; checkedCount: number } }>(`{ verifyAuditChain { valid checkedCount } }`, {}, 'admin@kartoteka.local');
    expect(verification.verifyAuditChain.valid).toBe(true);
    const forbidden = await stack.call(`{ verifyAuditChain { valid } }`, {}, await stack.login(author));
    expect((forbidden.errors as Errors)?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

it('every event the scenario published parses with the contract its consumers read it with (each producer/consumer pair)', async () => {
  await stack.settle();
  const report = await checkPublishedEvents(stack);
  expect(report.violations).toEqual([]);
  expect(report.pairs.length).toBeGreaterThanOrEqual(8);
});
