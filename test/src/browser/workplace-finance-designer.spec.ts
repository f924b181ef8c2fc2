import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { DEMO_USERS } from '@kartoteka/kit';
import { isoDay } from '../support/bank-statement';
import { CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { BROWSER_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, freePort, PORTAL_CONTEXT, logInThroughUi, startPortal, type PortalServer } from '../support/portal';
import { startStack, type Stack } from '../support/stack';
import { eventually } from '../support/timing';

/**
 * The workplace of a manager: "My day" shows the overdue invoices of the counterparties they are responsible for
 * (a contract signed through the EDMS with its terms, and an invoice under it signed with a due date a week ago;
 * another manager's client owes too and is not shown), each linked to the card and to the invoice. And the case
 * template designer works as an outline: a section chosen in it is the one edited, an invalid field or stage gets
 * an error badge in the outline, and on a phone the outline sits above the editor.
 */

const userOf = (email: string) => {
  const user = DEMO_USERS.find((candidate) => candidate.email === email);
  if (!user) throw new Error(`no demo user ${email}`);
  return user;
};
const MANAGER = userOf('manager@kartoteka.local');
const SALES = userOf('sales@kartoteka.local');
const INVOICE_MINOR = 150_000_00;

let stack: Stack;
let portal: PortalServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

let mineId: string;
let invoiceId: string;

async function gql<T>(query: string, variables: Record<string, unknown>, email: string): Promise<T> {
  const result = await stack.call<T>(query, variables, await stack.login(email));
  if (result.errors?.length || !result.data) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(result.errors)}`);
  return result.data;
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations inside the element with `testid` (rule and where). */
async function seriousViolationsIn(testid: string): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (selector) => {
    type Result = { violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] };
    const axe = (window as unknown as { axe: { run: (context: object, options: object) => Promise<Result> } }).axe;
    const result = await axe.run({ include: [[selector]] }, { resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} ${JSON.stringify(v.nodes[0]?.target)}`);
  }, `[data-testid="${testid}"]`);
}

const textOf = async (locator: Locator): Promise<string> => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();

async function upload(name: string, email: string): Promise<string> {
  const body = new FormData();
  body.append('files', new Blob([new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(1024)]))]), name);
  const response = await fetch(`${stack.gatewayUrl.replace(/\/graphql$/, '')}/rest/documents/files`, { method: 'POST', headers: { authorization: `Bearer ${await stack.login(email)}` }, body });
  if (response.status !== 201) throw new Error(`upload: HTTP ${response.status}`);
  const { files } = (await response.json()) as { files: { id: string }[] };
  return files[0].id;
}

/** Signs a document through the EDMS: a one-step route of its type (the director signs off), approved. */
async function sign(input: Record<string, unknown>, author: string): Promise<string> {
  const template = await gql<{ createRouteTemplate: { id: string } }>(
    'mutation($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id } }',
    { input: { name: `Подпись директора ${randomBytes(3).toString('hex')}`, documentType: input.type, stages: [{ name: 'Подписание', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'DIRECTOR', deadlineHours: 24 }] }] } },
    'admin@kartoteka.local',
  );
  const created = await gql<{ createDocument: { id: string } }>(
    'mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }',
    { input: { ...input, fileIds: [await upload(`${String(input.title)}.pdf`, author)] } },
    author,
  );
  const documentId = created.createDocument.id;
  await gql('mutation($input: StartApprovalInput!) { startApproval(input: $input) { id } }', { input: { documentId, routeTemplateId: template.createRouteTemplate.id } }, author);
  const stepId = await eventually(async () => {
    const data = await gql<{ myApprovalTasks: { edges: { node: { id: string; canDecide: boolean; document: { id: string } } }[] } }>(
      '{ myApprovalTasks(first: 50) { edges { node { id canDecide document { id } } } } }',
      {},
      'director@kartoteka.local',
    );
    return data.myApprovalTasks.edges.find((edge) => edge.node.document.id === documentId && edge.node.canDecide)?.node.id;
  }, 'the director has the document to sign');
  await gql('mutation($input: ApproveStepInput!) { approveStep(input: $input) { id } }', { input: { stepId } }, 'director@kartoteka.local');
  return documentId;
}

/** A client of `manager` owing an invoice under a signed contract, due `daysLate` days ago. */
async function owingClient(name: string, manager: typeof MANAGER, daysLate: number): Promise<{ counterpartyId: string; invoiceId: string }> {
  const { createCounterparty } = await gql<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput({ name, responsibleManagerId: manager.id }) }, manager.email);
  const counterpartyId = createCounterparty.id;
  const contractId = await sign(
    { type: 'CONTRACT', counterpartyId, title: `Договор поставки ${name}`, amountMinor: 1_000_000_00, contract: { subject: 'Поставка оборудования', startDate: isoDay(-60), endDate: isoDay(300) } },
    manager.email,
  );
  await eventually(async () => {
    const data = await gql<{ document: { execution: { contractId: string } | null } | null }>('query($id: ID!) { document(id: $id) { execution { contractId } } }', { id: contractId }, manager.email);
    return data.document?.execution?.contractId === contractId;
  }, 'finance knows the signed contract');
  // the terms: we are paid; invoices bill the contract (no fixed schedule)
  await gql('mutation($input: ContractTermsInput!) { setContractTerms(input: $input) { contractId } }', { input: { contractId, direction: 'RECEIVABLE', schedule: [] } }, manager.email);
  const invoice = await sign(
    {
      type: 'INVOICE',
      counterpartyId,
      title: `Счёт ${name}`,
      date: isoDay(-daysLate - 10),
      amountMinor: INVOICE_MINOR,
      invoice: { dueDate: isoDay(-daysLate) },
      links: [{ kind: 'INVOICE_FOR', targetId: contractId }],
    },
    manager.email,
  );
  return { counterpartyId, invoiceId: invoice };
}

beforeAll(async () => {
  const portalPort = await freePort();
  stack = await startStack({ corsOrigins: [`http://127.0.0.1:${portalPort}`], gatewayEnv: { REST_SERVICES: 'documents,finance' } });
  portal = await startPortal(portalPort, stack.gatewayUrl);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

  ({ counterpartyId: mineId, invoiceId } = await owingClient('ООО «Мой должник»', MANAGER, 7));
  await owingClient('ООО «Чужой должник»', SALES, 20);
  await eventually(async () => {
    const data = await gql<{ myOverdueReceivables: { totalCount: number } }>('{ myOverdueReceivables(first: 10) { totalCount } }', {}, MANAGER.email);
    return data.myOverdueReceivables.totalCount === 1;
  }, 'finance knows the overdue invoice of my client');

  context = await browser.newContext({ ...PORTAL_CONTEXT, locale: 'ru-RU', viewport: { width: 1440, height: 1000 } });
  context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
  page = await context.newPage();
  await logInThroughUi(page, portal.url, MANAGER.email, MANAGER.password);
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await portal?.close();
  await stack?.stop();
});

describe('the workplace: My day finance and the designer outline', () => {
  it('My day lists the overdue invoice of my counterparty (not of another manager\'s), linked to the card and the invoice', async () => {
    await page.goto(portal.url);
    const panel = page.locator('[data-testid="myday-finance"][data-state="ready"]');
    await panel.waitFor();
    const rows = panel.getByTestId('myday-overdue');
    await expect(rows.count()).resolves.toBe(1);
    const row = rows.first();
    await expect(row.getAttribute('data-counterparty-id')).resolves.toBe(mineId);
    await expect(row.getAttribute('data-days')).resolves.toBe('7');
    expect(await textOf(row.getByTestId('myday-overdue-counterparty'))).toContain('Мой должник');
    await expect(row.getByTestId('myday-overdue-counterparty').getAttribute('href')).resolves.toBe(`/counterparties/${mineId}`);
    // the invoice by its registration number, under its contract, with the due date
    expect(await textOf(row.getByTestId('myday-overdue-document'))).toMatch(/^Счёт № СЧ-\d{4}-\d+$/);
    expect(await textOf(row.locator('td').nth(1))).toMatch(/по договору № .+ · срок \d{2}\.\d{2}\.\d{4}$/);
    expect(await textOf(row.getByTestId('myday-overdue-amount'))).toBe('150 000,00 ₽');
    expect(await textOf(row.getByTestId('myday-overdue-days'))).toBe('7 дн.');
    await expect(panel.getByTestId('myday-finance-total').getAttribute('data-minor')).resolves.toBe(String(INVOICE_MINOR));
    expect(await seriousViolationsIn('myday-finance')).toEqual([]);

    await row.getByTestId('myday-overdue-document').click();
    await page.waitForURL(`${portal.url}documents/${invoiceId}`);
    await page.locator(`[data-testid="document-page"][data-id="${invoiceId}"]`).waitFor();
  });

  it('the designer edits one section chosen in the outline, and badges the items with errors', async () => {
    await page.goto(`${portal.url}deals/templates/new`);
    await page.getByTestId('designer').waitFor();
    await page.getByTestId('designer-name').fill('Шаблон с ошибками');
    const outline = page.getByTestId('designer-outline');
    const firstStage = page.getByTestId('designer-stage').first();
    const firstSection = page.getByTestId('designer-section').first();
    // a new draft shows its first stage; the section waits in the outline
    await firstStage.waitFor();
    await expect(firstSection.isVisible()).resolves.toBe(false);

    // choose the section from the keyboard: focus the first stage, walk down the outline to the section, Enter
    await outline.getByTestId('designer-outline-stage').first().focus();
    const sectionItem = outline.getByTestId('designer-outline-section').first();
    for (let step = 0; step < 5 && !(await sectionItem.evaluate((element) => element === document.activeElement)); step += 1) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(sectionItem.getAttribute('aria-current')).resolves.toBe('true');
    await firstSection.waitFor();
    await expect(firstStage.isVisible()).resolves.toBe(false);

    // a field, edited: its label shows in the outline under the section
    await firstSection.getByTestId('designer-field-add').click();
    await firstSection.getByTestId('designer-field').last().getByTestId('designer-field-label').fill('Бюджет');
    await outline.locator('[data-testid="designer-outline-field"][data-index="0"]', { hasText: 'Бюджет' }).waitFor();
    // a second field left without a label, and the first stage without a name
    await firstSection.getByTestId('designer-field-add').click();
    await outline.getByTestId('designer-outline-stage').first().click();
    await firstStage.getByTestId('designer-stage-name').fill('');

    await page.getByTestId('designer-publish').click();
    // the stage shown has errors: it stays; both invalid items carry a badge in the outline
    await firstStage.getByTestId('error-stages.0.name').waitFor();
    await outline.locator('[data-testid="designer-outline-stage"][data-index="0"]').getByTestId('designer-outline-errors').waitFor();
    await outline.locator('[data-testid="designer-outline-section"][data-index="0"]').getByTestId('designer-outline-errors').waitFor();
    const badField = outline.locator('[data-testid="designer-outline-field"][data-index="1"]');
    await badField.getByTestId('designer-outline-errors').waitFor();
    expect(await seriousViolationsIn('designer-outline')).toEqual([]);
    await expect(outline.locator('[data-testid="designer-outline-field"][data-index="0"]').getByTestId('designer-outline-errors').count()).resolves.toBe(0);

    // the badge leads to the error: the field opens in its section, the stage's badge goes once it is fixed
    await badField.click();
    await page.getByTestId('error-form.fields.1.label').waitFor();
    await outline.getByTestId('designer-outline-stage').first().click();
    await firstStage.getByTestId('designer-stage-name').fill('Квалификация');
    await expect(outline.locator('[data-testid="designer-outline-stage"][data-index="0"]').getAttribute('data-errors')).resolves.toBe('0');

    // on a phone the outline sits above the editor
    await page.setViewportSize({ width: 390, height: 844 });
    const outlineBox = await outline.boundingBox();
    const editorBox = await firstStage.boundingBox();
    expect(outlineBox && editorBox && outlineBox.y + outlineBox.height <= editorBox.y).toBe(true);
    await page.setViewportSize({ width: 1440, height: 1000 });
  });
});
