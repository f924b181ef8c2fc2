import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_COUNTERPARTY_IDS } from '@kartoteka/kit';
import { seedCounterparties } from '../../../services/counterparties/src/seed/counterparties.seed';
import { seedDocuments } from '../../../services/documents/src/seed/documents.seed';
import { seedDeals } from '../../../services/deals/src/seed/deals.seed';
import { startStack, type Stack } from '../support/stack';

type PortalServer = { url: string; close: () => Promise<void> };

/** The built portal, served by its own server process exactly as `pnpm start` runs it. */
async function startPortal(port: number, gatewayUrl: string): Promise<PortalServer> {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, '..', '..', '..', 'frontends', 'root-config', 'server.mjs')], {
    env: { ...process.env, PORTAL_HOST: '127.0.0.1', PORTAL_PORT: String(port), GATEWAY_PUBLIC_URL: gatewayUrl },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}/`;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`the portal server exited with ${child.exitCode}`);
    const up = await fetch(url).then((response) => response.ok, () => false);
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    close: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

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
  page = await browser.newPage({ locale: 'ru-RU' });
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
    await page.goto(portal.url);
    await page.waitForURL(/\/login/);
    await page.getByTestId('login-email').fill('manager@kartoteka.local');
    await page.getByTestId('login-password').fill('manager');
    await page.getByTestId('login-submit').click();

    await page.waitForURL(/\/counterparties$/);
    await expect(page.getByTestId('current-user').textContent()).resolves.toContain('Ольга Смирнова');
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
