import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { DEMO_USERS } from '@kartoteka/kit';
import { CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { BROWSER_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, freePort, PORTAL_CONTEXT, logInThroughUi, startPortal, type PortalServer } from '../support/portal';
import { startStack, type Stack } from '../support/stack';
import { scaled } from '../support/timing';

/**
 * The lawyer's working day with documents: "My day" lists the contract waiting for their step; from its row they
 * open the counterparty's card, approve inline with a comment and are told what happens next (the accountant's
 * step, by name); the bell counts the request as handled at once, in this tab and in another one open on the home
 * page (whose "My day" drops the contract too). The card previews the contract's PDF from its row. The registry
 * sorts by a column on the server. And the "done" test: the same day on a 390×844 phone — "My day", the
 * card, the inline approval with a comment, the bell and the "My tasks" count each one lower, no sideways scrolling.
 */

const userOf = (email: string) => {
  const user = DEMO_USERS.find((candidate) => candidate.email === email);
  if (!user) throw new Error(`no demo user ${email}`);
  return user;
};
const MANAGER = userOf('manager@kartoteka.local');
/** The demo lawyer (roles APPROVER and LAWYER). */
const LAWYER = userOf('approver@kartoteka.local');
const ACCOUNTANT = userOf('accountant@kartoteka.local');
const DIRECTOR = userOf('director@kartoteka.local');

const TITLE = 'Договор оказания юридических услуг № 12/26';
const COMMENT = 'Замечаний нет, риски приемлемы';
const PHONE_TITLE = 'Договор на абонентское обслуживание № 14/26';
/** The phone: 390×844 CSS pixels. */
const PHONE = { width: 390, height: 844 };

let stack: Stack;
let portal: PortalServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let home: Page;
const consoleErrors: string[] = [];

let counterpartyId: string;
let contractId: string;
let fileId: string;

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

let routeTemplateId: string | null = null;

/** The contract with a PDF, on its way: the lawyer, then the accountant, then the director's sign-off. */
async function contractOnApproval(title = TITLE): Promise<{ documentId: string; fileId: string }> {
  const form = new FormData();
  const pdf = `%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
  form.append('files', new Blob([pdf], { type: 'application/pdf' }), 'dogovor-12-26.pdf');
  const upload = await fetch(new URL('/rest/documents/files', stack.gatewayUrl), { method: 'POST', headers: { authorization: `Bearer ${await stack.login(MANAGER.email)}` }, body: form });
  const uploaded = (await upload.json()) as { files?: { id: string }[] };
  if (upload.status !== 201 || !uploaded.files?.[0]) throw new Error(`upload failed: ${upload.status} ${JSON.stringify(uploaded)}`);
  routeTemplateId ??= (await gql<{ createRouteTemplate: { id: string } }>(
    'mutation($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id } }',
    {
      input: {
        name: 'Договор: юрист, бухгалтер, директор',
        documentType: 'CONTRACT',
        stages: [
          { name: 'Правовая экспертиза', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'LAWYER', deadlineHours: 24 }] },
          { name: 'Финансовая проверка', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'ACCOUNTANT', deadlineHours: 24 }] },
          { name: 'Утверждение', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'DIRECTOR', deadlineHours: 24 }] },
        ],
      },
    },
    'admin@kartoteka.local',
  )).createRouteTemplate.id;
  const { createDocument } = await gql<{ createDocument: { id: string } }>(
    'mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }',
    {
      input: {
        type: 'CONTRACT',
        counterpartyId,
        title,
        date: '2026-11-20',
        amountMinor: 480_000_00,
        currency: 'RUB',
        contract: { subject: 'Юридическое сопровождение', startDate: '2027-01-01' },
        fileIds: [uploaded.files[0].id],
      },
    },
    MANAGER.email,
  );
  await gql('mutation($input: StartApprovalInput!) { startApproval(input: $input) { id } }', { input: { documentId: createDocument.id, routeTemplateId } }, MANAGER.email);
  return { documentId: createDocument.id, fileId: uploaded.files[0].id };
}

const whenLive = (target: Page) => target.locator('#portal[data-live="listening"]').waitFor();

/** The unread count on the bell, once the bell has loaded it. */
async function unreadCount(target: Page): Promise<number> {
  const bell = target.locator('[data-testid="notification-bell"][data-state="ready"]');
  await bell.waitFor();
  return Number(await bell.getAttribute('data-unread'));
}

const waitForUnread = (target: Page, count: number) => target.locator(`[data-testid="notification-bell"][data-state="ready"][data-unread="${count}"]`).waitFor();

/** The element's text with every kind of space as a plain one. */
const textOf = async (locator: Locator): Promise<string> => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();

beforeAll(async () => {
  const portalPort = await freePort();
  stack = await startStack({ corsOrigins: [`http://127.0.0.1:${portalPort}`] });
  portal = await startPortal(portalPort, stack.gatewayUrl);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

  await waitForApprovers();
  const { createCounterparty } = await gql<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput({ name: 'ООО «Правовой Альянс»' }) }, MANAGER.email);
  counterpartyId = createCounterparty.id;
  ({ documentId: contractId, fileId } = await contractOnApproval());

  context = await browser.newContext({ ...PORTAL_CONTEXT, locale: 'ru-RU', viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await logInThroughUi(page, portal.url, LAWYER.email, LAWYER.password);
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await portal?.close();
  await stack?.stop();
});

describe('documents in the workplace', () => {
  it('"My day" lists the contract waiting for the lawyer, with links to it and to its counterparty', async () => {
    const panel = page.locator('[data-testid="myday-documents"][data-state="ready"]');
    await panel.waitFor();
    const row = panel.locator(`[data-testid="myday-document"][data-kind="approval"][data-document-id="${contractId}"]`);
    await row.waitFor();
    expect(await textOf(row)).toContain(TITLE);
    expect(await textOf(row)).toContain('Правовая экспертиза');
    await expect(row.getByTestId('myday-document-link').getAttribute('href')).resolves.toBe(`/documents/${contractId}`);
    await expect(row.getByTestId('myday-document-counterparty').getAttribute('href')).resolves.toBe(`/counterparties/${counterpartyId}`);
    await expect(panel.getByTestId('myday-approvals-all').getAttribute('href')).resolves.toBe('/tasks');
  });

  it('approves on the card with a comment, is told the next step, and the bell counts the request as handled in every tab', async () => {
    // A second tab on the home page: it hears the decision over the live stream.
    home = await context.newPage();
    await home.goto(portal.url);
    await home.locator(`[data-testid="myday-document"][data-document-id="${contractId}"]`).waitFor();
    await whenLive(home);
    await whenLive(page);
    const before = await unreadCount(page);
    expect(before).toBeGreaterThanOrEqual(1); // the approval request
    await waitForUnread(home, before);

    await page.locator(`[data-testid="myday-document"][data-document-id="${contractId}"]`).getByTestId('myday-document-counterparty').click();
    await page.waitForURL(new RegExp(`/counterparties/${counterpartyId}$`));
    const row = page.locator(`[data-testid="document-row"][data-id="${contractId}"]`);
    // Who must act now: the lawyer, by name and role.
    expect(await textOf(row.getByTestId('document-awaiting'))).toContain(LAWYER.name);
    const pending = page.locator(`[data-testid="document-pending-step"][data-document-id="${contractId}"]`);
    await pending.getByTestId('step-approve').click();
    const comment = page.getByTestId('approve-comment');
    await comment.waitFor();
    // Cancel first: nothing is decided.
    await page.getByTestId('approve-cancel').click();
    await comment.waitFor({ state: 'detached' });
    expect(await pending.count()).toBe(1);

    await pending.getByTestId('step-approve').click();
    await page.getByTestId('approve-comment').fill(COMMENT);
    await page.getByTestId('approve-confirm').click();
    const result = page.getByTestId('decision-result');
    await result.waitFor();
    const said = await textOf(result);
    expect(said).toContain('Согласовано.');
    expect(said).toContain(`Теперь ждём: Бухгалтер (${ACCOUNTANT.name})`);
    await pending.waitFor({ state: 'detached' });
    // The row follows: now the accountant must act.
    await row.locator('[data-testid="document-awaiting"]', { hasText: ACCOUNTANT.name }).waitFor();

    // The request is handled: both tabs' bells drop without a reload, the other tab's "My day" drops the contract.
    await waitForUnread(page, before - 1);
    await waitForUnread(home, before - 1);
    await home.locator(`[data-testid="myday-document"][data-document-id="${contractId}"]`).waitFor({ state: 'detached' });

    // The API agrees: the comment is on the lawyer's decision, the request handled.
    const data = await gql<{ document: { approvalRoute: { stages: { steps: { status: string; comment: string | null }[] }[] } } }>(
      'query($id: ID!) { document(id: $id) { approvalRoute { stages { steps { status comment } } } } }',
      { id: contractId },
      LAWYER.email,
    );
    expect(data.document.approvalRoute.stages[0].steps[0]).toEqual({ status: 'APPROVED', comment: COMMENT });
    const inbox = await gql<{ notifications: { edges: { node: { kind: string; documentId: string | null; readAt: string | null; handledAt: string | null } }[] } }>(
      '{ notifications(first: 50) { edges { node { kind documentId readAt handledAt } } } }',
      {},
      LAWYER.email,
    );
    const request = inbox.notifications.edges.map((edge) => edge.node).find((node) => node.kind === 'APPROVAL_TASK' && node.documentId === contractId);
    expect(request?.handledAt).toBeTruthy();
    expect(request?.readAt).toBeTruthy();
    // the second tab is done: the next tests work in the first one, in front again. (With that tab left open, the
    // preview's dialog below stayed open after Escape in 2 of 6 runs of this file under load; 0 of 3 since.)
    await home.close();
    await page.bringToFront();
  });

  it('sorts the registry by a column on the server, keeps the sort in the URL and shows who must act', async () => {
    await page.goto(`${portal.url}documents?sort=title&dir=desc`);
    const title = page.getByTestId('registry-sort-title');
    await expect(title.getAttribute('aria-sort')).resolves.toBe('descending');
    const row = page.locator(`[data-testid="registry-row"][data-id="${contractId}"]`);
    expect(await textOf(row.getByTestId('registry-awaiting'))).toContain(`${ACCOUNTANT.name} (бухгалтер)`);

    const amount = page.getByTestId('registry-sort-amount');
    await amount.getByRole('button').click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'amount' && url.searchParams.get('dir') === 'asc');
    await expect(amount.getAttribute('aria-sort')).resolves.toBe('ascending');
    await expect(title.getAttribute('aria-sort')).resolves.toBe('none');
    await amount.getByRole('button').press('Enter');
    await page.waitForURL((url) => url.searchParams.get('dir') === 'desc');
    await page.locator('[data-testid="registry-sort-amount"][aria-sort="descending"]').waitFor();
    await row.waitFor();
  });

  it("previews the contract's PDF from its row on the card, by keyboard", async () => {
    await page.goto(`${portal.url}counterparties/${counterpartyId}`);
    const preview = page.locator(`[data-testid="document-row"][data-id="${contractId}"]`).getByTestId('document-preview');
    await expect(preview.getAttribute('data-file-id')).resolves.toBe(fileId);
    await preview.focus();
    await page.keyboard.press('Enter');
    const modal = page.getByTestId('file-preview');
    await modal.waitFor();
    expect(await textOf(modal)).toContain('dogovor-12-26.pdf');
    await modal.locator('[data-kind="pdf"][data-ready="true"]').waitFor();
    await page.getByTestId('file-preview-frame').waitFor();
    // Chromium's PDF viewer takes the focus by itself once it shows the file; the dialog takes it back, so that
    // the keyboard still reaches the dialog (and Escape closes it)
    await page.locator('[data-testid="file-preview-frame"][data-viewer-focus="returned"]').waitFor();
    await expect(page.evaluate(() => document.hasFocus() && document.activeElement?.closest('[data-testid="file-preview"]') !== null)).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'detached' });
    expect(consoleErrors.filter((text) => /documents|FilePreview|vue/i.test(text))).toEqual([]);
  });

  it('on a phone (390×844): finds the contract in "My day", approves it with a comment on the card, the bell and the task count drop by one, nothing scrolls sideways', async () => {
    // Two contracts wait for the lawyer: the one approved here, and one that keeps the task count above zero.
    const { documentId: phoneContractId } = await contractOnApproval(PHONE_TITLE);
    await contractOnApproval(`${PHONE_TITLE} (второй)`);
    const phoneContext = await browser.newContext({ ...PORTAL_CONTEXT, locale: 'ru-RU', viewport: { width: PHONE.width, height: PHONE.height }, isMobile: true, hasTouch: true });
    phoneContext.setDefaultTimeout(BROWSER_TIMEOUT_MS);
    try {
      const phone = await phoneContext.newPage();
      /** The page is no wider than the phone; when it is, the failure names what sticks out past the viewport. */
      const expectNoSidewaysScroll = async (): Promise<void> => {
        const { width, wide } = await phone.evaluate((limit) => {
          const sticksOut = (element: Element) => element.getBoundingClientRect().right > limit + 1;
          return {
            width: document.documentElement.scrollWidth,
            wide: [...document.querySelectorAll<HTMLElement>('body *')]
              .filter((element) => sticksOut(element) && ![...element.children].some(sticksOut))
              .slice(0, 10)
              .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}[${element.dataset.testid ?? ''}] → ${Math.round(element.getBoundingClientRect().right)}px`),
          };
        }, PHONE.width);
        expect({ width: Math.min(width, PHONE.width), wide: width > PHONE.width ? wide : [] }).toEqual({ width, wide: [] });
      };
      await logInThroughUi(phone, portal.url, LAWYER.email, LAWYER.password);

      // Home, "My day": the contract waiting for the lawyer's step.
      const row = phone.locator(`[data-testid="myday-documents"][data-state="ready"] [data-testid="myday-document"][data-document-id="${phoneContractId}"]`);
      await row.waitFor();
      expect(await textOf(row)).toContain(PHONE_TITLE);
      await whenLive(phone);
      const bellBefore = await unreadCount(phone);
      // The "My tasks" count, once loaded (at least the two approvals), from the link in the folded menu.
      const navTasks = phone.locator('[data-testid="nav-tasks"][data-count]:not([data-count="0"])');
      const tasksBefore = Number(await navTasks.getAttribute('data-count'));
      expect(tasksBefore).toBeGreaterThanOrEqual(2);
      // The menu is folded: its button says so; the links appear when it opens.
      const toggle = phone.getByTestId('nav-toggle');
      await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
      expect(await phone.getByTestId('nav-tasks').isVisible()).toBe(false);
      await expectNoSidewaysScroll();

      // The counterparty's card, from the row.
      await row.getByTestId('myday-document-counterparty').click();
      await phone.waitForURL(new RegExp(`/counterparties/${counterpartyId}$`));
      const pending = phone.locator(`[data-testid="document-pending-step"][data-document-id="${phoneContractId}"]`);
      await pending.waitFor();
      await expectNoSidewaysScroll();

      // Approve with a comment; the result names the next step.
      await pending.getByTestId('step-approve').click();
      await phone.getByTestId('approve-comment').fill(COMMENT);
      await phone.getByTestId('approve-confirm').click();
      const result = phone.getByTestId('decision-result');
      await result.waitFor();
      const said = await textOf(result);
      expect(said).toContain('Согласовано.');
      expect(said).toContain(`Теперь ждём: Бухгалтер (${ACCOUNTANT.name})`);
      await pending.waitFor({ state: 'detached' });
      await expectNoSidewaysScroll();

      // The bell (in the header's top row) and the "My tasks" badge (in the menu) each drop by one, without a reload.
      await waitForUnread(phone, bellBefore - 1);
      await toggle.click();
      await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
      const badge = phone.getByTestId('nav-tasks-count');
      await phone.locator(`[data-testid="nav-tasks"][data-count="${tasksBefore - 1}"]`).waitFor();
      await badge.waitFor({ state: 'visible' });
      expect(await textOf(badge)).toBe(String(tasksBefore - 1));
      await expectNoSidewaysScroll();
    } finally {
      await phoneContext.close();
    }
  });
});
