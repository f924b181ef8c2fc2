import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_COUNTERPARTY_IDS } from '@kartoteka/kit';
import { seedCounterparties } from '../../../services/counterparties/src/seed/counterparties.seed';
import { seedDocuments } from '../../../services/documents/src/seed/documents.seed';
import { seedDeals } from '../../../services/deals/src/seed/deals.seed';
import { BROWSER_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, freePort, PORTAL_CONTEXT, logInThroughUi, startPortal, type PortalServer } from '../support/portal';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let portal: PortalServer;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

async function counterpartyCount(): Promise<number> {
  const token = await stack.login('manager@kartoteka.local');
  const result = await stack.call<{ counterparties: { totalCount: number } }>('{ counterparties(first: 1) { totalCount } }', {}, token);
  return result.data!.counterparties.totalCount;
}

beforeAll(async () => {
  const portalPort = await freePort();
  const origin = `http://127.0.0.1:${portalPort}`;
  stack = await startStack({ corsOrigins: [origin] });
  await seedCounterparties(stack.subgraphs.counterparties.orm.em.fork());
  await seedDocuments(stack.subgraphs.documents.orm.em.fork(), { counterpartyIds: DEMO_COUNTERPARTY_IDS });
  await seedDeals(stack.subgraphs.deals.orm.em.fork(), { counterpartyIds: DEMO_COUNTERPARTY_IDS });

  portal = await startPortal(portalPort, stack.gatewayUrl);

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage({ ...PORTAL_CONTEXT, locale: 'ru-RU' });
  page.setDefaultTimeout(BROWSER_TIMEOUT_MS);
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await stack?.stop();
});

describe('the portal in Chromium', () => {
  it('logs in, searches, opens a card and shows all three panels with data', async () => {
    await logInThroughUi(page, portal.url, 'manager@kartoteka.local', 'manager');
    await expect(page.getByTestId('current-user').textContent()).resolves.toContain('Ольга Смирнова');
    // after login: "My day"; the list is one link away
    await page.getByTestId('nav-counterparties').click();
    await page.getByTestId('counterparty-row').first().waitFor();

    await page.getByTestId('counterparty-search').fill('северная логистика');
    // by relevance: the exact name first, far fewer rows than the 62 demo companies
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="counterparty-row"]')];
      return rows.length > 0 && rows.length < 20 && /Северная Логистика/i.test(rows[0].textContent ?? '');
    });
    await page.getByTestId('counterparty-link').first().click();

    await page.waitForURL(/\/counterparties\/[0-9a-f-]{36}$/);
    const counterparty = page.getByTestId('panel-counterparty');
    await counterparty.getByTestId('card-inn').waitFor();
    await expect(counterparty.getByTestId('card-inn').textContent()).resolves.toContain('7715301256');

    const documents = page.getByTestId('panel-documents');
    await documents.getByTestId('document-row').first().waitFor();
    expect(await documents.getByTestId('document-row').count()).toBeGreaterThan(0);

    const deals = page.getByTestId('panel-deals');
    await deals.getByTestId('deal-row').first().waitFor();
    expect(await deals.getByTestId('deal-row').count()).toBeGreaterThan(0);

    expect(consoleErrors).toEqual([]);
  });

  it('switches the whole card between Russian and English', async () => {
    await expect(page.getByTestId('nav-counterparties').textContent()).resolves.toContain('Контрагенты');
    await page.getByTestId('locale-en').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="nav-counterparties"]')?.textContent?.includes('Counterparties'));
    await expect(page.getByTestId('panel-documents').textContent()).resolves.toMatch(/Documents/);
    await expect(page.getByTestId('panel-deals').textContent()).resolves.toMatch(/Deals/);
    await page.getByTestId('locale-ru').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="nav-counterparties"]')?.textContent?.includes('Контрагенты'));
    await expect(page.getByTestId('panel-documents').textContent()).resolves.toMatch(/Документы/);
  });

  it('shows the INN checksum error in the form and saves nothing', async () => {
    const before = await counterpartyCount();
    await page.getByTestId('nav-counterparties').click();
    await page.getByTestId('counterparty-create').click();
    await page.getByTestId('counterparty-form').waitFor();
    await page.getByTestId('field-name').fill('ООО «Проверка ИНН»');
    await page.getByTestId('field-inn').fill('7707083894'); // 7707083893 with a wrong check digit
    await page.getByTestId('field-kpp').fill('770701001');
    await page.getByTestId('counterparty-save').click();

    const error = page.getByTestId('error-inn');
    await error.waitFor();
    await expect(error.textContent()).resolves.toMatch(/контрольн/i);
    expect(page.url()).toMatch(/\/counterparties\/new$/);
    expect(await counterpartyCount()).toBe(before);
  });
});

describe('server-side rules in the form', () => {
  it('shows a duplicate INN + KPP in Russian with the name of the existing counterparty, and saves nothing', async () => {
    const before = await counterpartyCount();
    await page.getByTestId('nav-counterparties').click();
    await page.getByTestId('counterparty-create').click();
    await page.getByTestId('counterparty-form').waitFor();
    await page.getByTestId('field-name').fill('ООО «Двойник»');
    await page.getByTestId('field-inn').fill('7715301256'); // ООО «Северная Логистика», head office
    await page.getByTestId('field-kpp').fill('771501001');
    await page.getByTestId('counterparty-save').click();

    const error = page.getByTestId('error-inn');
    await error.waitFor();
    await expect(error.textContent()).resolves.toMatch(/уже есть: .*Северная Логистика/);
    expect(await counterpartyCount()).toBe(before);
  });
});
