import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { BROWSER_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, freePort, PORTAL_CONTEXT, logInThroughUi, startPortal, type PortalServer } from '../support/portal';
import { startStack, type Stack } from '../support/stack';

/**
 * The counterparty list and form as staff use them (issue 11): the name order ignores legal forms, any column
 * sorts from its header (mouse or keyboard) and the order survives a reload; the form gives a new counterparty
 * to its creator, links a duplicate INN to the existing card, drops its error banner once the field is fixed and
 * moves focus to the field at fault; buttons follow the API's permissions (a viewer sees none, an accountant
 * what the API lets them do); "My day" lists the cards opened last.
 */

const MANAGER = 'manager@kartoteka.local';

let stack: Stack;
let portal: PortalServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

type Created = { id: string; name: string; inn: string; kpp: string | null };
const created: Record<string, Created> = {};

async function gql<T>(query: string, variables: Record<string, unknown>, email: string): Promise<T> {
  const result = await stack.call<T>(query, variables, await stack.login(email));
  if (result.errors?.length || !result.data) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(result.errors)}`);
  return result.data;
}

const NAMES = ['Акционерное общество "Ромашка"', 'ООО «Яхта»', 'ИП Иванов Иван Иванович', 'Публичное акционерное общество «Вектор»', 'ООО «Альфа»'];
/** By the name without its legal form: Альфа, Вектор, Иванов, Ромашка, Яхта. */
const BY_NAME = ['ООО «Альфа»', 'Публичное акционерное общество «Вектор»', 'ИП Иванов Иван Иванович', 'Акционерное общество "Ромашка"', 'ООО «Яхта»'];

/** Waits until the list shows exactly these names in this order. */
async function waitForOrder(target: Page, names: string[]): Promise<void> {
  await target.waitForFunction(
    (expected) => {
      const shown = [...document.querySelectorAll('[data-testid="counterparty-link"]')].map((link) => link.textContent?.trim());
      return JSON.stringify(shown) === JSON.stringify(expected);
    },
    names,
  );
}

const ariaSort = (target: Page, column: string) => target.getByTestId(`sort-${column}`).locator('xpath=..').getAttribute('aria-sort');

beforeAll(async () => {
  const portalPort = await freePort();
  stack = await startStack({ corsOrigins: [`http://127.0.0.1:${portalPort}`], gatewayEnv: { REST_SERVICES: 'counterparties,documents,finance' } });
  portal = await startPortal(portalPort, stack.gatewayUrl);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  for (const name of NAMES) {
    const { createCounterparty } = await gql<{ createCounterparty: Created }>(CREATE_COUNTERPARTY, { input: legalEntityInput({ name }) }, MANAGER);
    created[name] = createCounterparty;
  }
  context = await browser.newContext({ ...PORTAL_CONTEXT, locale: 'ru-RU' });
  context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} ${message.location().url}`);
  });
  await logInThroughUi(page, portal.url, MANAGER, 'manager');
});

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await stack?.stop();
});

describe('the counterparty list', () => {
  it('sorts by the name without the legal form, then by any column from its header; the order stays on reload', async () => {
    await page.goto(`${portal.url}counterparties`);
    await waitForOrder(page, BY_NAME);
    expect(await ariaSort(page, 'NAME')).toBe('ascending');
    expect(await ariaSort(page, 'INN')).toBe('none');

    const byInn = Object.values(created).sort((a, b) => (a.inn < b.inn ? -1 : 1)).map((counterparty) => counterparty.name);
    await page.getByTestId('sort-INN').click();
    await waitForOrder(page, byInn);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('inn');
    expect(await ariaSort(page, 'INN')).toBe('ascending');
    expect(await ariaSort(page, 'NAME')).toBe('none');

    // the same header again reverses; from the keyboard (the header is a button)
    await page.getByTestId('sort-INN').focus();
    await page.keyboard.press('Enter');
    await waitForOrder(page, [...byInn].reverse());
    expect(new URL(page.url()).searchParams.get('dir')).toBe('desc');

    await page.reload();
    await waitForOrder(page, [...byInn].reverse());
    expect(await ariaSort(page, 'INN')).toBe('descending');

    await page.getByTestId('sort-NAME').click();
    await waitForOrder(page, BY_NAME);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('name');
    expect(consoleErrors).toEqual([]);
  });

  it('shows the create button to a session stored before permissions existed, once `me` brought them', async () => {
    await page.getByTestId('counterparty-create').waitFor();
    await page.evaluate(() => {
      const session = JSON.parse(window.localStorage.getItem('kartoteka.session') ?? '{}');
      delete session.user.permissions;
      window.localStorage.setItem('kartoteka.session', JSON.stringify(session));
    });
    await page.reload();
    await page.getByTestId('counterparty-create').waitFor();
    const stored = await page.evaluate(() => JSON.parse(window.localStorage.getItem('kartoteka.session') ?? '{}').user.permissions as string[] | undefined);
    expect(stored).toContain('counterparties:write');
  });
});

describe('the counterparty form', () => {
  it('defaults the manager to the creator, links a duplicate INN to the existing card and clears the banner once the INN is fixed', async () => {
    const existing = created['Акционерное общество "Ромашка"'];
    await page.goto(`${portal.url}counterparties/new`);
    await page.getByTestId('counterparty-form').waitFor();
    await expect(page.getByTestId('field-responsibleManagerId').textContent()).resolves.toContain('Ольга Смирнова');

    await page.getByTestId('field-name').fill('ООО «Двойник Ромашки»');
    await page.getByTestId('field-inn').fill(existing.inn);
    await page.getByTestId('field-kpp').fill(existing.kpp ?? '');
    await page.getByTestId('counterparty-save').click();

    await page.getByTestId('error-inn').waitFor();
    await page.getByTestId('form-error').waitFor();
    const link = page.getByTestId('duplicate-link');
    expect(await link.getAttribute('data-id')).toBe(existing.id);
    await expect(link.textContent()).resolves.toContain('Ромашка');
    // focus moved from Save to the field at fault
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'field-inn');

    // fixing the INN clears the field's error and the banner
    await page.getByTestId('field-inn').fill(legalEntityInput().inn as string);
    await page.getByTestId('form-error').waitFor({ state: 'detached' });
    await page.getByTestId('error-inn').waitFor({ state: 'detached' });

    // back to the duplicate: the link opens the existing card
    await page.getByTestId('field-inn').fill(existing.inn);
    await page.getByTestId('counterparty-save').click();
    await page.getByTestId('duplicate-link').click();
    await page.waitForURL((url) => url.pathname === `/counterparties/${existing.id}`);
    await expect(page.getByTestId('counterparty-name').textContent()).resolves.toContain('Ромашка');
    await page.getByTestId('counterparty-edit').waitFor();
  });

  it('saves a new counterparty with the creator as its manager', async () => {
    await page.goto(`${portal.url}counterparties/new`);
    await page.getByTestId('counterparty-form').waitFor();
    const input = legalEntityInput();
    await page.getByTestId('field-name').fill('ООО «Новая»');
    await page.getByTestId('field-inn').fill(input.inn as string);
    await page.getByTestId('field-kpp').fill(input.kpp as string);
    await page.getByTestId('counterparty-save').click();
    await page.waitForURL(/\/counterparties\/[0-9a-f-]{36}$/);
    await page.waitForFunction(() => document.querySelector('[data-testid="counterparty-name"]')?.textContent?.includes('Новая'));
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const { counterparty } = await gql<{ counterparty: { responsibleManager: { name: string } | null } }>('query($id: ID!) { counterparty(id: $id) { responsibleManager { name } } }', { id }, MANAGER);
    expect(counterparty.responsibleManager?.name).toBe('Ольга Смирнова');
    created['ООО «Новая»'] = { id, name: 'ООО «Новая»', inn: input.inn as string, kpp: input.kpp as string };
  });
});

describe('My day', () => {
  it('lists the counterparties opened last, most recent first, with INN and rating', async () => {
    const alpha = created['ООО «Альфа»'];
    await page.goto(`${portal.url}counterparties/${alpha.id}`);
    await page.getByTestId('counterparty-name').waitFor();
    await page.goto(portal.url);
    await page.locator('[data-testid="myday-recent"][data-state="ready"]').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="myday-recent-item"]').length >= 3);
    const ids = await page.getByTestId('myday-recent-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-id')));
    // Альфа (just now), the new one (saved and shown), Ромашка (the duplicate's link)
    expect(ids.slice(0, 3)).toEqual([alpha.id, created['ООО «Новая»'].id, created['Акционерное общество "Ромашка"'].id]);
    const first = page.getByTestId('myday-recent-item').first();
    await expect(first.getByTestId('myday-recent-inn').textContent()).resolves.toContain(alpha.inn);
    await first.getByTestId('myday-recent-link').click();
    await page.waitForURL((url) => url.pathname === `/counterparties/${alpha.id}`);
  });
});

describe('buttons follow the API’s permissions', () => {
  const asUser = async (email: string, password: string): Promise<Page> => {
    const other = await browser.newContext({ ...PORTAL_CONTEXT, locale: 'ru-RU' });
    other.setDefaultTimeout(BROWSER_TIMEOUT_MS);
    const userPage = await other.newPage();
    await logInThroughUi(userPage, portal.url, email, password);
    return userPage;
  };

  it('a viewer sees no edit buttons', async () => {
    const viewer = await asUser('viewer@kartoteka.local', 'viewer');
    await viewer.goto(`${portal.url}counterparties`);
    await viewer.getByTestId('counterparty-row').first().waitFor();
    expect(await viewer.getByTestId('counterparty-create').count()).toBe(0);
    await viewer.goto(`${portal.url}counterparties/${created['ООО «Альфа»'].id}`);
    await viewer.getByTestId('counterparty-name').waitFor();
    await viewer.getByTestId('panel-deals').waitFor();
    expect(await viewer.getByTestId('counterparty-edit').count()).toBe(0);
    expect(await viewer.getByTestId('counterparty-archive').count()).toBe(0);
    await viewer.context().close();
  });

  it('an accountant sees what the API allows: no counterparty or deal editing, but the statement import', async () => {
    const refused = await stack.call(CREATE_COUNTERPARTY, { input: legalEntityInput() }, await stack.login('accountant@kartoteka.local'));
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const accountant = await asUser('accountant@kartoteka.local', 'accountant');
    await accountant.goto(`${portal.url}counterparties`);
    await accountant.getByTestId('counterparty-row').first().waitFor();
    expect(await accountant.getByTestId('counterparty-create').count()).toBe(0);
    await accountant.goto(`${portal.url}counterparties/${created['ООО «Альфа»'].id}`);
    await accountant.getByTestId('counterparty-name').waitFor();
    await accountant.getByTestId('panel-deals').waitFor();
    expect(await accountant.getByTestId('counterparty-edit').count()).toBe(0);
    expect(await accountant.getByTestId('deal-create').count()).toBe(0);
    await accountant.goto(`${portal.url}finance/import`);
    await accountant.getByTestId('import-upload').waitFor();
    expect(await accountant.getByTestId('import-forbidden').count()).toBe(0);
    await accountant.context().close();
  });
});

describe('the import wizard', () => {
  it('uploads a CSV, maps it, previews broken and duplicate rows, runs it and offers the refused rows', async () => {
    const rows = [legalEntityInput({ name: 'ООО «Импорт Один»' }), legalEntityInput({ name: 'ООО «Импорт Два»' }), legalEntityInput({ name: 'ООО «Импорт Три»' })];
    const broken = legalEntityInput({ name: 'ООО «Сломанный ИНН»' });
    const brokenInn = `${String(broken.inn).slice(0, 9)}${(Number(String(broken.inn)[9]) + 1) % 10}`;
    const existing = created[NAMES[1]];
    const csv = [
      'Наименование;ИНН;КПП;Контактное лицо;E-mail контакта',
      ...rows.map((row) => `${row.name};${row.inn};770101001;Иван Петров;ivan.${row.inn}@example.ru`),
      `${broken.name};${brokenInn};770101001;;`,
      `${existing.name};${existing.inn};${existing.kpp};;`,
    ].join('\r\n');

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${portal.url}counterparties`);
    await page.getByTestId('counterparty-import').click();
    await page.waitForURL(/\/counterparties\/import/);
    await page.getByTestId('import-file').setInputFiles({ name: 'контрагенты.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByTestId('import-mapping').waitFor();
    // the suggested mapping, with an example from the first row
    await page.getByTestId('import-mapping').getByText('ООО «Импорт Один»').waitFor();
    await page.getByTestId('import-map-submit').click();

    await page.getByTestId('import-preview').waitFor();
    expect(await page.getByTestId('import-count-valid').textContent()).toBe('3');
    expect(await page.getByTestId('import-count-invalid').textContent()).toBe('1');
    expect(await page.getByTestId('import-count-duplicate').textContent()).toBe('1');
    expect(await page.getByTestId('import-invalid-rows').textContent()).toContain('INN checksum is invalid');
    expect(await page.getByTestId('import-duplicate-rows').locator('a').getAttribute('href')).toBe(`/counterparties/${existing.id}`);

    await page.getByTestId('import-run').click();
    await page.getByTestId('import-result').waitFor();
    expect(await page.getByTestId('import-created').textContent()).toBe('3');
    expect(await page.getByTestId('import-skipped').textContent()).toBe('1');
    expect(await page.getByTestId('import-refused').textContent()).toBe('1');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-report-csv').click()]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const report = Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(report).toHaveLength(2);
    expect(report[1]).toContain(brokenInn);
    expect(report[1]).toContain('inn: INN checksum is invalid');

    // a phone: the result fits without sideways scrolling
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });

    const imported = await gql<{ counterparties: { totalCount: number } }>('query($s: String) { counterparties(search: $s, first: 5) { totalCount } }', { s: 'Импорт' }, MANAGER);
    expect(imported.counterparties.totalCount).toBe(3);
  });
});
