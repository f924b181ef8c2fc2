import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_USERS } from '@kartoteka/kit';
import { CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { BROWSER_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, freePort, PORTAL_CONTEXT, logInThroughUi, startPortal, type PortalServer } from '../support/portal';
import { insertChangedCopy } from '../support/dangling';
import { startStack, type Stack } from '../support/stack';
import { scaled } from '../support/timing';
import { buildDocx } from '../../../services/documents/src/modules/template/template.docx';

/**
 * The EDMS in the portal, two people in two browsers: the author (a manager) sends a contract along a
 * route (lawyer and accountant in parallel, then the director's sign-off); the lawyer finds it in
 * "My tasks" and approves it from the counterparty card, while the author's open card and bell follow
 * live (Server-Sent Events through the gateway), without a reload. Then a second contract is rejected
 * from "My tasks" with a required comment.
 */

const userOf = (email: string) => {
  const user = DEMO_USERS.find((candidate) => candidate.email === email);
  if (!user) throw new Error(`no demo user ${email}`);
  return user;
};
const MANAGER = userOf('manager@kartoteka.local');
const LAWYER = userOf('approver@kartoteka.local');
const ACCOUNTANT = userOf('accountant@kartoteka.local');
const DIRECTOR = userOf('director@kartoteka.local');

const STAGE_CHECK = 'Юридическая и финансовая проверка';
const STAGE_SIGN_OFF = 'Утверждение директором';

let stack: Stack;
let portal: PortalServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const consoleErrors: string[] = [];

let counterpartyId: string;
let counterpartyName: string;
let templateId: string;

async function gql<T>(query: string, variables: Record<string, unknown>, email: string): Promise<T> {
  const result = await stack.call<T>(query, variables, await stack.login(email));
  if (result.errors?.length || !result.data) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** identity's events fill the documents service's staff directory asynchronously: wait until it knows the approvers. */
async function waitForApprovers(): Promise<void> {
  const wanted: [string, string][] = [
    ['LAWYER', LAWYER.id],
    ['ACCOUNTANT', ACCOUNTANT.id],
    ['DIRECTOR', DIRECTOR.id],
  ];
  const deadline = Date.now() + scaled(30_000);
  for (;;) {
    const data = await gql<Record<string, { id: string }[]>>(
      '{ lawyer: staff(role: "LAWYER") { id } accountant: staff(role: "ACCOUNTANT") { id } director: staff(role: "DIRECTOR") { id } }',
      {},
      MANAGER.email,
    );
    if (wanted.every(([role, id]) => data[role.toLowerCase()]?.some((member) => member.id === id))) return;
    if (Date.now() > deadline) throw new Error(`the staff directory never learnt the approvers: ${JSON.stringify(data)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A contract with one uploaded PDF (REST upload through the gateway), sent along the route as the manager. */
async function contractOnApproval(title: string): Promise<string> {
  const token = await stack.login(MANAGER.email);
  const form = new FormData();
  const pdf = `%PDF-1.4\n% ${title}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
  form.append('files', new Blob([pdf], { type: 'application/pdf' }), 'contract.pdf');
  const upload = await fetch(new URL('/rest/documents/files', stack.gatewayUrl), { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const uploaded = (await upload.json()) as { files?: { id: string }[]; errors?: unknown };
  if (upload.status !== 201 || !uploaded.files?.[0]) throw new Error(`upload failed: ${upload.status} ${JSON.stringify(uploaded)}`);

  const { createDocument } = await gql<{ createDocument: { id: string } }>(
    'mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }',
    {
      input: {
        type: 'CONTRACT',
        counterpartyId,
        title,
        date: '2026-11-02',
        amountMinor: 125_000_00,
        currency: 'RUB',
        contract: { subject: 'Поставка оборудования', startDate: '2026-11-02' },
        fileIds: [uploaded.files[0].id],
      },
    },
    MANAGER.email,
  );
  await gql('mutation($input: StartApprovalInput!) { startApproval(input: $input) { id status } }', { input: { documentId: createDocument.id, routeTemplateId: templateId } }, MANAGER.email);
  return createDocument.id;
}

/** The pending step of `email` on a document (through "My tasks" of the API). */
async function stepOf(email: string, documentId: string): Promise<string> {
  const data = await gql<{ myApprovalTasks: { edges: { node: { id: string; document: { id: string } | null } }[] } }>(
    '{ myApprovalTasks(first: 50) { edges { node { id document { id } } } } }',
    {},
    email,
  );
  const step = data.myApprovalTasks.edges.find((edge) => edge.node.document?.id === documentId);
  if (!step) throw new Error(`${email} has no task for ${documentId}`);
  return step.node.id;
}

async function openBrowser(email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ ...PORTAL_CONTEXT, locale: 'ru-RU' });
  context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
  contexts.push(context);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${email}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`${email}: ${error.message}`));
  await logInThroughUi(page, portal.url, email, password);
  return page;
}

/** The live stream of this page is connected and listening: from here on no change is missed. */
const whenLive = (page: Page) => page.locator('#portal[data-live="listening"]').waitFor();

/** The unread count on the bell, once the bell has loaded it. */
async function unreadCount(page: Page): Promise<number> {
  const bell = page.locator('[data-testid="notification-bell"][data-state="ready"]');
  await bell.waitFor();
  return Number(await bell.getAttribute('data-unread'));
}

const waitForUnread = (page: Page, count: number) =>
  page.locator(`[data-testid="notification-bell"][data-state="ready"][data-unread="${count}"]`).waitFor();

beforeAll(async () => {
  const portalPort = await freePort();
  stack = await startStack({ corsOrigins: [`http://127.0.0.1:${portalPort}`] });
  portal = await startPortal(portalPort, stack.gatewayUrl);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

  await waitForApprovers();
  const input = legalEntityInput({ name: 'ООО «Ромашка Оборудование»' });
  counterpartyName = String(input.name);
  const { createCounterparty } = await gql<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input }, MANAGER.email);
  counterpartyId = createCounterparty.id;

  const { createRouteTemplate } = await gql<{ createRouteTemplate: { id: string } }>(
    'mutation($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id } }',
    {
      input: {
        name: 'Договоры: юрист и бухгалтер, затем директор',
        documentType: 'CONTRACT',
        stages: [
          { name: STAGE_CHECK, mode: 'PARALLEL', rule: 'ALL', steps: [{ role: 'LAWYER', deadlineHours: 48 }, { role: 'ACCOUNTANT', deadlineHours: 48 }] },
          { name: STAGE_SIGN_OFF, mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'DIRECTOR', deadlineHours: 24 }] },
        ],
      },
    },
    'admin@kartoteka.local',
  );
  templateId = createRouteTemplate.id;
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await portal?.close();
  await stack?.stop();
});

describe('approval in the portal, live', () => {
  let author: Page;
  let approver: Page;
  let contractId: string;

  it('shows the lawyer the task in "My tasks" and the bell', async () => {
    contractId = await contractOnApproval('Договор поставки № 7/26-П');

    approver = await openBrowser(LAWYER.email, LAWYER.password);
    expect(await unreadCount(approver)).toBeGreaterThanOrEqual(1); // APPROVAL_TASK

    await approver.getByTestId('nav-tasks').click();
    await approver.waitForURL(/\/tasks$/);
    const task = approver.locator(`[data-testid="approval-task"][data-document-id="${contractId}"]`);
    await task.waitFor();
    await expect(task.getByTestId('task-document-link').textContent()).resolves.toContain('Договор поставки № 7/26-П');
    await expect(task.getByTestId('task-counterparty').textContent()).resolves.toContain(counterpartyName);
    await expect(task.getByTestId('task-stage').textContent()).resolves.toContain(STAGE_CHECK);
    expect(await task.getByTestId('step-approve').isEnabled()).toBe(true);

    // the bell's dropdown says it in words and links to the inbox
    await approver.getByTestId('notification-bell').click();
    const item = approver.locator(`[data-testid="notification-item"][data-kind="APPROVAL_TASK"][data-document-id="${contractId}"]`);
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain(`${MANAGER.name} отправил(а) документ «Договор поставки № 7/26-П» вам на согласование`);
    await approver.getByTestId('notification-bell').click(); // closes it
  });

  it('approves from the card while the author sees the decision arrive live', async () => {
    author = await openBrowser(MANAGER.email, MANAGER.password);
    await author.goto(`${portal.url}counterparties/${counterpartyId}`);
    const authorRow = author.locator(`[data-testid="document-row"][data-id="${contractId}"]`);
    await authorRow.locator('[data-testid="document-status"][data-status="ON_APPROVAL"]').waitFor();
    expect(await authorRow.getByTestId('document-link').getAttribute('href')).toBe(`/documents/${contractId}`);
    expect(await author.getByTestId('document-create').getAttribute('href')).toBe(`/documents/new?counterpartyId=${counterpartyId}`);
    // the author has no step of their own on it
    expect(await author.locator(`[data-testid="document-pending-step"][data-document-id="${contractId}"]`).count()).toBe(0);
    await whenLive(author);
    const before = await unreadCount(author);

    // the lawyer goes from the task to the counterparty card and approves there
    const task = approver.locator(`[data-testid="approval-task"][data-document-id="${contractId}"]`);
    await task.getByTestId('task-counterparty').locator('a').click();
    await approver.waitForURL(new RegExp(`/counterparties/${counterpartyId}$`));
    const pending = approver.locator(`[data-testid="document-pending-step"][data-document-id="${contractId}"]`);
    await pending.waitFor();
    await expect(pending.textContent()).resolves.toContain(STAGE_CHECK);
    expect(await approver.getByTestId('document-create').count()).toBe(0); // a lawyer creates no documents
    await pending.getByTestId('step-approve').click();
    await approver.getByTestId('approve-confirm').click(); // the comment is optional
    await pending.waitFor({ state: 'detached' });

    // no reload on the author's side: the bell counts the decision, the dropdown names the lawyer
    await waitForUnread(author, before + 1);
    await author.getByTestId('notification-bell').click();
    const decision = author.locator(`[data-testid="notification-item"][data-kind="DECISION_MADE"][data-document-id="${contractId}"][data-unread="true"]`);
    await decision.waitFor();
    await expect(decision.textContent()).resolves.toContain(LAWYER.name);
    await author.getByTestId('notification-bell').click();

    // the accountant and then the director decide (through the API): the author's card follows to signed
    // (a signed contract comes into force at once) with the verified mark
    await gql('mutation($input: ApproveStepInput!) { approveStep(input: $input) { id } }', { input: { stepId: await stepOf(ACCOUNTANT.email, contractId) } }, ACCOUNTANT.email);
    await gql('mutation($input: ApproveStepInput!) { approveStep(input: $input) { id } }', { input: { stepId: await stepOf(DIRECTOR.email, contractId) } }, DIRECTOR.email);
    await authorRow.getByTestId('document-verified').waitFor();
    expect(['SIGNED', 'IN_FORCE']).toContain(await authorRow.getByTestId('document-status').getAttribute('data-status'));
    await waitForUnread(author, before + 3); // the accountant's decision and the signature too

    // the lawyer's "My tasks" no longer lists it
    await approver.getByTestId('nav-tasks').click();
    await approver.getByTestId('approval-tasks').waitFor();
    await approver.locator('[data-testid="approval-tasks"][data-state="ready"]').waitFor();
    expect(await approver.locator(`[data-testid="approval-task"][data-document-id="${contractId}"]`).count()).toBe(0);

    // the document's page (in another tab of the author) says who signed it, and its status history shows SIGNED
    // although the contract is in force now
    const tab = await author.context().newPage();
    try {
      await tab.goto(`${portal.url}documents/${contractId}`);
      await tab.getByTestId('detail-signedBy').waitFor();
      expect(await tab.getByTestId('detail-signedBy').textContent()).toContain(DIRECTOR.name);
      const history = await tab.getByTestId('status-history-entry').evaluateAll((entries) => entries.map((entry) => entry.getAttribute('data-status')));
      expect(history.slice(0, 2)).toEqual(['DRAFT', 'ON_APPROVAL']);
      expect(history).toContain('SIGNED');
      expect(history[history.length - 1]).toBe(await authorRow.getByTestId('document-status').getAttribute('data-status'));
    } finally {
      await tab.close();
    }
  });

  it('lists a new task live in "My tasks" and rejects it there with a required comment', async () => {
    await whenLive(approver);
    const before = await unreadCount(author);
    const secondId = await contractOnApproval('Договор аренды № 12/26-А');

    // the open "My tasks" page of the lawyer shows the new task without a reload
    const task = approver.locator(`[data-testid="approval-task"][data-document-id="${secondId}"]`);
    await task.waitFor();
    await task.getByTestId('step-reject').click();
    const dialog = approver.getByTestId('reject-dialog');
    await dialog.waitFor();
    await approver.getByTestId('reject-submit').click();
    await approver.getByTestId('reject-comment-error').waitFor(); // the comment is required
    await approver.getByTestId('reject-comment').fill('Уточните срок аренды в п. 2.1');
    await approver.getByTestId('reject-submit').click();
    await dialog.waitFor({ state: 'detached' });
    await task.waitFor({ state: 'detached' });

    // the author's card shows the rework, the bell says why
    const authorRow = author.locator(`[data-testid="document-row"][data-id="${secondId}"]`);
    await authorRow.locator('[data-testid="document-status"][data-status="REJECTED"]').waitFor();
    await waitForUnread(author, before + 1);
    await author.getByTestId('notification-bell').click();
    const rework = author.locator(`[data-testid="notification-item"][data-kind="REWORK_NEEDED"][data-document-id="${secondId}"]`);
    await rework.waitFor();
    await expect(rework.textContent()).resolves.toContain('Уточните срок аренды в п. 2.1');

    // "mark all read" empties the badge
    await author.getByTestId('notifications-mark-all').click();
    await waitForUnread(author, 0);
    expect(consoleErrors).toEqual([]);
  });
});

describe('a document whose counterparty nobody knows', () => {
  it('the registry renders every row and marks the broken one; its page says the counterparty is unavailable', async () => {
    const { createDocument } = await gql<{ createDocument: { id: string } }>(
      'mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }',
      { input: { type: 'OUTGOING_LETTER', counterpartyId, title: 'Письмо о графике поставки' } },
      MANAGER.email,
    );
    const broken = await insertChangedCopy(stack, 'documents', 'documents', createDocument.id, { counterparty_id: randomUUID(), title: 'Письмо без контрагента' });
    const page = await openBrowser(MANAGER.email, MANAGER.password);
    await page.goto(`${portal.url}documents`);
    const brokenRow = page.locator(`[data-testid="registry-row"][data-id="${broken}"]`);
    await brokenRow.waitFor();
    await expect(brokenRow.getByTestId('documents-row-counterparty-unavailable').textContent()).resolves.toContain('Контрагент недоступен');
    const row = page.locator(`[data-testid="registry-row"][data-id="${createDocument.id}"]`);
    await expect(row.textContent()).resolves.toContain(counterpartyName);
    await page.goto(`${portal.url}documents/${broken}`);
    await page.getByTestId('detail-counterparty-unavailable').waitFor();
    expect(consoleErrors).toEqual([]);
  });
});

describe('documents generated from templates in the portal', () => {
  it('an administrator sees a template with its placeholders; the author generates a version with DOCX and PDF from the document page', async () => {
    const ADMIN = userOf('admin@kartoteka.local');
    const { createDocumentTemplate } = await gql<{ createDocumentTemplate: { id: string } }>(
      'mutation($input: CreateDocumentTemplateInput!) { createDocumentTemplate(input: $input) { id } }',
      { input: { code: 'offer-portal', name: 'КП для портала', documentType: 'COMMERCIAL_OFFER' } },
      ADMIN.email,
    );
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(buildDocx([{ text: 'Коммерческое предложение для {counterparty.name}, ИНН {counterparty.inn}' }]))]), 'kp.docx');
    const uploaded = await fetch(new URL(`/rest/documents/templates/${createDocumentTemplate.id}/versions`, stack.gatewayUrl), { method: 'POST', headers: { authorization: `Bearer ${await stack.login(ADMIN.email)}` }, body: form });
    expect(uploaded.status).toBe(201);

    const admin = await openBrowser(ADMIN.email, ADMIN.password);
    await admin.goto(`${portal.url}settings/document-templates`);
    const card = admin.locator('[data-testid="document-template"][data-code="offer-portal"]');
    await card.waitFor();
    await expect(card.getByTestId('document-template-placeholders').textContent()).resolves.toContain('{counterparty.inn}');
    await admin.getByTestId('document-template-create').waitFor();

    const { createDocument } = await gql<{ createDocument: { id: string } }>(
      'mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }',
      { input: { type: 'COMMERCIAL_OFFER', counterpartyId, title: 'КП по шаблону' } },
      MANAGER.email,
    );
    const author = await openBrowser(MANAGER.email, MANAGER.password);
    await author.goto(`${portal.url}documents/${createDocument.id}`);
    await author.getByTestId('action-generate').click();
    const dialog = author.getByTestId('generate-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('generate-template').click();
    await author.locator('.n-base-select-option', { hasText: 'КП для портала' }).click();
    await author.getByTestId('generate-dialog-confirm').click();
    const files = author.locator('[data-testid="version"][data-number="1"] [data-testid="version-file"]');
    await files.nth(1).waitFor({ timeout: scaled(60_000) });
    const names = await files.allTextContents();
    expect(names.join(' ')).toMatch(/КП по шаблону\.docx/);
    expect(names.join(' ')).toMatch(/КП по шаблону\.pdf/);
    expect(consoleErrors).toEqual([]);
  });
});

describe("the documents app's forms and list filters (useServerForm, useUrlFilters)", () => {
  const ADMIN = userOf('admin@kartoteka.local');
  const FIX_ERRORS = 'Проверьте поля, отмеченные красным.';
  const REQUIRED = 'Заполните поле';

  /** A page of its own (closed in afterAll) whose uncaught errors this block checks by itself. */
  async function formsPage(email: string, password: string): Promise<{ page: Page; pageErrors: string[] }> {
    const context = await browser.newContext({ ...PORTAL_CONTEXT, locale: 'ru-RU', viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
    contexts.push(context);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await logInThroughUi(page, portal.url, email, password);
    return { page, pageErrors };
  }

  const rowIds = (page: Page) => page.locator('[data-testid="registry-row"]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-id')));

  /** Waits until the registry lists exactly `expected` (in this order). */
  async function waitForRows(page: Page, expected: string[]): Promise<void> {
    try {
      await page.waitForFunction(
        (ids) => JSON.stringify([...document.querySelectorAll('[data-testid="registry-row"]')].map((row) => row.getAttribute('data-id'))) === JSON.stringify(ids),
        expected,
      );
    } catch (error) {
      throw new Error(`the registry lists ${JSON.stringify(await rowIds(page))}, not ${JSON.stringify(expected)}: ${String(error)}`);
    }
  }

  const createDocument = async (input: Record<string, unknown>): Promise<string> =>
    (await gql<{ createDocument: { id: string } }>('mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }', { input: { counterpartyId, ...input } }, MANAGER.email))
      .createDocument.id;

  it('the document form: errors under the fields, the banner while any remains, then it creates', async () => {
    const { page, pageErrors } = await formsPage(MANAGER.email, MANAGER.password);
    await page.goto(`${portal.url}documents/new?counterpartyId=${counterpartyId}&type=OTHER`);
    await page.getByTestId('document-form').waitFor();
    expect(await page.getByTestId('form-error').count()).toBe(0);
    await page.getByTestId('field-amount').fill('много');
    await page.getByTestId('document-save').click();

    await page.getByTestId('form-error').waitFor();
    await expect(page.getByTestId('form-error').textContent()).resolves.toContain(FIX_ERRORS);
    await expect(page.getByTestId('error-title').textContent()).resolves.toContain(REQUIRED);
    await expect(page.getByTestId('error-amountMinor').textContent()).resolves.toContain('Введите сумму');
    expect(page.url()).toContain('/documents/new');

    // the title fixed: its error goes, the banner stays while the amount is wrong
    await page.getByTestId('field-title').fill('Письмо о сверке форм');
    await page.getByTestId('error-title').waitFor({ state: 'detached' });
    expect(await page.getByTestId('error-amountMinor').isVisible()).toBe(true);
    expect(await page.getByTestId('form-error').isVisible()).toBe(true);

    // the amount fixed: no error remains, so the banner goes
    await page.getByTestId('field-amount').fill('12 500,00');
    await page.getByTestId('error-amountMinor').waitFor({ state: 'detached' });
    await page.getByTestId('form-error').waitFor({ state: 'detached' });

    await page.getByTestId('document-save').click();
    await page.waitForURL((url) => /^\/documents\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/new'));
    await page.getByTestId('document-page').waitFor();
    await expect(page.getByTestId('document-page-title').textContent()).resolves.toContain('Письмо о сверке форм');
    const id = new URL(page.url()).pathname.split('/').pop();
    const { document } = await gql<{ document: { title: string; type: string; counterpartyId: string; amount: { minor: number } | null } | null }>(
      'query($id: ID!) { document(id: $id) { title type counterpartyId amount { minor } } }',
      { id },
      MANAGER.email,
    );
    expect(document).toEqual({ title: 'Письмо о сверке форм', type: 'OTHER', counterpartyId, amount: { minor: 12_500_00 } });
    expect(pageErrors).toEqual([]);
  });

  it('the registry keeps its filters and order in the URL over a reload; "reset" clears the filters, not the order', async () => {
    const MARK = 'Реестр-фильтр';
    const first = await createDocument({ type: 'OTHER', title: `${MARK}: акт сверки А`, date: '2026-03-01' });
    const second = await createDocument({ type: 'OTHER', title: `${MARK}: акт сверки Б`, date: '2026-04-01' });
    await createDocument({ type: 'OTHER', title: `${MARK}: старый акт`, date: '2019-05-01' }); // before `from`
    const letter = await createDocument({ type: 'OUTGOING_LETTER', title: `${MARK}: письмо`, date: '2026-03-05' }); // another type

    const { page, pageErrors } = await formsPage(MANAGER.email, MANAGER.password);
    await page.goto(`${portal.url}documents?${new URLSearchParams({ q: MARK, type: 'OTHER', from: '2020-01-01', sort: 'title', dir: 'desc' })}`);
    await waitForRows(page, [second, first]);
    await page.reload();
    await waitForRows(page, [second, first]);
    expect(await page.getByTestId('documents-search').inputValue()).toBe(MARK);
    const params = () => {
      const url = new URL(page.url());
      return Object.fromEntries(['q', 'type', 'from', 'sort', 'dir'].map((key) => [key, url.searchParams.get(key)]));
    };
    expect(params()).toEqual({ q: MARK, type: 'OTHER', from: '2020-01-01', sort: 'title', dir: 'desc' });

    // a search typed into the box goes to the URL and survives a reload too
    await page.getByTestId('documents-search').fill(`${MARK}: акт сверки А`);
    await page.waitForURL((url) => url.searchParams.get('q') === `${MARK}: акт сверки А`);
    await waitForRows(page, [first]);
    await page.reload();
    await waitForRows(page, [first]);
    expect(await page.getByTestId('documents-search').inputValue()).toBe(`${MARK}: акт сверки А`);

    await page.getByTestId('documents-reset').click();
    await page.waitForURL((url) => !url.searchParams.has('q') && !url.searchParams.has('type') && !url.searchParams.has('from'));
    expect(params()).toEqual({ q: null, type: null, from: null, sort: 'title', dir: 'desc' });
    expect(await page.getByTestId('documents-search').inputValue()).toBe('');
    await page.locator(`[data-testid="registry-row"][data-id="${letter}"]`).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('the template dialog: a server error stays under the code until the code changes; the type filter stays in the URL', async () => {
    const createTemplate = (code: string, documentType: string) =>
      gql('mutation($input: CreateDocumentTemplateInput!) { createDocumentTemplate(input: $input) { id } }', { input: { code, name: `Шаблон ${code}`, documentType } }, ADMIN.email);
    await createTemplate('forms-contract', 'CONTRACT');
    await createTemplate('forms-taken', 'COMMERCIAL_OFFER');

    const { page, pageErrors } = await formsPage(ADMIN.email, ADMIN.password);
    await page.goto(`${portal.url}settings/document-templates?type=CONTRACT`);
    await page.reload();
    const listed = () => page.locator('[data-testid="document-template"]').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-code')));
    await page.locator('[data-testid="document-template"][data-code="forms-contract"]').waitFor();
    expect(await listed()).not.toContain('forms-taken'); // the filter applies after the reload
    expect(new URL(page.url()).searchParams.get('type')).toBe('CONTRACT');

    await page.getByTestId('document-template-create').click();
    const nameInput = page.getByTestId('document-template-name-input').locator('input');
    const codeInput = page.getByTestId('document-template-code-input').locator('input');
    await nameInput.fill('Договор по шаблону форм');
    await codeInput.fill('Bad Code');
    await page.getByTestId('document-template-create-dialog-confirm').click();
    const codeError = page.getByTestId('error-code');
    await codeError.waitFor();
    await expect(codeError.textContent()).resolves.toContain('lower-case');

    // another field changes: the error stays under the code
    await nameInput.fill('Договор по шаблону форм, редакция 2');
    expect(await nameInput.inputValue()).toBe('Договор по шаблону форм, редакция 2');
    expect(await codeError.isVisible()).toBe(true);
    await expect(codeError.textContent()).resolves.toContain('lower-case');

    // the code changes: the error goes; a taken code brings the server's next error under it
    await codeInput.fill('forms-taken');
    await codeError.waitFor({ state: 'detached' });
    await page.getByTestId('document-template-create-dialog-confirm').click();
    await codeError.waitFor();
    await expect(codeError.textContent()).resolves.toContain('exists already');

    await codeInput.fill('forms-new-contract');
    await codeError.waitFor({ state: 'detached' });
    await page.getByTestId('document-template-create-dialog-confirm').click();
    await page.getByTestId('document-template-create-dialog').waitFor({ state: 'detached' });
    // created with the filter's type: it is listed under the CONTRACT filter
    await page.locator('[data-testid="document-template"][data-code="forms-new-contract"]').waitFor();
    expect(new URL(page.url()).searchParams.get('type')).toBe('CONTRACT');
    expect(pageErrors).toEqual([]);
  });

  it('route templates: the type filter survives a reload; errors under the fields, the banner while any remains, then it saves', async () => {
    const { createRouteTemplate: letters } = await gql<{ createRouteTemplate: { id: string } }>(
      'mutation($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id } }',
      { input: { name: 'Письма: проверка юристом', documentType: 'OUTGOING_LETTER', stages: [{ name: 'Проверка', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'LAWYER', deadlineHours: 24 }] }] } },
      ADMIN.email,
    );

    const { page, pageErrors } = await formsPage(ADMIN.email, ADMIN.password);
    await page.goto(`${portal.url}settings/route-templates?type=OUTGOING_LETTER`);
    await page.getByTestId('route-templates').waitFor();
    await page.reload();
    const items = page.locator('[data-testid="template-item"]');
    await page.locator(`[data-testid="template-item"][data-id="${letters.id}"]`).waitFor();
    expect(await items.evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-id')))).not.toContain(templateId); // a CONTRACT template
    expect(new URL(page.url()).searchParams.get('type')).toBe('OUTGOING_LETTER');

    await page.getByTestId('template-create').click();
    await page.locator('[data-testid="template-editor"][data-id="new"]').waitFor();
    expect(await page.getByTestId('template-form-error').count()).toBe(0);
    await page.getByTestId('template-save').click();
    const banner = page.getByTestId('template-form-error');
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toContain(FIX_ERRORS);
    await expect(page.getByTestId('error-name').textContent()).resolves.toContain(REQUIRED);
    await page.getByTestId('error-stages.0.name').waitFor();
    await page.getByTestId('error-stages.0.steps.0.approver').waitFor();

    await page.getByTestId('template-name').fill('Письма: согласование форм');
    await page.getByTestId('error-name').waitFor({ state: 'detached' });
    await page.getByTestId('template-stage-name').fill('Юридическая проверка');
    await page.getByTestId('error-stages.0.name').waitFor({ state: 'detached' });
    expect(await banner.isVisible()).toBe(true); // the approver is still missing

    await page.getByTestId('template-step-kind-role').click();
    await page.getByTestId('template-step-role').click();
    await page.locator('.n-base-select-option', { hasText: 'Юрист' }).first().click();
    await page.getByTestId('error-stages.0.steps.0.approver').waitFor({ state: 'detached' });
    await banner.waitFor({ state: 'detached' });

    await page.getByTestId('template-save').click();
    await page.waitForURL((url) => url.searchParams.has('template'));
    const savedId = new URL(page.url()).searchParams.get('template');
    await page.locator(`[data-testid="template-editor"][data-id="${savedId}"]`).waitFor();
    await page.locator(`[data-testid="template-item"][data-id="${savedId}"]`).waitFor();
    expect(new URL(page.url()).searchParams.get('type')).toBe('OUTGOING_LETTER');
    const { routeTemplate } = await gql<{ routeTemplate: { name: string; documentType: string } | null }>(
      'query($id: ID!) { routeTemplate(id: $id) { name documentType } }',
      { id: savedId },
      ADMIN.email,
    );
    expect(routeTemplate).toEqual({ name: 'Письма: согласование форм', documentType: 'OUTGOING_LETTER' }); // the filter's type
    expect(pageErrors).toEqual([]);
  });
});
