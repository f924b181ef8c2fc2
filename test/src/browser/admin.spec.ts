import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createLogger, DEMO_USERS, PgEventBus, type BusEvent } from '@kartoteka/kit';
import { CREATE_COUNTERPARTY, CREATE_DOCUMENT, legalEntityInput } from '../support/fixtures';
import { BROWSER_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, freePort, PORTAL_CONTEXT, logInThroughUi, startPortal, type PortalServer } from '../support/portal';
import { startStack, type Stack } from '../support/stack';
import { eventually } from '../support/timing';

/**
 * The administration pages as an administrator uses them: a new user with two roles (a duplicate e-mail refused
 * at its field first), a partner API key whose secret is shown once and works, then only its prefix, revoked
 * with confirmation and refused from then on; an event the documents service parked, put back in the queue;
 * the documents audit chain verified. A viewer gets "no access".
 */
const userOf = (email: string) => {
  const user = DEMO_USERS.find((candidate) => candidate.email === email);
  if (!user) throw new Error(`no demo user ${email}`);
  return user;
};
const ADMIN = userOf('admin@kartoteka.local');
const VIEWER = userOf('viewer@kartoteka.local');
const PROBE_TOPIC = 'probe.admin.parked';

let stack: Stack;
let portal: PortalServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let bus: PgEventBus;
let parkedEvent: BusEvent;
const consoleErrors: string[] = [];

beforeAll(async () => {
  const portalPort = await freePort();
  stack = await startStack({ corsOrigins: [`http://127.0.0.1:${portalPort}`] });
  portal = await startPortal(portalPort, stack.gatewayUrl);
  // An event the documents consumer has no handler for: its running consumer parks it.
  bus = new PgEventBus({ url: stack.eventBusUrl, logger: createLogger('admin-spec', 'silent') });
  await bus.connect();
  await bus.ensureSubscription('documents', [PROBE_TOPIC]);
  parkedEvent = { id: randomUUID(), topic: PROBE_TOPIC, producer: 'probe', payload: { note: 'нужна ручная проверка' }, occurredAt: new Date() };
  await bus.publish([parkedEvent]);
  await eventually(async () => (await bus.parked('documents')).some((row) => row.event.id === parkedEvent.id), 'the documents consumer parks the probe event');

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  context = await browser.newContext({ ...PORTAL_CONTEXT, locale: 'ru-RU', viewport: { width: 1440, height: 1000 } });
  context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await logInThroughUi(page, portal.url, ADMIN.email, ADMIN.password);
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await bus?.close();
  await portal?.close();
  await stack?.stop();
});

const admin = async (section: string): Promise<void> => {
  await page.goto(`${portal.url}admin/${section}`);
  await page.locator(`[data-testid="admin-app"][data-section="${section}"]`).waitFor();
};

describe('administration in the portal', () => {
  it('creates a user with roles; a duplicate e-mail is refused at its field', async () => {
    await admin('users');
    await page.locator('[data-testid="user-row"][data-email="admin@kartoteka.local"]').waitFor();
    // each role's permissions come from the API
    await page.getByTestId('role-permissions').getByText('Права ролей').click();
    await expect(page.locator('[data-testid="role-permissions-row"][data-role="VIEWER"]').textContent()).resolves.toContain('documents:read');

    await page.getByTestId('users-create').click();
    const dialog = page.getByTestId('user-dialog');
    await dialog.getByTestId('user-name-input').locator('input').fill('Пётр Юрьев');
    await dialog.getByTestId('user-email-input').locator('input').fill('manager@kartoteka.local');
    await dialog.getByTestId('user-password-input').locator('input').fill('s3cret-pass');
    await dialog.getByTestId('user-role-LAWYER').check();
    await dialog.getByTestId('user-role-MANAGER').check();
    await page.getByTestId('user-dialog-confirm').click();
    await expect(dialog.getByTestId('error-email').textContent()).resolves.toBe('Пользователь с таким e-mail уже есть');

    await dialog.getByTestId('user-email-input').locator('input').fill('p.yuryev@kartoteka.local');
    await page.getByTestId('user-dialog-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.locator('[data-testid="user-row"][data-email="p.yuryev@kartoteka.local"]');
    await expect(row.getByTestId('user-roles').getAttribute('data-roles')).resolves.toBe('LAWYER,MANAGER');
    await expect(row.getAttribute('data-active')).resolves.toBe('true');
    // the new user can log in with the initial password
    // the last active administrator cannot be deactivated: the API's rule, shown on the row
    const adminRow = page.locator('[data-testid="user-row"][data-email="admin@kartoteka.local"]');
    await adminRow.getByTestId('user-toggle-active').click();
    await expect(adminRow.getByTestId('user-row-error').textContent()).resolves.toContain('последний активный администратор');
    await expect(adminRow.getAttribute('data-active')).resolves.toBe('true');

    const login = await stack.call<{ login: { user: { roles: string[] } } }>('mutation { login(email: "p.yuryev@kartoteka.local", password: "s3cret-pass") { token user { roles } } }');
    expect(login.data?.login.user.roles).toEqual(['LAWYER', 'MANAGER']);
  });

  it('creates an API key: the secret is shown once and works, then only the prefix; revoked with confirmation, it is refused', async () => {
    await admin('api-keys');
    await page.getByTestId('api-key-create').click();
    const dialog = page.getByTestId('api-key-dialog');
    await dialog.getByTestId('api-key-name-input').locator('input').fill('Система партнёра');
    await dialog.getByTestId('api-key-scope-counterparties:read').check();
    await dialog.getByTestId('api-key-scope-projects:read').check();
    await page.getByTestId('api-key-dialog-confirm').click();

    const secretDialog = page.getByTestId('api-key-secret-dialog');
    await secretDialog.getByTestId('api-key-secret-warning').waitFor();
    const secret = await secretDialog.getByTestId('api-key-secret').inputValue();
    expect(secret.length).toBeGreaterThan(20);
    const works = await stack.call<{ counterparties: { totalCount: number } }>('{ counterparties(first: 1) { totalCount } }', {}, secret);
    expect(works.errors).toBeUndefined();
    await page.getByTestId('api-key-secret-dialog-confirm').click();
    await secretDialog.waitFor({ state: 'hidden' });

    const row = page.locator('[data-testid="api-key-row"]', { hasText: 'Система партнёра' });
    const prefix = ((await row.getByTestId('api-key-prefix').textContent()) ?? '').replace('…', '');
    expect(secret.startsWith(prefix)).toBe(true);
    await expect(row.getByTestId('api-key-scopes').getAttribute('data-scopes')).resolves.toBe('counterparties:read,projects:read');
    // the secret is nowhere on the page any more
    expect(await page.content()).not.toContain(secret);

    await row.getByTestId('api-key-revoke').click();
    await page.getByTestId('api-key-revoke-dialog-confirm').click();
    await page.getByTestId('api-key-revoke-dialog').waitFor({ state: 'hidden' });
    await page.locator('[data-testid="api-key-row"][data-revoked="true"]', { hasText: 'Система партнёра' }).waitFor();
    const refused = await stack.call('{ counterparties(first: 1) { totalCount } }', {}, secret);
    expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('requeues an event the documents service parked', async () => {
    const before = (await bus.parked('documents')).find((row) => row.event.id === parkedEvent.id)!;
    await admin('events');
    const list = page.locator('[data-testid="parked-service"][data-service="documents"]');
    const row = list.locator(`[data-testid="parked-row"][data-id="${parkedEvent.id}"]`);
    await expect(row.getByTestId('parked-error-text').textContent()).resolves.toContain(`No handler for topic ${PROBE_TOPIC}`);
    await expect(row.locator('pre').textContent()).resolves.toContain('нужна ручная проверка');
    await row.getByTestId('parked-select').check();
    await list.getByTestId('parked-requeue-selected').click();
    await expect(list.getByTestId('parked-result').textContent()).resolves.toContain('Возвращено в очередь: 1');
    // back in the queue, delivered again (and, still without a handler, parked again later)
    await eventually(async () => {
      const again = (await bus.parked('documents')).find((row) => row.event.id === parkedEvent.id);
      return again !== undefined && again.parkedAt.getTime() > before.parkedAt.getTime();
    }, 'the requeued event is delivered again');
    // the other services' lists load on their own
    for (const service of ['counterparties', 'deals', 'finance', 'mailings']) await page.locator(`[data-testid="parked-service"][data-service="${service}"] [data-testid="parked-empty"]`).waitFor();
  });

  it('verifies the documents audit chain and shows the first broken link of a tampered one', async () => {
    const manager = await stack.login('manager@kartoteka.local');
    const counterparty = await stack.call<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput() }, manager);
    const document = await stack.call<{ createDocument: { id: string } }>(CREATE_DOCUMENT, { input: { type: 'OTHER', counterpartyId: counterparty.data!.createCounterparty.id, title: 'Письмо партнёру' } }, manager);
    expect(document.errors).toBeUndefined();

    await admin('audit');
    const chain = page.locator('[data-testid="audit-chain"][data-chain="documents"]');
    await chain.getByTestId('audit-run').click();
    await page.locator('[data-testid="audit-chain"][data-chain="documents"][data-state="valid"]').waitFor();
    await expect(chain.getByTestId('audit-result').getAttribute('data-valid')).resolves.toBe('true');
    // the counterparties' and deals' hash-chained histories are listed and verified the same way
    for (const other of ['counterparties', 'deals']) {
      await page.locator(`[data-testid="audit-chain"][data-chain="${other}"] [data-testid="audit-run"]`).click();
      await page.locator(`[data-testid="audit-chain"][data-chain="${other}"][data-state="valid"]`).waitFor();
    }

    // someone edits a record behind the service's back (the append-only trigger bypassed in replica mode)
    const documentsDb = stack.subgraphs.documents.orm.em.fork();
    const [record] = await documentsDb.execute<{ id: string; seq: number }[]>('select id, seq from audit_records where document_id = ? order by seq limit 1', [document.data!.createDocument.id]);
    await documentsDb.transactional(async (em) => {
      await em.execute('set local session_replication_role = replica');
      await em.execute(`update audit_records set details = details || '{"forged": true}'::jsonb where id = ?`, [record.id]);
    });
    await chain.getByTestId('audit-run').click();
    await page.locator('[data-testid="audit-chain"][data-chain="documents"][data-state="broken"]').waitFor();
    await expect(chain.getByTestId('audit-broken-seq').getAttribute('data-seq')).resolves.toBe(String(record.seq));
    await expect(chain.getByTestId('audit-reason').getAttribute('data-reason')).resolves.toBe('hash-mismatch');
    await expect(chain.getByTestId('audit-reason').textContent()).resolves.toContain('запись изменена');
    // errors of this app only (other apps' may be in the middle of their own changes)
    expect(consoleErrors.filter((error) => !/@kartoteka\/(counterparties|documents|deals|finance)\b/.test(error))).toEqual([]);
  });

  it('shows "no access" to a viewer', async () => {
    const viewerContext = await browser.newContext({ ...PORTAL_CONTEXT, locale: 'ru-RU', viewport: { width: 1280, height: 900 } });
    viewerContext.setDefaultTimeout(BROWSER_TIMEOUT_MS);
    try {
      const viewerPage = await viewerContext.newPage();
      await logInThroughUi(viewerPage, portal.url, VIEWER.email, VIEWER.password);
      await viewerPage.goto(`${portal.url}admin/users`);
      await viewerPage.getByTestId('admin-no-access').waitFor();
      expect(await viewerPage.getByTestId('users-table').count()).toBe(0);
    } finally {
      await viewerContext.close();
    }
  });
});
