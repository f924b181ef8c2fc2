import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_USERS } from '@kartoteka/kit';
import { startSmtpSink, type SmtpSink } from '@kartoteka/kit/testing';
import { defaultDeliverySettings } from '../../../services/mailings/src/modules/delivery/delivery.settings';
import { CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { BROWSER_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, freePort, PORTAL_CONTEXT, logInThroughUi, startPortal, type PortalServer } from '../support/portal';
import { startStack, type Stack } from '../support/stack';
import { axeViolations, pageOverflow } from '../support/accessibility';
import { eventually } from '../support/timing';

/**
 * The mailings pages as a manager uses them (issue 12): a new mailing with the starter template, its audience
 * counted live from a tag, the preview in a sandboxed iframe — where neither a `<script>` nor an `onerror`
 * handler of the template runs, in the frame or in the portal — saved and submitted for approval (the EDMS
 * document linked); approved through the API by whoever holds the step, then started from the page: the progress
 * and each recipient's status show. The page has no serious axe violation and no sideways scroll at 390×844.
 */
const userOf = (email: string) => {
  const user = DEMO_USERS.find((candidate) => candidate.email === email);
  if (!user) throw new Error(`no demo user ${email}`);
  return user;
};
const MANAGER = userOf('manager@kartoteka.local');
/** Staff who may hold an approval step of the mailing's route (whoever has it in `myApprovalTasks` decides). */
const DECIDERS = ['approver@kartoteka.local', 'director@kartoteka.local', 'admin@kartoteka.local', 'accountant@kartoteka.local'];
const TAG = `h3-offer-${randomUUID().slice(0, 8)}`;
const EMAILS = [`anna.${TAG}@example.ru`, `boris.${TAG}@example.ru`];

/** Marks of script that must never run: in the portal (`window.__pwned`, `body[data-pwned]`) or in the preview's frame. */
const HOSTILE = `<script>window.__pwned = 1; try { parent.__pwned = 1; parent.document.body.dataset.pwned = 'script'; } catch (e) {}</script>
<img src="x" onerror="window.__pwned = 2; document.body.setAttribute('data-pwned', 'img'); try { parent.__pwned = 2; } catch (e) {}">`;

let stack: Stack;
let smtp: SmtpSink;
let portal: PortalServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let mailingId: string;
const consoleErrors: string[] = [];

async function gql<T>(query: string, variables: Record<string, unknown>, email: string): Promise<T> {
  const result = await stack.call<T>(query, variables, await stack.login(email));
  if (result.errors?.length || !result.data) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** Every pending step of the mailing's approval document, decided by whoever holds it, until the mailing reaches `expected`. */
async function decide(id: string, decision: 'approve' | 'reject', expected: string): Promise<void> {
  await eventually(async () => {
    const { mailing } = await gql<{ mailing: { status: string; approvalDocumentId: string | null } }>('query($id: ID!) { mailing(id: $id) { status approvalDocumentId } }', { id }, MANAGER.email);
    if (mailing.status === expected) return true;
    for (const email of DECIDERS) {
      const tasks = await gql<{ myApprovalTasks: { edges: { node: { id: string; document: { id: string } } }[] } }>('{ myApprovalTasks(first: 50) { edges { node { id document { id } } } } }', {}, email);
      for (const edge of tasks.myApprovalTasks.edges.filter((candidate) => candidate.node.document.id === mailing.approvalDocumentId)) {
        if (decision === 'approve') await gql('mutation($input: ApproveStepInput!) { approveStep(input: $input) { id } }', { input: { stepId: edge.node.id, comment: 'Согласовано' } }, email);
        else await gql('mutation($input: RejectStepInput!) { rejectStep(input: $input) { id } }', { input: { stepId: edge.node.id, comment: 'Уточните условия оплаты' } }, email);
      }
    }
    await stack.settleAll();
    return false;
  }, `the mailing ${expected.toLowerCase()} through its EDMS route`);
}

beforeAll(async () => {
  const portalPort = await freePort();
  // the sending worker of mailings delivers to a real SMTP sink
  smtp = await startSmtpSink();
  const delivery = defaultDeliverySettings({ smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: null, password: null }, pollIntervalMs: 100 });
  stack = await startStack({
    corsOrigins: [`http://127.0.0.1:${portalPort}`],
    mailings: { delivery },
  });
  // the unsubscribe links in the messages point at this stack's gateway (the worker reads the settings per message)
  delivery.publicBaseUrl = stack.gatewayUrl.replace(/\/graphql$/, '');
  portal = await startPortal(portalPort, stack.gatewayUrl);
  // two prospects carrying this run's tag, each with a contact who agreed to mailings
  for (const [index, email] of EMAILS.entries()) {
    await gql(
      CREATE_COUNTERPARTY,
      { input: legalEntityInput({ status: 'PROSPECT', tags: [TAG], contacts: [{ name: index === 0 ? 'Анна Ключевская' : 'Борис Орлов', email, mailingConsent: true }] }) },
      MANAGER.email,
    );
  }
  // commercial offers (the mailing's approval document) are approved by an approver on their default route
  await gql(
    'mutation($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id } }',
    { input: { name: 'Рассылки: согласование', documentType: 'COMMERCIAL_OFFER', isDefault: true, stages: [{ name: 'Согласование', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'APPROVER', deadlineHours: 24 }] }] } },
    'admin@kartoteka.local',
  );
  await stack.settleAll();

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  context = await browser.newContext({ ...PORTAL_CONTEXT, locale: 'ru-RU', viewport: { width: 1280, height: 1000 } });
  context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await logInThroughUi(page, portal.url, MANAGER.email, MANAGER.password);
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await portal?.close();
  await stack?.stop();
  await smtp?.close();
});

describe('offer mailings in the portal', () => {
  it('creates a mailing: live audience count, sandboxed preview where no script runs, submitted for approval', async () => {
    await page.getByTestId('nav-mailings').click();
    await page.getByTestId('mailings-list').waitFor();
    await page.getByTestId('mailings-create').click();
    await page.waitForURL((url) => url.pathname === '/mailings/new');
    const form = page.getByTestId('mailing-form');
    // the starter template is there, with the placeholders
    await expect(form.getByTestId('field-bodyMjml').inputValue()).resolves.toContain('<mjml>');

    await form.getByTestId('field-name').locator('input').fill('Предложение для выставки');
    await form.getByTestId('field-subject').locator('input').fill('Предложение для ');
    // a placeholder goes where the cursor was: the end of the subject
    await page.getByTestId('placeholder-companyName').click();
    await expect(form.getByTestId('field-subject').locator('input').inputValue()).resolves.toBe('Предложение для {{company.name}}');

    // the audience: this run's tag only (status left at its default, prospects)
    await page.getByTestId('audience-tags').locator('input').fill(TAG);
    await eventually(async () => (await page.getByTestId('audience-count').getAttribute('data-count')) === String(EMAILS.length), 'the live count of the tag’s audience');
    await expect(page.getByTestId('audience-sample-member').evaluateAll((items) => items.map((item) => item.getAttribute('data-email')).sort())).resolves.toEqual([...EMAILS].sort());

    // hostile content in the body: the preview shows it in a sandbox, and nothing runs anywhere
    const body = await form.getByTestId('field-bodyMjml').inputValue();
    await form.getByTestId('field-bodyMjml').fill(body.replace('</mj-column>', `<mj-text>Особые условия</mj-text><mj-raw>${HOSTILE}</mj-raw><mj-text>${HOSTILE}</mj-text></mj-column>`));
    const frame = page.getByTestId('mailing-preview-frame');
    await expect(frame.getAttribute('sandbox')).resolves.toBe('');
    const preview = page.frameLocator('[data-testid="mailing-preview-frame"]');
    await preview.getByText('Особые условия').waitFor();
    // personalized for a sample recipient of the audience
    await eventually(async () => ((await page.getByTestId('mailing-preview-subject').textContent()) ?? '').includes('Тестовая Компания'), 'the subject personalized for a sample recipient');
    await page.waitForTimeout(300); // would give an onerror of a broken image time to fire (it must not)
    await expect(page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? null)).resolves.toBeNull();
    await expect(page.evaluate(() => document.body.dataset.pwned ?? null)).resolves.toBeNull();
    await expect(preview.locator('body').getAttribute('data-pwned')).resolves.toBeNull();

    await page.getByTestId('mailing-save').click();
    await page.waitForURL((url) => /^\/mailings\/[^/]+$/.test(url.pathname) && url.pathname !== '/mailings/new');
    mailingId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]);
    const mailingPage = page.locator(`[data-testid="mailing-page"][data-id="${mailingId}"]`);
    await mailingPage.locator('[data-testid="mailing-status"][data-status="DRAFT"]').waitFor();
    // sanitized on save: the stored body has no script left, and still nothing ran
    await eventually(async () => !(await page.getByTestId('field-bodyMjml').inputValue()).includes('<script'), 'the stored body without the script');
    await expect(page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? null)).resolves.toBeNull();

    // accessible, and no sideways scroll on a phone
    await page.getByTestId('mailing-preview-frame').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    const phone = await pageOverflow(page);
    expect(phone.widest).toEqual([]);
    expect(phone.scroll).toBeLessThanOrEqual(phone.viewport);
    await page.setViewportSize({ width: 1280, height: 1000 });

    await page.getByTestId('mailing-submit').click();
    await mailingPage.locator('[data-testid="mailing-status"][data-status="ON_APPROVAL"]').waitFor();
    const link = page.getByTestId('mailing-approval-document');
    await expect(link.getAttribute('href')).resolves.toMatch(/^\/documents\/[^/]+$/);
    // the list shows it with its status
    await page.getByTestId('mailing-back').click();
    await page.locator(`[data-testid="mailing-row"][data-id="${mailingId}"][data-status="ON_APPROVAL"]`).waitFor();
    // (a script the sandbox refused would be reported as "Blocked script execution in 'about:srcdoc'": not an error of the portal)
    expect(consoleErrors.filter((text) => !/favicon|Blocked script execution in 'about:srcdoc'/.test(text))).toEqual([]);
  });

  it('rejected in the EDMS, corrected and approved, it is started from the page: progress and each recipient’s status', async () => {
    // rejected with a comment: the page says why and lets the manager edit again
    await decide(mailingId, 'reject', 'REJECTED');
    await page.goto(`${portal.url}mailings/${mailingId}`);
    await page.locator('[data-testid="mailing-status"][data-status="REJECTED"]').waitFor();
    await expect(page.getByTestId('mailing-rejected-comment').textContent()).resolves.toContain('Уточните условия');
    await page.getByTestId('field-name').locator('input').fill('Предложение для выставки (условия уточнены)');
    await page.getByTestId('mailing-save').click();
    await page.locator('[data-testid="mailing-status"][data-status="DRAFT"]').waitFor();
    await page.getByTestId('mailing-submit').click();
    await page.locator('[data-testid="mailing-status"][data-status="ON_APPROVAL"]').waitFor();

    await decide(mailingId, 'approve', 'APPROVED');
    await page.goto(`${portal.url}mailings/${mailingId}`);
    await page.locator('[data-testid="mailing-status"][data-status="APPROVED"]').waitFor();
    await page.getByTestId('mailing-start').click();
    await page.getByTestId('mailing-start-dialog-confirm').click();
    await page.locator('[data-testid="mailing-page"][data-status="SENDING"], [data-testid="mailing-page"][data-status="COMPLETED"]').waitFor();
    await page.locator(`[data-testid="mailing-progress-bar"][data-total="${EMAILS.length}"]`).waitFor();
    // the recipients with their status; the page follows the sending by itself (no reload)
    const shown = () => page.getByTestId('recipient-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-email')).sort().join(','));
    await eventually(async () => (await shown()) === [...EMAILS].sort().join(','), 'both recipients listed');
    await page.locator(`[data-testid="mailing-progress-bar"][data-done="${EMAILS.length}"]`).waitFor();
    await page.locator('[data-testid="mailing-page"][data-status="COMPLETED"]').waitFor();
    await eventually(
      async () => (await page.locator('[data-testid="recipient-row"][data-status="SENT"]').count()) === EMAILS.length,
      'every recipient shown as sent',
    );
    await expect(page.getByTestId('mailing-progress-sent').getAttribute('data-count')).resolves.toBe(String(EMAILS.length));
    // one message per recipient reached the SMTP server
    expect(smtp.messages.flatMap((mail) => mail.envelopeTo).sort()).toEqual([...EMAILS].sort());
    expect(smtp.messages.every((mail) => mail.subject.startsWith('Предложение для ООО «Тестовая Компания'))).toBe(true);
    // a recipient's counterparty is a link to its card
    await expect(page.getByTestId('recipient-counterparty').first().getAttribute('href')).resolves.toMatch(/^\/counterparties\/[^/]+$/);
    // the sent mailing's page: accessible, and its recipients stack on a phone instead of scrolling sideways
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    const phone = await pageOverflow(page);
    expect(phone.widest).toEqual([]);
    expect(phone.scroll).toBeLessThanOrEqual(phone.viewport);
    await page.setViewportSize({ width: 1280, height: 1000 });
  });

  it('a recipient unsubscribes with the link of the message they received, without logging in; the counterparty timeline shows it', async () => {
    const email = EMAILS[0];
    const received = smtp.messages.find((mail) => mail.envelopeTo.includes(email));
    expect(received?.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const link = /^<([^>]+)>$/.exec(received?.headers['list-unsubscribe'] ?? '')?.[1] ?? '';
    expect(link.startsWith(`${stack.gatewayUrl.replace(/\/graphql$/, '')}/rest/mailings/unsubscribe/`)).toBe(true);
    expect(received?.html).toContain(`href="${link}"`);
    const recipients = await gql<{ mailing: { recipients: { edges: { node: { email: string; status: string; counterparty: { id: string } } }[] } } }>(
      'query($id: ID!) { mailing(id: $id) { recipients(first: 10) { edges { node { email status counterparty { id } } } } } }',
      { id: mailingId },
      MANAGER.email,
    );
    const counterpartyId = recipients.mailing.recipients.edges.find((edge) => edge.node.email === email)!.node.counterparty.id;
    type Timeline = { counterparty: { timeline: { edges: { node: { kind: string; subjectType: string; subjectId: string; summary: Record<string, unknown> } }[] } } };
    const timelineKinds = async () =>
      (await gql<Timeline>('query($id: ID!) { counterparty(id: $id) { timeline(first: 20, kinds: [MAILING_SENT, MAILING_UNSUBSCRIBED]) { edges { node { kind subjectType subjectId summary } } } } }', { id: counterpartyId }, MANAGER.email)).counterparty.timeline.edges
        .filter((edge) => edge.node.subjectType === 'MAILING' && edge.node.subjectId === mailingId)
        .map((edge) => edge.node.kind);
    await eventually(async () => (await timelineKinds()).includes('MAILING_SENT'), 'MAILING_SENT on the counterparty timeline');

    // a fresh context: no portal session, as in the recipient's own browser
    const visitor = await browser.newContext({ ...PORTAL_CONTEXT, locale: 'ru-RU', viewport: { width: 390, height: 844 } });
    try {
      const tab = await visitor.newPage();
      const scripts: string[] = [];
      tab.on('request', (request) => {
        if (request.resourceType() === 'script') scripts.push(request.url());
      });
      await tab.goto(link);
      await tab.locator('[data-testid="unsubscribe-page"][data-state="confirm"]').waitFor();
      // opening the link (what a link scanner does) changed nothing
      const before = await gql<{ mailing: { recipients: { edges: { node: { email: string; status: string } }[] } } }>('query($id: ID!) { mailing(id: $id) { recipients(first: 10) { edges { node { email status } } } } }', { id: mailingId }, MANAGER.email);
      expect(before.mailing.recipients.edges.find((edge) => edge.node.email === email)?.node.status).toBe('SENT');
      await tab.getByRole('button', { name: /Отписаться/ }).click();
      await tab.locator('[data-testid="unsubscribe-page"][data-state="done"]').waitFor();
      await expect(tab.locator('h1').textContent()).resolves.toBe('Вы отписаны');
      expect(scripts).toEqual([]);
      // the page at a phone's width: no sideways scroll
      expect(await tab.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      // a second confirmation (a reload of the POST, a second click elsewhere) says so and changes nothing
      const again = await visitor.request.post(link, { form: { 'List-Unsubscribe': 'One-Click' } });
      expect(again.status()).toBe(200);
      expect(await again.text()).toContain('data-state="already"');
    } finally {
      await visitor.close();
    }
    const after = await gql<{ mailing: { recipients: { edges: { node: { email: string; status: string } }[] } }; suppressions: { edges: { node: { email: string; reason: string } }[] } }>(
      'query($id: ID!, $q: String) { mailing(id: $id) { recipients(first: 10) { edges { node { email status } } } } suppressions(first: 5, q: $q) { edges { node { email reason } } } }',
      { id: mailingId, q: email },
      MANAGER.email,
    );
    expect(after.mailing.recipients.edges.find((edge) => edge.node.email === email)?.node.status).toBe('UNSUBSCRIBED');
    expect(after.suppressions.edges.map((edge) => edge.node)).toEqual([{ email, reason: 'UNSUBSCRIBED' }]);
    await eventually(async () => (await timelineKinds()).includes('MAILING_UNSUBSCRIBED'), 'MAILING_UNSUBSCRIBED on the counterparty timeline');
  });
});
