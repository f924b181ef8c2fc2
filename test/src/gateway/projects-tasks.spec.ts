import { createLogger } from '@kartoteka/kit';
import { DEFAULT_MAIL_FROM } from '../../../services/documents/src/config';
import { startSmtpSink, type SmtpSink } from '@kartoteka/kit/testing';
import { mailRelayWorker } from '../../../services/documents/src/modules/notification/mail-relay.worker';
import { taskReminderJob } from '../../../services/deals/src/modules/task/task-reminder.job';
import { bankStatement, isoDay } from '../support/bank-statement';
import { CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { checkPublishedEvents } from '../support/event-contracts';
import { startStack, type Stack } from '../support/stack';
import { eventually } from '../support/timing';

/**
 * Projects and tasks through the gateway (issue 11, items 1–2): a project on the counterparty's card (one statement
 * in deals for the panel), a task due tomorrow → the reminder job (run directly, with the clock it is given) →
 * documents' TASK_DUE_SOON notification in the assignee's inbox and an e-mail at the SMTP sink; completing the task
 * → the notification is handled and the bell goes down.
 */
let stack: Stack;
let sink: SmtpSink;

const MANAGER = 'manager@kartoteka.local';
const ACCOUNTANT = 'accountant@kartoteka.local';
const DIRECTOR = 'director@kartoteka.local';
const ACCOUNTANT_ID = '00000000-0000-4000-8000-000000000007';
const logger = createLogger('projects-tasks-spec', 'silent');

beforeAll(async () => {
  [stack, sink] = await Promise.all([startStack(), startSmtpSink()]);
});
afterAll(async () => {
  await stack?.stop();
  await sink?.close();
});

async function gql<T>(query: string, variables: Record<string, unknown>, email: string): Promise<T> {
  const result = await stack.call<T>(query, variables, await stack.login(email));
  if (result.errors?.length) throw new Error(`${email}: ${JSON.stringify(result.errors)}`);
  return result.data as T;
}

type InboxNode = { id: string; kind: string; taskId: string | null; documentId: string | null; documentTitle: string; readAt: string | null; handledAt: string | null };
const INBOX = '{ unreadNotificationCount notifications(first: 100) { edges { node { id kind taskId documentId documentTitle readAt handledAt } } } }';
async function inbox(email: string): Promise<{ unread: number; nodes: InboxNode[] }> {
  const data = await gql<{ unreadNotificationCount: number; notifications: { edges: { node: InboxNode }[] } }>(INBOX, {}, email);
  return { unread: data.unreadNotificationCount, nodes: data.notifications.edges.map((edge) => edge.node) };
}

describe('projects and tasks through the gateway', () => {
  it('shows a project on the card\'s projects panel, with one statement in deals', async () => {
    const counterparty = await gql<{ createCounterparty: { id: string; name: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput() }, MANAGER);
    const counterpartyId = counterparty.createCounterparty.id;
    const created = await gql<{ createProject: { id: string; version: number; counterparties: { id: string; name: string }[]; team: { role: string; user: { name: string } }[] } }>(
      `mutation($input: CreateProjectInput!) { createProject(input: $input) { id version counterparties { id name } team { role user { name } } } }`,
      { input: { name: 'Внедрение ЭДО', counterpartyIds: [counterpartyId], budgetMinor: 2_000_000_00, status: 'ACTIVE' } },
      MANAGER,
    );
    // the counterparty's name comes from its owner through federation; the team's names from deals' read model
    expect(created.createProject.counterparties).toEqual([{ id: counterpartyId, name: counterparty.createCounterparty.name }]);
    expect(created.createProject.team).toEqual([{ role: 'LEAD', user: { name: 'Ольга Смирнова' } }]);

    stack.resetQueryLog();
    const card = await gql<{ counterparty: { id: string; projects: { totalCount: number; edges: { node: { id: string; name: string; status: string; budget: { minor: number } } }[] } } }>(
      `query($id: ID!) { counterparty(id: $id) { id name projects(first: 10) { totalCount edges { node { id name status budget { minor } } } } } }`,
      { id: counterpartyId },
      ACCOUNTANT,
    );
    expect(card.counterparty.projects).toEqual({ totalCount: 1, edges: [{ node: { id: created.createProject.id, name: 'Внедрение ЭДО', status: 'ACTIVE', budget: { minor: 2_000_000_00 } } }] });
    expect(stack.queries.deals.filter((sql) => /\bprojects\b/.test(sql))).toHaveLength(1);

    const unknown = await stack.call(`mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`, { input: { name: 'Без контрагента', counterpartyIds: ['00000000-0000-4000-8000-0000000000ff'] } }, await stack.login(MANAGER));
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'counterpartyIds' });
  });

  it('a project\'s budget against actual: a signed contract of its deal linked, a payment on it → finance\'s figures on the project', async () => {
    const counterparty = await gql<{ createCounterparty: { id: string; name: string; inn: string; kpp: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput() }, MANAGER);
    const counterpartyId = counterparty.createCounterparty.id;
    // deals links only documents of its deals: the contract is drafted by a deal's PREPARE_CONTRACT action
    const { createDeal: deal } = await gql<{ createDeal: { id: string; actions: { id: string; kind: string }[] } }>(
      'mutation($input: CreateDealInput!) { createDeal(input: $input) { id actions { id kind } } }',
      { input: { title: 'Внедрение СЭД', counterpartyId, stage: 'negotiation', amountMinor: 1_500_000_00 } },
      MANAGER,
    );
    const prepare = deal.actions.find((action) => action.kind === 'PREPARE_CONTRACT')!;
    await gql('mutation($input: CompleteDealActionInput!) { completeDealAction(input: $input) { id } }', { input: { id: prepare.id } }, MANAGER);
    const contractId = await eventually(async () => {
      const read = await gql<{ deal: { actions: { id: string; documentId: string | null }[] } }>('query($id: ID!) { deal(id: $id) { actions { id documentId } } }', { id: deal.id }, MANAGER);
      return read.deal.actions.find((action) => action.id === prepare.id)?.documentId ?? null;
    }, 'the deal\'s contract is drafted');

    // the director signs it (a file, a one-step route)
    const body = new FormData();
    body.append('files', new Blob([new Uint8Array(Buffer.from('%PDF-1.7\nДоговор внедрения\n'))]), 'dogovor.pdf');
    const uploaded = await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/rest/documents/files'), { method: 'POST', headers: { authorization: `Bearer ${await stack.login(MANAGER)}` }, body });
    const { files } = (await uploaded.json()) as { files: { id: string }[] };
    await gql('mutation($input: AddDocumentVersionInput!) { addDocumentVersion(input: $input) { number } }', { input: { documentId: contractId, fileIds: [files[0].id] } }, MANAGER);
    const route = await gql<{ createRouteTemplate: { id: string } }>(
      'mutation($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id } }',
      { input: { name: 'Проект: подпись директора', documentType: 'CONTRACT', stages: [{ name: 'Подписание', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'DIRECTOR', deadlineHours: 24 }] }] } },
      'admin@kartoteka.local',
    );
    await gql('mutation($input: StartApprovalInput!) { startApproval(input: $input) { id } }', { input: { documentId: contractId, routeTemplateId: route.createRouteTemplate.id } }, MANAGER);
    const tasks = await gql<{ myApprovalTasks: { edges: { node: { id: string; document: { id: string } } }[] } }>('{ myApprovalTasks(first: 50) { edges { node { id document { id } } } } }', {}, DIRECTOR);
    const step = tasks.myApprovalTasks.edges.find((edge) => edge.node.document.id === contractId)!;
    await gql('mutation($input: ApproveStepInput!) { approveStep(input: $input) { id } }', { input: { stepId: step.node.id } }, DIRECTOR);
    const { document: contract } = await gql<{ document: { number: string; status: string } }>('query($id: ID!) { document(id: $id) { number status } }', { id: contractId }, MANAGER);
    expect(['SIGNED', 'IN_FORCE']).toContain(contract.status);

    // the project links the contract; its budget is deals', the actuals come from finance (through deals' event)
    const { createProject: project } = await gql<{ createProject: { id: string } }>(
      'mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }',
      { input: { name: 'Внедрение СЭД', counterpartyIds: [counterpartyId], budgetMinor: 1_200_000_00, documentIds: [contractId], dealIds: [deal.id] } },
      MANAGER,
    );
    type Actuals = { budget: { minor: number }; finance: { currency: string; contractedMinor: number; invoicedMinor: number; actsMinor: number; paidMinor: number; overdueMinor: number } | null };
    const PROJECT_FINANCE = 'query($id: ID!) { project(id: $id) { budget { minor } finance { currency contractedMinor invoicedMinor actsMinor paidMinor overdueMinor } } }';
    const contracted = await eventually(async () => {
      const read = await gql<{ project: Actuals }>(PROJECT_FINANCE, { id: project.id }, MANAGER);
      return read.project.finance?.contractedMinor ? read.project : null;
    }, 'finance knows the project\'s contract');
    // over budget: contracted 1 500 000 ₽ against a budget of 1 200 000 ₽
    expect(contracted).toEqual({ budget: { minor: 1_200_000_00 }, finance: { currency: 'RUB', contractedMinor: 1_500_000_00, invoicedMinor: 0, actsMinor: 0, paidMinor: 0, overdueMinor: 0 } });

    // the client pays 500 000 ₽ «по договору №…»: matched to the contract by the bank statement import
    const party = { name: counterparty.createCounterparty.name, inn: counterparty.createCounterparty.inn, kpp: counterparty.createCounterparty.kpp, account: '40702810500000054321' };
    const statement = bankStatement([{ number: '512', date: isoDay(-1), amountMinor: 500_000_00, direction: 'INCOMING', party, purpose: `Аванс по договору № ${contract.number}. НДС не облагается` }], { from: isoDay(-1), to: isoDay(-1) });
    const response = await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/rest/finance/statements?fileName=statement.txt'), {
      method: 'POST',
      headers: { authorization: `Bearer ${await stack.login(ACCOUNTANT)}`, 'content-type': 'text/plain' },
      body: new Uint8Array(statement),
    });
    expect(response.status).toBe(201);
    const importId = String(((await response.json()) as { id: string }).id);
    await gql('mutation($id: ID!) { confirmStatementImport(id: $id) { id } }', { id: importId }, ACCOUNTANT);
    const paid = await eventually(async () => {
      const read = await gql<{ project: Actuals }>(PROJECT_FINANCE, { id: project.id }, MANAGER);
      return read.project.finance?.paidMinor ? read.project : null;
    }, 'the payment counts on the project');
    expect(paid.finance).toEqual({ currency: 'RUB', contractedMinor: 1_500_000_00, invoicedMinor: 0, actsMinor: 0, paidMinor: 500_000_00, overdueMinor: 0 });
  });

  it('a task due tomorrow reminds its assignee in the inbox and by e-mail; completing it handles the notification', async () => {
    const counterparty = await gql<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput() }, MANAGER);
    const dueAt = new Date(Date.now() + 20 * 3_600_000).toISOString();
    const { createTask: task } = await gql<{ createTask: { id: string; version: number; assignee: { name: string } } }>(
      `mutation($input: CreateTaskInput!) { createTask(input: $input) { id version assignee { name } } }`,
      { input: { title: 'Сверить акты за квартал', assigneeId: ACCOUNTANT_ID, dueAt, priority: 'HIGH', counterpartyId: counterparty.createCounterparty.id } },
      MANAGER,
    );
    expect(task.assignee).toEqual({ name: 'Наталья Соколова' });
    const countsBefore = await gql<{ myWorkCounts: { openTasks: number } }>('{ myWorkCounts { openTasks overdueTasks dealActions } }', {}, ACCOUNTANT);
    expect(countsBefore.myWorkCounts.openTasks).toBe(1);
    const bellBefore = (await inbox(ACCOUNTANT)).unread;

    // the reminder job, run now with the clock it is given (no waiting for its interval)
    const deals = stack.subgraphs.deals;
    const job = taskReminderJob({ orm: deals.orm, logger, intervalMs: 3_600_000, now: () => new Date() });
    expect(await job.runOnce()).toBe(true);
    expect(job.lastResult()).toEqual({ dueSoon: 1, overdue: 0 });
    const reminders = await eventually(async () => {
      const found = (await inbox(ACCOUNTANT)).nodes.filter((node) => node.taskId === task.id);
      return found.length ? found : null;
    }, 'the TASK_DUE_SOON notification arrives');
    expect(reminders).toEqual([expect.objectContaining({ kind: 'TASK_DUE_SOON', documentId: null, documentTitle: 'Сверить акты за квартал', readAt: null, handledAt: null })]);
    expect((await inbox(ACCOUNTANT)).unread).toBe(bellBefore + 1);
    // run again: nothing new
    expect(await job.runOnce()).toBe(true);
    expect(job.lastResult()).toEqual({ dueSoon: 0, overdue: 0 });

    // documents' mail relay sends the e-mail to the SMTP sink
    const relay = mailRelayWorker({ orm: stack.subgraphs.documents.orm, logger, smtpUrl: sink.url, from: DEFAULT_MAIL_FROM, pollIntervalMs: 50 });
    try {
      await relay.drain();
    } finally {
      await relay.stop();
    }
    const mail = sink.messages.find((message) => message.subject === 'Скоро срок задачи: Сверить акты за квартал');
    expect(mail?.to).toContain('accountant@kartoteka.local');
    expect(mail?.text).toContain(`/tasks/${task.id}`);

    // the assignee completes the task: the reminder counts as handled and read, the bell and the count go down
    const done = await gql<{ completeTask: { status: string } }>(`mutation($input: TaskTransitionInput!) { completeTask(input: $input) { status } }`, { input: { id: task.id, version: task.version } }, ACCOUNTANT);
    expect(done.completeTask.status).toBe('DONE');
    const handled = await eventually(async () => {
      const found = (await inbox(ACCOUNTANT)).nodes.find((node) => node.taskId === task.id);
      return found?.handledAt ? found : null;
    }, 'the reminder is handled');
    expect(handled.readAt).toBe(handled.handledAt);
    expect((await inbox(ACCOUNTANT)).unread).toBe(bellBefore);
    const countsAfter = await gql<{ myWorkCounts: { openTasks: number } }>('{ myWorkCounts { openTasks } }', {}, ACCOUNTANT);
    expect(countsAfter.myWorkCounts.openTasks).toBe(0);
  });
});

it('every event the scenario published parses with the contract its consumers read it with (each producer/consumer pair)', async () => {
  await stack.settle();
  const report = await checkPublishedEvents(stack);
  expect(report.violations).toEqual([]);
  expect(report.pairs.length).toBeGreaterThanOrEqual(6);
});
