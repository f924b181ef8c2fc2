import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { DEMO_USERS, russianDate } from '@kartoteka/kit';
import { readExportTable } from '@kartoteka/kit/export';
import { bankStatement, isoDay } from '../support/bank-statement';
import { CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { BROWSER_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, freePort, PORTAL_CONTEXT, logInThroughUi, startPortal, type PortalServer } from '../support/portal';
import { startStack, type Stack } from '../support/stack';
import { eventually } from '../support/timing';

/**
 * Finance in the portal, as an accountant works: a counterparty's contract is signed through the EDMS and its
 * terms entered (an advance already 10 days overdue, the rest due in two months); the card's finance panel
 * shows the receivable, the overdue amount and days and the rating exactly as the API computes them, with its
 * factors and their evidence; the contract's page shows its execution. A bank statement is imported through
 * the portal — preview, confirm, the report — its payment from the counterparty lands on the card, the
 * unknown payer waits in the review queue and is matched by hand; re-importing the file duplicates nothing and
 * a broken file is refused with its line.
 */

const userOf = (email: string) => {
  const user = DEMO_USERS.find((candidate) => candidate.email === email);
  if (!user) throw new Error(`no demo user ${email}`);
  return user;
};
const ACCOUNTANT = userOf('accountant@kartoteka.local');
const MANAGER = 'manager@kartoteka.local';

const CONTRACT_MINOR = 1_000_000_00;
const ADVANCE_MINOR = 300_000_00;
const SAMPLE_STATEMENT = join(__dirname, '..', '..', '..', 'services', 'finance', 'demo', 'sample-statement.txt');

let stack: Stack;
let portal: PortalServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

let counterpartyId: string;
let counterpartyInn: string;
let contractId: string;

async function gql<T>(query: string, variables: Record<string, unknown>, email: string): Promise<T> {
  const result = await stack.call<T>(query, variables, await stack.login(email));
  if (result.errors?.length || !result.data) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** The element's text with every kind of space (Intl puts no-break ones in amounts) as a plain one. */
const textOf = async (locator: Locator): Promise<string> => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();

async function upload(name: string, email: string): Promise<string> {
  const body = new FormData();
  body.append('files', new Blob([new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(1024)]))]), name);
  const response = await fetch(`${stack.gatewayUrl.replace(/\/graphql$/, '')}/rest/documents/files`, { method: 'POST', headers: { authorization: `Bearer ${await stack.login(email)}` }, body });
  if (response.status !== 201) throw new Error(`upload: HTTP ${response.status}`);
  const { files } = (await response.json()) as { files: { id: string }[] };
  return files[0].id;
}

/** Signs a contract through the EDMS: a one-step route (the director signs off), approved. */
async function signContract(): Promise<string> {
  const template = await gql<{ createRouteTemplate: { id: string } }>(
    'mutation($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id } }',
    { input: { name: 'Договор: подпись директора', documentType: 'CONTRACT', stages: [{ name: 'Подписание', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'DIRECTOR', deadlineHours: 24 }] }] } },
    'admin@kartoteka.local',
  );
  const created = await gql<{ createDocument: { id: string } }>(
    'mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }',
    {
      input: {
        type: 'CONTRACT',
        counterpartyId,
        title: 'Договор поставки № 7/26-Ф',
        amountMinor: CONTRACT_MINOR,
        contract: { subject: 'Поставка оборудования', startDate: isoDay(-40), endDate: isoDay(300), paymentTerms: '30 % аванс' },
        fileIds: [await upload('Договор 7-26-Ф.pdf', MANAGER)],
      },
    },
    MANAGER,
  );
  const documentId = created.createDocument.id;
  await gql('mutation($input: StartApprovalInput!) { startApproval(input: $input) { id } }', { input: { documentId, routeTemplateId: template.createRouteTemplate.id } }, MANAGER);
  const stepId = await eventually(async () => {
    const data = await gql<{ myApprovalTasks: { edges: { node: { id: string; canDecide: boolean; document: { id: string } } }[] } }>(
      '{ myApprovalTasks(first: 50) { edges { node { id canDecide document { id } } } } }',
      {},
      'director@kartoteka.local',
    );
    return data.myApprovalTasks.edges.find((edge) => edge.node.document.id === documentId && edge.node.canDecide)?.node.id;
  }, 'the director has the contract to sign');
  await gql('mutation($input: ApproveStepInput!) { approveStep(input: $input) { id } }', { input: { stepId } }, 'director@kartoteka.local');
  return documentId;
}

type FinanceFigures = { receivable: { minor: number }; overdue: { minor: number }; overdueDays: number; lastPayment: { amount: { minor: number } } | null };
type RatingData = {
  score: number | null;
  grade: string | null;
  methodVersion: number;
  history: { score: number | null }[];
  factors: { code: string; value: number | null; evidence: { kind: string; documentId: string | null }[] }[];
};

const financeOf = async (): Promise<{ finance: FinanceFigures; rating: RatingData | null }> => {
  const data = await gql<{ counterparty: { finance: FinanceFigures; rating: RatingData | null } }>(
    `query($id: ID!) { counterparty(id: $id) {
      finance { receivable { minor } overdue { minor } overdueDays lastPayment { amount { minor } } }
      rating { score grade methodVersion history { score } factors { code value evidence { kind documentId } } }
    } }`,
    { id: counterpartyId },
    ACCOUNTANT.email,
  );
  return data.counterparty;
};

/** A UTF-8 statement of two incoming payments: the counterparty pays the advance; an unknown payer pays something. */
const statementFile = (): Buffer =>
  bankStatement(
    [
      { number: '501', date: isoDay(-1), amountMinor: ADVANCE_MINOR, direction: 'INCOMING', party: { name: 'ООО «Северный Ветер»', inn: counterpartyInn, account: '40702810638000000000' }, purpose: 'Аванс по договору поставки № 7/26-Ф. В т.ч. НДС 20%' },
      { number: '502', date: isoDay(-1), amountMinor: 12_345_67, direction: 'INCOMING', party: { name: 'ООО «Незнакомец»', inn: '7707083893', account: '40702810100000000777' }, purpose: 'Оплата услуг. Без НДС' },
    ],
    { from: isoDay(-3), to: isoDay(-1) },
  );

beforeAll(async () => {
  const portalPort = await freePort();
  stack = await startStack({ corsOrigins: [`http://127.0.0.1:${portalPort}`], gatewayEnv: { REST_SERVICES: 'documents,finance' } });
  portal = await startPortal(portalPort, stack.gatewayUrl);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

  const input = legalEntityInput({ name: 'ООО «Северный Ветер»' });
  counterpartyInn = String(input.inn);
  const { createCounterparty } = await gql<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input }, MANAGER);
  counterpartyId = createCounterparty.id;

  contractId = await signContract();
  // finance learns of the signed contract from the documents service's event
  await eventually(async () => {
    const data = await gql<{ document: { execution: { contractId: string } | null } | null }>('query($id: ID!) { document(id: $id) { execution { contractId } } }', { id: contractId }, ACCOUNTANT.email);
    return data.document?.execution?.contractId === contractId;
  }, 'finance knows the signed contract');
  await gql(
    'mutation($input: ContractTermsInput!) { setContractTerms(input: $input) { contractId } }',
    {
      input: {
        contractId,
        direction: 'RECEIVABLE',
        schedule: [
          { kind: 'ADVANCE', amount: { minor: ADVANCE_MINOR, currency: 'RUB' }, dueDate: isoDay(-10), description: 'Аванс 30 %' },
          { kind: 'PAYMENT', amount: { minor: CONTRACT_MINOR - ADVANCE_MINOR, currency: 'RUB' }, dueDate: isoDay(60), description: 'Окончательный расчёт' },
        ],
      },
    },
    ACCOUNTANT.email,
  );

  context = await browser.newContext({ ...PORTAL_CONTEXT, locale: 'ru-RU', viewport: { width: 1440, height: 1000 } });
  context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await logInThroughUi(page, portal.url, ACCOUNTANT.email, ACCOUNTANT.password);
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await portal?.close();
  await stack?.stop();
});

describe('finance in the portal', () => {
  it("shows the card's balances, overdue and rating exactly as the API computes them, with the factors' evidence", async () => {
    const api = await financeOf();
    expect(api.finance).toMatchObject({ receivable: { minor: CONTRACT_MINOR }, overdue: { minor: ADVANCE_MINOR }, overdueDays: 10, lastPayment: null });

    await page.goto(`${portal.url}counterparties/${counterpartyId}`);
    const panel = page.locator('[data-testid="finance-panel"][data-state="ready"]');
    await panel.waitFor();
    await expect(panel.getByTestId('finance-receivable').getAttribute('data-minor')).resolves.toBe(String(CONTRACT_MINOR));
    expect(await textOf(panel.getByTestId('finance-receivable'))).toBe('1 000 000,00 ₽');
    const overdue = panel.getByTestId('finance-overdue');
    await expect(overdue.getAttribute('data-minor')).resolves.toBe(String(ADVANCE_MINOR));
    expect(await textOf(overdue)).toBe('300 000,00 ₽ до 10 дн. просрочки');
    expect(await textOf(panel.getByTestId('finance-last-payment'))).toBe('платежей ещё не было');

    const contract = panel.locator(`[data-testid="finance-contract"][data-id="${contractId}"]`);
    await expect(contract.getByTestId('finance-contract-outstanding').getAttribute('data-minor')).resolves.toBe(String(CONTRACT_MINOR));
    await expect(contract.getByTestId('finance-contract-overdue').getAttribute('data-minor')).resolves.toBe(String(ADVANCE_MINOR));
    await expect(contract.getByTestId('finance-contract-link').getAttribute('href')).resolves.toBe(`/documents/${contractId}`);

    // the rating: an advance 10 days overdue out of one contract gives a low score, traced to the contract
    const rating = panel.getByTestId('finance-rating');
    expect(api.rating).not.toBeNull();
    const { score, grade, methodVersion, factors, history } = api.rating!;
    expect(score).not.toBeNull();
    expect(score!).toBeLessThan(50);
    expect(grade).toBe('D');
    await expect(rating.getByTestId('rating-score').getAttribute('data-value')).resolves.toBe(String(score));
    expect(await textOf(rating.getByTestId('rating-score'))).toBe(String(score).replace('.', ','));
    expect(await textOf(rating.getByTestId('rating-grade'))).toBe('D · Ненадёжный');
    await expect(rating.getByTestId('rating-method').getAttribute('data-version')).resolves.toBe(String(methodVersion));
    await expect(rating.getByTestId('rating-factor').count()).resolves.toBe(factors.length);
    const overdueFactor = rating.locator('[data-testid="rating-factor"][data-code="OVERDUE_NOW"]');
    expect(await textOf(overdueFactor.getByTestId('rating-factor-name'))).toBe('Текущая просроченная задолженность');
    // drill-down: the factor's evidence links to the signed contract
    expect(factors.find((factor) => factor.code === 'OVERDUE_NOW')?.evidence.some((item) => item.documentId === contractId)).toBe(true);
    await expect(rating.getByTestId('rating-evidence').count()).resolves.toBe(0);
    await overdueFactor.getByTestId('rating-factor-toggle').click();
    const evidence = rating.locator(`[data-testid="rating-evidence"][data-document-id="${contractId}"]`).first();
    await evidence.waitFor();
    await expect(evidence.getByTestId('rating-evidence-link').getAttribute('href')).resolves.toBe(`/documents/${contractId}`);
    expect(history.length).toBeGreaterThan(0);
    await rating.locator('[data-testid="rating-history-chart"][data-rendered="true"]').waitFor();
    expect(consoleErrors).toEqual([]);
  });

  it("shows the contract's execution on its page and the terms form to an accountant", async () => {
    await page.goto(`${portal.url}documents/${contractId}`);
    const execution = page.locator(`[data-testid="contract-execution"][data-id="${contractId}"]`);
    await execution.waitFor();
    await expect(execution.getByTestId('execution-contracted').getAttribute('data-minor')).resolves.toBe(String(CONTRACT_MINOR));
    await expect(execution.getByTestId('execution-overdue').getAttribute('data-minor')).resolves.toBe(String(ADVANCE_MINOR));
    await expect(execution.getByTestId('schedule-item').count()).resolves.toBe(2);
    await expect(execution.locator('[data-testid="schedule-item"][data-kind="ADVANCE"]').getAttribute('data-state')).resolves.toBe('OVERDUE');
    await execution.getByTestId('contract-terms-edit').click();
    const form = page.getByTestId('contract-terms-form');
    await expect(form.getByTestId('terms-item').count()).resolves.toBe(2);
    // a schedule above the contract's amount: refused by the API, nothing changes
    await form.getByTestId('terms-item-add').click();
    const added = form.getByTestId('terms-item').nth(2);
    await added.getByTestId('terms-item-amount').locator('input').fill('5000,00');
    await added.getByTestId('terms-item-due-date').locator('input').fill(russianDate(isoDay(90)));
    await page.keyboard.press('Enter');
    await form.getByTestId('terms-save').click();
    const refusal = form.getByTestId('error-schedule');
    await refusal.waitFor();
    expect(await textOf(refusal)).toBe('Платежи графика в сумме 1 005 000,00 ₽ — больше суммы договора 1 000 000,00 ₽');
    await form.getByTestId('terms-cancel').click();
    await expect(execution.getByTestId('schedule-item').count()).resolves.toBe(2);
  });

  it('imports a bank statement through the portal: preview, confirm, the report; the payment reaches the card', async () => {
    await page.goto(`${portal.url}finance/import`);
    const importPage = page.getByTestId('finance-import');
    await importPage.waitFor();
    // the sample statement a new user can try is served with the app
    const sampleHref = await page.getByTestId('import-sample').getAttribute('href');
    const sample = await fetch(new URL(sampleHref ?? '', portal.url));
    expect(sample.status).toBe(200);
    expect(Buffer.from(await sample.arrayBuffer()).equals(readFileSync(SAMPLE_STATEMENT))).toBe(true);

    const file = statementFile();
    await page.getByTestId('import-file').setInputFiles({ name: 'statement.txt', mimeType: 'text/plain', buffer: file });
    await page.getByTestId('import-upload-submit').click();
    const preview = page.locator('[data-testid="import-preview"][data-total="2"][data-duplicates="0"]');
    await preview.waitFor();
    await expect(preview.getByTestId('import-preview-row').count()).resolves.toBe(2);
    await expect(preview.locator('[data-testid="import-preview-row"][data-status="MATCHED"]').count()).resolves.toBe(1);
    await page.getByTestId('import-confirm').click();
    const report = page.locator('[data-testid="import-report"][data-status="DONE"]');
    await report.waitFor();
    await expect(report.getByTestId('import-report-created').getAttribute('data-value')).resolves.toBe('2');
    await expect(report.getByTestId('import-report-duplicates').getAttribute('data-value')).resolves.toBe('0');
    await expect(report.getByTestId('import-report-matched').getAttribute('data-value')).resolves.toBe('1');

    // the card: the advance is the last payment
    await page.goto(`${portal.url}counterparties/${counterpartyId}`);
    const lastPayment = page.locator('[data-testid="finance-panel"][data-state="ready"]').getByTestId('finance-last-payment');
    await lastPayment.waitFor();
    expect(await textOf(lastPayment)).toContain('300 000,00 ₽');
    const api = await financeOf();
    expect(api.finance.lastPayment).toEqual({ amount: { minor: ADVANCE_MINOR } });
    // paid this month: the 12-month chart is drawn
    await page.locator('[data-testid="finance-months-chart"][data-rendered="true"]').waitFor();
    await expect(page.getByTestId('finance-receivable').getAttribute('data-minor')).resolves.toBe(String(api.finance.receivable.minor));

    // the sample statement of the repository, as a new user tries it: its payers are unknown here, so it imports
    // and its payments wait for review
    const sampleBytes = readFileSync(SAMPLE_STATEMENT);
    const samplePayments = new TextDecoder('windows-1251').decode(sampleBytes).split(/\r?\n/).filter((line) => line.startsWith('СекцияДокумент=')).length;
    expect(samplePayments).toBeGreaterThan(0);
    await page.goto(`${portal.url}finance/import`);
    await page.getByTestId('import-file').setInputFiles({ name: 'sample-statement.txt', mimeType: 'text/plain', buffer: sampleBytes });
    await page.getByTestId('import-upload-submit').click();
    await page.locator(`[data-testid="import-preview"][data-total="${samplePayments}"]`).waitFor();
    await page.getByTestId('import-confirm').click();
    const sampleReport = page.locator('[data-testid="import-report"][data-status="DONE"]');
    await sampleReport.waitFor();
    expect(Number(await sampleReport.getByTestId('import-report-created').getAttribute('data-value'))).toBeGreaterThan(0);

    // our file again: everything is a duplicate
    await page.goto(`${portal.url}finance/import`);
    await page.getByTestId('import-file').setInputFiles({ name: 'statement.txt', mimeType: 'text/plain', buffer: file });
    await page.getByTestId('import-upload-submit').click();
    await page.locator('[data-testid="import-preview"][data-total="2"][data-duplicates="2"]').waitFor();
    await page.getByTestId('import-discard').click();
    await page.getByTestId('import-upload').waitFor();

    // a truncated file (no КонецФайла) is refused with its last line, and nothing of it is imported
    const truncated = file.toString('utf8').replace(/КонецФайла\r\n$/, '');
    expect(truncated.length).toBeLessThan(file.toString('utf8').length);
    await page.getByTestId('import-file').setInputFiles({ name: 'broken.txt', mimeType: 'text/plain', buffer: Buffer.from(truncated, 'utf8') });
    await page.getByTestId('import-upload-submit').click();
    const refused = page.getByTestId('import-refused');
    await refused.waitFor();
    await expect(refused.getAttribute('data-line')).resolves.toBe(String(truncated.split('\r\n').length - 1));
    // the browser logs the refusal's 4xx answer itself; nothing else may fail
    expect(consoleErrors.filter((text) => !/status of 4\d\d/.test(text))).toEqual([]);
  });

  it('matches the unknown payer by hand in the review queue', async () => {
    await page.goto(`${portal.url}finance/review`);
    const row = page.locator('[data-testid="review-list"] [data-testid="payment-row"]').filter({ has: page.locator('[data-testid="payment-number"]', { hasText: /^\s*502\s*$/ }) });
    await row.waitFor();
    await row.getByTestId('review-counterparty').click();
    await page.keyboard.type(counterpartyInn);
    await page.locator('.n-base-select-option', { hasText: counterpartyInn }).first().click();
    // the picker shows the chosen counterparty before the match is sent (no click on a half-made choice)
    await row.getByTestId('review-counterparty').filter({ hasText: 'Северный Ветер' }).waitFor();
    const paymentId = await row.getAttribute('data-id');
    expect(paymentId).toBeTruthy();
    await row.getByTestId('review-match').click();
    // either the row leaves the queue, or the matcher says why not (that text is the failure's message)
    const gone = page.locator(`[data-testid="review-list"] [data-testid="payment-row"][data-id="${paymentId}"]`).waitFor({ state: 'detached' }).then(() => null);
    const refused = row.getByTestId('review-error').waitFor().then(() => textOf(row.getByTestId('review-error')));
    expect(await Promise.race([gone, refused])).toBeNull();

    await page.goto(`${portal.url}finance/payments?status=MATCHED`);
    const matched = page.locator(`[data-testid="payments-table"] [data-testid="payment-row"][data-id="${paymentId}"]`);
    await matched.waitFor();
    expect(await textOf(matched.getByTestId('payment-counterparty'))).toContain('Северный Ветер');
    expect(consoleErrors.filter((text) => !/status of 4\d\d/.test(text))).toEqual([]);
  });

  it('exports the payments registry with the filters of the page: the XLSX holds exactly the rows the list shows', async () => {
    await page.goto(`${portal.url}finance/payments?status=MATCHED`);
    await page.locator('[data-testid="payments-table"] [data-testid="payment-row"]').first().waitFor();
    await page.getByTestId('payments-export').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('payments-export-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/^payments-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const table = await readExportTable(readFileSync((await download.path())!), 'xlsx');
    expect(table.header.slice(0, 4)).toEqual(['Дата', 'Номер', 'Направление', 'Сумма']);
    const listed = await gql<{ payments: { edges: { node: { number: string } }[] } }>('{ payments(first: 100, filter: { matchStatus: MATCHED }) { edges { node { number } } } }', {}, ACCOUNTANT.email);
    expect(table.rows.map((row) => row[1])).toEqual(listed.payments.edges.map((edge) => edge.node.number));
    expect(table.rows.map((row) => row[1])).toEqual(expect.arrayContaining(['501', '502']));
    expect(new Set(table.rows.map((row) => row[12]))).toEqual(new Set(['Сопоставлен']));
    await expect(page.getByTestId('payments-export-error').count()).resolves.toBe(0);
  });

  it('fits a phone: the finance panel and pages never scroll sideways (the pages\' tables scroll inside, the card panel\'s stack)', async () => {
    const phone = await browser.newContext({ ...PORTAL_CONTEXT, locale: 'ru-RU', viewport: { width: 390, height: 844 } });
    phone.setDefaultTimeout(BROWSER_TIMEOUT_MS);
    try {
      const small = await phone.newPage();
      await logInThroughUi(small, portal.url, ACCOUNTANT.email, ACCOUNTANT.password);
      /** The element stays within the viewport and its own width (wide tables scroll in their `.fin-scroll`). */
      const fits = (selector: string) =>
        small.locator(selector).first().evaluate((element) => {
          const box = element.getBoundingClientRect();
          return { right: Math.round(box.right), viewport: window.innerWidth, scroll: element.scrollWidth, client: element.clientWidth };
        });
      const views = [
        { path: `counterparties/${counterpartyId}`, slot: '#mf-finance', ready: '[data-testid="finance-panel"][data-state="ready"]' },
        { path: `documents/${contractId}`, slot: '#mf-document-finance', ready: '[data-testid="contract-execution"]' },
        { path: 'finance/payments', slot: '#mf-finance-pages', ready: '[data-testid="payments-table"], [data-testid="payments-empty"]' },
        { path: 'finance/import', slot: '#mf-finance-pages', ready: '[data-testid="import-upload"]' },
        { path: 'finance/review', slot: '#mf-finance-pages', ready: '[data-testid="review-list"], [data-testid="review-empty"]' },
      ];
      for (const view of views) {
        await small.goto(`${portal.url}${view.path}`);
        await small.locator(view.ready).first().waitFor();
        const box = await fits(view.slot);
        expect({ path: view.path, ok: box.right <= box.viewport && box.scroll <= box.client, box }).toEqual({ path: view.path, ok: true, box });
        // the finance pages are the whole page: nothing of it scrolls sideways (the header's links scroll in the header)
        if (view.path.startsWith('finance/')) {
          const page = await small.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
          expect({ path: view.path, ...page, ok: page.scroll <= page.viewport }).toEqual({ path: view.path, ...page, ok: true });
        }
      }

      // on the card, the panel's tables are stacked rows «label: value»: neither scrolls sideways inside its box
      await small.goto(`${portal.url}counterparties/${counterpartyId}`);
      await small.locator('[data-testid="finance-panel"][data-state="ready"] [data-testid="finance-contract"]').first().waitFor();
      await small.locator('[data-testid="rating-factor"]').first().waitFor();
      const stacked = await small.evaluate(() =>
        ['finance-contracts', 'rating-factors'].map((testId) => {
          const table = document.querySelector<HTMLElement>(`[data-testid="${testId}"]`)!;
          const box = table.parentElement!;
          const cell = table.querySelector<HTMLElement>('tbody tr td[data-label]')!;
          return { testId, sideways: table.scrollWidth > table.clientWidth + 1 || box.scrollWidth > box.clientWidth + 1, row: getComputedStyle(cell.parentElement!).display, label: getComputedStyle(cell, '::before').content === `"${cell.dataset.label}: "` };
        }),
      );
      expect(stacked).toEqual([
        { testId: 'finance-contracts', sideways: false, row: 'block', label: true },
        { testId: 'rating-factors', sideways: false, row: 'block', label: true },
      ]);
    } finally {
      await phone.close();
    }
  });
});
