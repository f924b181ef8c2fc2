import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { DEMO_USERS } from '@kartoteka/kit';
import { CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { BROWSER_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, freePort, PORTAL_CONTEXT, logInThroughUi, startPortal, type PortalServer } from '../support/portal';
import { insertChangedCopy } from '../support/dangling';
import { startStack, type Stack } from '../support/stack';

/**
 * Deal cases in the portal, as a sales lead works: a case template with three working stages (and a lost
 * one) and a form is built in the designer and published; a deal is opened on it for a counterparty with
 * the form filled in; on the kanban board it is first refused to leave «Квалификация» while the stage's
 * required field is empty, then — the field filled on the deal page — moved on and won from the keyboard.
 * The list, the analytics (ECharts) and the counterparty card's deals panel show it.
 */

const userOf = (email: string) => {
  const user = DEMO_USERS.find((candidate) => candidate.email === email);
  if (!user) throw new Error(`no demo user ${email}`);
  return user;
};
const MANAGER = userOf('manager@kartoteka.local');

const TEMPLATE_NAME = 'Продажа оборудования';
const STAGES = [
  { key: 'qualification', name: 'Квалификация', probability: 20, outcome: 'OPEN' },
  { key: 'proposal', name: 'Предложение', probability: 60, outcome: 'OPEN' },
  { key: 'won', name: 'Выиграна', probability: 100, outcome: 'WON' },
  { key: 'lost', name: 'Проиграна', probability: 0, outcome: 'LOST' },
] as const;
const BUDGET = { key: 'budget', label: 'Бюджет клиента' };
const SOURCE = { key: 'source', label: 'Источник сделки' };
const CALL = { key: 'first_call', title: 'Первый звонок клиенту' };
const DEAL_TITLE = 'Поставка серверного оборудования';

let stack: Stack;
let portal: PortalServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

let counterpartyId: string;
let counterpartyName: string;
let templateId: string;
let dealId: string;

async function gql<T>(query: string, variables: Record<string, unknown>, email: string): Promise<T> {
  const result = await stack.call<T>(query, variables, await stack.login(email));
  if (result.errors?.length || !result.data) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** The element's text with every kind of space (Intl puts no-break ones in amounts) as a plain one. */
const textOf = async (locator: Locator): Promise<string> => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ');

/** Opens a Naive select (the element with the test id) and picks the option with this text. */
async function choose(select: Locator, option: string): Promise<void> {
  await select.click();
  await page.locator('.n-base-select-option', { hasText: option }).first().click();
}

const column = (stageKey: string) => page.locator(`[data-testid="deal-board-column"][data-stage="${stageKey}"]`);
const cardIn = (stageKey: string) => column(stageKey).locator(`[data-testid="deal-board-card"][data-id="${dealId}"]`);
/** The deal's card in this column, settled: no move of it on its way to the server. */
const settledCardIn = (stageKey: string) => column(stageKey).locator(`[data-testid="deal-board-card"][data-id="${dealId}"][data-pending="false"]`);

beforeAll(async () => {
  const portalPort = await freePort();
  stack = await startStack({ corsOrigins: [`http://127.0.0.1:${portalPort}`] });
  portal = await startPortal(portalPort, stack.gatewayUrl);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

  const input = legalEntityInput({ name: 'ООО «Вектор Поставка»' });
  counterpartyName = String(input.name);
  const { createCounterparty } = await gql<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input }, MANAGER.email);
  counterpartyId = createCounterparty.id;

  context = await browser.newContext({ ...PORTAL_CONTEXT, locale: 'ru-RU', viewport: { width: 1440, height: 1000 } });
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
});

describe('deal cases in the portal', () => {
  it('builds a case template with stages, an action and a form in the designer, and publishes it', async () => {
    await page.goto(`${portal.url}deals/templates/new`);
    const designer = page.getByTestId('designer');
    await designer.waitFor();
    await page.getByTestId('designer-name').fill(TEMPLATE_NAME);

    // The form: the stage's required budget and an optional source, in the first section (chosen in the outline:
    // the designer edits one stage or section at a time).
    await page.getByTestId('designer-outline-section').first().click();
    for (const field of [BUDGET, SOURCE]) {
      await page.getByTestId('designer-field-add').first().click();
      const row = page.getByTestId('designer-field').last();
      await row.getByTestId('designer-field-label').fill(field.label);
      await row.getByTestId('designer-field-key').fill(field.key);
    }

    // A new draft starts with an open, a won and a lost stage; one more open stage goes before the won one.
    await page.getByTestId('designer-stage-add').click();
    const stages = page.getByTestId('designer-stage');
    await expect(stages.count()).resolves.toBe(STAGES.length);
    for (const [index, stage] of STAGES.entries()) {
      await page.getByTestId('designer-outline-stage').nth(index).click();
      const card = stages.nth(index);
      await expect(card.locator(`[data-testid="designer-stage-outcome-${stage.outcome}"] input`).isChecked()).resolves.toBe(true);
      await card.getByTestId('designer-stage-name').fill(stage.name);
      await card.getByTestId('designer-stage-key').fill(stage.key);
      await card.getByTestId('designer-stage-probability').fill(String(stage.probability));
    }
    const qualification = stages.nth(0);
    await page.getByTestId('designer-outline-stage').nth(0).click();
    await choose(qualification.getByTestId('designer-stage-required-fields'), BUDGET.label);
    await page.keyboard.press('Escape');
    await qualification.getByTestId('designer-action-add').click();
    const action = qualification.getByTestId('designer-action').last();
    await action.getByTestId('designer-action-title').fill(CALL.title);
    await action.getByTestId('designer-action-key').fill(CALL.key);

    await page.getByTestId('designer-save').click();
    await page.waitForURL(/\/deals\/templates\/[0-9a-f-]{36}$/);
    templateId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await page.getByTestId('designer-publish').click();
    await page.getByTestId('publish-dialog-confirm').click();
    await page.locator('[data-testid="designer-status"][data-status="PUBLISHED"]').waitFor();
    await page.locator('[data-testid="designer-latest-version"]', { hasText: '1' }).waitFor();

    // Published again with no change: the server refuses, naming no control of the designer, so the banner says it
    // until the next edit of the draft.
    await page.getByTestId('designer-publish').click();
    await page.getByTestId('publish-dialog-confirm').click();
    const banner = page.getByTestId('designer-form-error');
    await banner.waitFor();
    expect(await textOf(banner)).toContain('version 1');
    // once the dialog is gone, the focus is at the error, not back on the publish button (it used to be taken back
    // there when the dialog finished closing: typing right after then went nowhere)
    await page.getByTestId('publish-dialog').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.querySelector('[data-testid="designer-form-error"]') !== null)).toBe(true);
    await page.getByTestId('designer-description').fill('Для отдела продаж');
    await banner.waitFor({ state: 'detached' });
    await page.getByTestId('designer-description').fill('');
    await page.getByTestId('designer-dirty').waitFor({ state: 'detached' });
  });

  it('opens a deal on the template for the counterparty with the form filled in', async () => {
    // Opened from a stale link, for a counterparty the deals service does not know.
    await page.goto(`${portal.url}deals/new?counterpartyId=${randomUUID()}&templateId=${templateId}`);
    await page.getByTestId('deal-create').waitFor();
    await page.locator(`[data-testid="deal-create"][data-template-id="${templateId}"]`).waitFor();
    await page.getByTestId('deal-title').fill(DEAL_TITLE);
    await page.getByTestId('deal-amount').fill('1250000');
    // The budget stays empty: the stage's rule is what the board is going to enforce.
    await page.getByTestId(`case-input-${SOURCE.key}`).fill('Выставка «Связь-2026»');
    await page.getByTestId('deal-save').click();

    // The server refuses the counterparty: its rule in Russian under the field, the banner, the focus in the field.
    const refused = page.getByTestId('error-counterpartyId');
    await refused.waitFor();
    expect(await textOf(refused)).toBe('Такого контрагента нет');
    expect(await textOf(page.getByTestId('deal-form-error'))).toBe('Исправьте ошибки в отмеченных полях');
    await page.waitForFunction(() => Boolean(document.activeElement?.closest('[data-field="counterpartyId"]')));
    // Another counterparty chosen: the error under the field and the banner go.
    await page.getByTestId('deal-counterparty').click();
    await page.keyboard.type('Вектор Поставка');
    await page.locator('.n-base-select-option', { hasText: 'Вектор Поставка' }).first().click();
    await refused.waitFor({ state: 'detached' });
    await page.getByTestId('deal-form-error').waitFor({ state: 'detached' });
    await page.getByTestId('deal-save').click();
    await page.waitForURL(/\/deals\/[0-9a-f-]{36}$/);
    dealId = new URL(page.url()).pathname.split('/').pop() ?? '';
  });

  it('refuses on the board to move the deal on without the required field, then moves it once it is filled', async () => {
    await page.getByTestId('nav-deal-board').click();
    await page.waitForURL(/\/deals\/board/);
    await choose(page.getByTestId('deal-board-template'), TEMPLATE_NAME);
    await page.locator(`[data-testid="deal-board"][data-template-id="${templateId}"]`).waitFor();
    expect(new URL(page.url()).searchParams.get('templateId')).toBe(templateId);

    // one column per stage, in the template's order, with the count and sum of the stage
    await column('lost').waitFor();
    expect(await page.getByTestId('deal-board-column').evaluateAll((columns) => columns.map((c) => (c as HTMLElement).dataset.stage))).toEqual(STAGES.map((s) => s.key));
    const card = cardIn('qualification');
    await card.waitFor();
    await expect(column('qualification').getAttribute('data-count')).resolves.toBe('1');
    expect(await textOf(column('qualification').getByTestId('deal-board-column-sum'))).toContain('1 250 000,00');
    expect(await textOf(card.getByTestId('deal-board-card-title'))).toContain(DEAL_TITLE);
    expect(await textOf(card.getByTestId('deal-board-card-counterparty'))).toContain(counterpartyName);
    expect(await textOf(card.getByTestId('deal-board-card-amount'))).toContain('1 250 000,00');
    expect(await textOf(card.getByTestId('deal-board-card-owner'))).toContain(MANAGER.name);
    expect(await textOf(card.getByTestId('deal-board-card-next-action'))).toContain(CALL.title);

    // dragged to «Предложение»: the server refuses, the card snaps back, the refusal names the field
    await card.dragTo(column('proposal'));
    const refusal = page.locator(`[data-testid="deal-board-refusal"][data-deal-id="${dealId}"][data-kind="requirements"]`);
    await refusal.waitFor();
    // The refusal names the field by its key at once and by its label once the deal's template is loaded.
    await refusal.locator(`[data-testid="deal-board-refusal-field"][data-key="${BUDGET.key}"]`, { hasText: BUDGET.label }).waitFor();
    await settledCardIn('qualification').waitFor();
    expect(await cardIn('proposal').count()).toBe(0);

    // the refusal leads to the deal page, where the field is filled in
    await refusal.getByTestId('deal-board-refusal-open').click();
    await page.waitForURL(new RegExp(`/deals/${dealId}$`));
    await fillDealField(BUDGET.key, '1500000');

    // back on the board the move goes through
    await page.getByTestId('nav-deal-board').click();
    await page.locator(`[data-testid="deal-board"][data-template-id="${templateId}"]`).waitFor();
    await cardIn('qualification').dragTo(column('proposal'));
    await settledCardIn('proposal').waitFor();
    await page.locator('[data-testid="deal-board-column"][data-stage="proposal"][data-count="1"]').waitFor();
    await page.locator('[data-testid="deal-board-column"][data-stage="qualification"][data-count="0"]').waitFor();
    expect(await page.getByTestId('deal-board-refusal').count()).toBe(0);
  });

  it('asks why when a deal is dropped on the lost column, and wins it with the keyboard', async () => {
    // dropped on «Проиграна»: a reason is asked first; cancelled, the deal stays where it was
    await cardIn('proposal').dragTo(column('lost'));
    const dialog = page.getByTestId('deal-move-dialog');
    await dialog.waitFor();
    await expect(page.locator('[data-testid="deal-move-stage-lost"] input').isChecked()).resolves.toBe(true);
    await page.getByTestId('deal-move-confirm').click();
    await page.getByTestId('deal-move-reason-error').waitFor();
    await page.getByTestId('deal-move-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    await settledCardIn('proposal').waitFor();

    // "Move to…" from the keyboard: the card's button, the stage's radio, Enter on "Move"
    await cardIn('proposal').getByTestId('deal-board-card-move').focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.locator('[data-testid="deal-move-stage-won"] input').focus();
    await page.keyboard.press('Space');
    await page.getByTestId('deal-move-confirm').focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await settledCardIn('won').waitFor();
    await page.locator('[data-testid="deal-board-column"][data-stage="won"][data-count="1"]').waitFor();
  });

  it('lists the won deal with its stage, status and weighted amount', async () => {
    await page.getByTestId('funnel-view-list').click();
    await page.waitForURL(/\/deals\?/);
    // A cached row may show first; wait for the fresh one.
    const row = page.locator(`[data-testid="deal-list-row"][data-id="${dealId}"][data-status="WON"]`);
    await row.waitFor();
    expect(await textOf(row.getByTestId('deal-list-stage'))).toContain('Выиграна');
    expect(await textOf(row.getByTestId('deal-list-counterparty'))).toContain(counterpartyName);
    expect(await textOf(row.getByTestId('deal-list-weighted'))).toContain('1 250 000,00');

    // the status filter keeps it; "Проиграна" finds nothing
    await choose(page.getByTestId('deal-list-filter-status'), 'Проиграна');
    await page.getByTestId('deal-list-empty').waitFor();
    expect(new URL(page.url()).searchParams.get('status')).toBe('LOST');
    await page.getByTestId('deal-list-reset').click();
    await row.waitFor();
  });

  it('shows the funnel, conversion and win rate of the template in the analytics', async () => {
    await page.getByTestId('nav-deal-analytics').click();
    await page.waitForURL(/\/deals\/analytics/);
    await page.locator(`[data-testid="deal-analytics"][data-template-id="${templateId}"]`).waitFor();
    await page.locator('[data-testid="deal-analytics-result"][data-state="ready"]').waitFor();
    await expect(page.getByTestId('deal-analytics-won').getAttribute('data-value')).resolves.toBe('1');
    await expect(page.getByTestId('deal-analytics-lost').getAttribute('data-value')).resolves.toBe('0');
    await expect(page.getByTestId('deal-analytics-win-rate').getAttribute('data-value')).resolves.toBe('1');
    expect(await textOf(page.getByTestId('deal-analytics-win-rate'))).toContain('100');

    // the deal went through every working stage: reached once each
    for (const stage of ['qualification', 'proposal', 'won']) {
      await expect(page.locator(`[data-testid="deal-analytics-stage-row"][data-stage="${stage}"]`).getAttribute('data-reached')).resolves.toBe('1');
    }
    // "Sum now" is the deals in the stage now (the board's column), "sum of those reached" every deal that has been there.
    const stageRow = (stage: string) => page.locator(`[data-testid="deal-analytics-stage-row"][data-stage="${stage}"]`);
    await expect(stageRow('qualification').getByTestId('deal-analytics-stage-amount').getAttribute('data-minor')).resolves.toBe('0');
    await expect(stageRow('qualification').getByTestId('deal-analytics-stage-reached-amount').getAttribute('data-minor')).resolves.toBe('125000000');
    await expect(stageRow('won').getByTestId('deal-analytics-stage-amount').getAttribute('data-minor')).resolves.toBe('125000000');
    const owner = page.locator(`[data-testid="deal-analytics-owner-row"][data-owner-id="${MANAGER.id}"]`);
    await expect(owner.getAttribute('data-won')).resolves.toBe('1');

    // ECharts drew the funnel (SVG renderer: its labels are text of the page)
    const funnel = page.locator('[data-testid="deal-analytics-funnel-chart"][data-rendered="true"]');
    await funnel.waitFor();
    const labels = await funnel.locator('svg text').allTextContents();
    expect(labels).toEqual(expect.arrayContaining(['Квалификация: 1', 'Предложение: 1', 'Выиграна: 1']));
    expect(labels.some((label) => label.startsWith('Проиграна'))).toBe(false); // an exit, not a step of the funnel
    await page.locator('[data-testid="deal-analytics-period-chart"][data-rendered="true"]').waitFor();
  });

  it('shows the deal on the counterparty card with its stage', async () => {
    await page.goto(`${portal.url}counterparties/${counterpartyId}`);
    const row = page.locator(`[data-testid="deal-row"][data-id="${dealId}"][data-status="WON"]`);
    await row.waitFor();
    expect(await textOf(row)).toContain(DEAL_TITLE);
    expect(await textOf(row.getByTestId('deal-stage'))).toContain('Выиграна');
    expect(consoleErrors).toEqual([]);
  });

  it('imports an exported template under the name given, or as a copy with a name of its own', async () => {
    const { exportCaseTemplate: file } = await gql<{ exportCaseTemplate: Record<string, unknown> }>('query($id: ID!) { exportCaseTemplate(id: $id) }', { id: templateId }, MANAGER.email);
    const importFile = async (name: string | null): Promise<string> => {
      await page.goto(`${portal.url}deals/templates`);
      await page.getByTestId('case-templates').waitFor();
      await page.getByTestId('case-template-import-input').setInputFiles({ name: 'template.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
      const dialog = page.getByTestId('import-template-dialog');
      await dialog.waitFor();
      await expect(page.getByTestId('import-template-name').getAttribute('placeholder')).resolves.toContain(TEMPLATE_NAME);
      if (name) await page.getByTestId('import-template-name').fill(name);
      const before = page.url();
      await page.getByTestId('import-template-dialog-confirm').click();
      await page.waitForURL((url) => url.toString() !== before && /\/deals\/templates\/[0-9a-f-]{36}$/.test(url.pathname));
      const field = page.getByTestId('designer-name');
      await page.waitForFunction((element) => (element as HTMLInputElement).value !== '', await field.elementHandle());
      return field.inputValue();
    };
    const copy = await importFile(null);
    expect(copy).not.toBe(TEMPLATE_NAME);
    expect(copy.startsWith(`${TEMPLATE_NAME} (копия`)).toBe(true);
    expect(await importFile('Оборудование для филиала')).toBe('Оборудование для филиала');
    expect(consoleErrors).toEqual([]);
  });

  it('renders the list when a deal points to a counterparty nobody knows, marking that row', async () => {
    const broken = await insertChangedCopy(stack, 'deals', 'deals', dealId, { counterparty_id: randomUUID(), title: 'Сделка без контрагента' });
    await page.goto(`${portal.url}deals`);
    const brokenRow = page.locator(`[data-testid="deal-list-row"][data-id="${broken}"]`);
    await brokenRow.waitFor();
    expect(await textOf(brokenRow.getByTestId('deal-list-counterparty-unavailable'))).toContain('Контрагент недоступен');
    const row = page.locator(`[data-testid="deal-list-row"][data-id="${dealId}"]`);
    expect(await textOf(row.getByTestId('deal-list-counterparty'))).toContain(counterpartyName);
    await page.goto(`${portal.url}deals/${broken}`);
    await page.getByTestId('deal-page-counterparty-unavailable').waitFor();
  });

  it('sorts the list by a column header on the server (mouse and keyboard), kept in the URL across a reload', async () => {
    /** The first rows in the API's order for the sort, and a wait until the list shows exactly those. */
    const showsApiOrder = async (sort: string, direction: string) => {
      const data = await gql<{ deals: { edges: { node: { id: string } }[] } }>(
        'query($sort: DealSort, $direction: SortDirection) { deals(first: 5, sort: $sort, direction: $direction) { edges { node { id } } } }',
        { sort, direction },
        MANAGER.email,
      );
      const expected = data.deals.edges.map((edge) => edge.node.id).join(',');
      await page.waitForFunction(
        (ids) => [...document.querySelectorAll<HTMLElement>('[data-testid="deal-list-row"]')].slice(0, 5).map((row) => row.dataset.id).join(',') === ids,
        expected,
      );
    };
    await page.goto(`${portal.url}deals?sort=amount&dir=desc`);
    const amount = page.getByTestId('deal-list-sort-amount');
    await expect(amount.getAttribute('aria-sort')).resolves.toBe('descending');
    await showsApiOrder('AMOUNT', 'DESC');

    const title = page.getByTestId('deal-list-sort-title');
    await title.getByRole('button').click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'title' && url.searchParams.get('dir') === 'asc');
    await expect(title.getAttribute('aria-sort')).resolves.toBe('ascending');
    await expect(amount.getAttribute('aria-sort')).resolves.toBe('none');
    await showsApiOrder('TITLE', 'ASC');
    await title.getByRole('button').press('Enter');
    await page.waitForURL((url) => url.searchParams.get('dir') === 'desc');
    await showsApiOrder('TITLE', 'DESC');

    await page.reload();
    await page.locator('[data-testid="deal-list-sort-title"][aria-sort="descending"]').waitFor();
    await showsApiOrder('TITLE', 'DESC');
    // A third press goes back to the default order (newest first): no sort in the URL.
    await page.getByTestId('deal-list-sort-title').getByRole('button').press('Enter');
    await page.waitForURL((url) => !url.searchParams.has('sort') && !url.searchParams.has('dir'));
    await expect(page.getByTestId('deal-list-sort-title').getAttribute('aria-sort')).resolves.toBe('none');
  });
});

/**
 * Fills one form field of the deal on its page (edited in place) and saves it: the deal's version goes up. On a busy
 * machine the page may still show the deal as the board's cache had it when the field is filled: the save is then
 * refused as CONFLICT, and a user reloads the latest version and saves again — so does this helper (at most twice);
 * a form whose validation has not caught up with the value just typed is saved again too. Any other outcome fails
 * with what the page says.
 */
async function fillDealField(key: string, value: string): Promise<void> {
  const dealPage = page.locator(`[data-testid="deal-page"][data-id="${dealId}"]`);
  for (let attempt = 1; ; attempt += 1) {
    await dealPage.waitFor();
    const version = Number(await dealPage.getAttribute('data-version'));
    await page.getByTestId(`case-input-${key}`).fill(value);
    await page.getByTestId('deal-dirty').waitFor();
    await page.getByTestId('deal-save').click();
    const saved = page.locator(`[data-testid="deal-page"][data-id="${dealId}"][data-version="${version + 1}"]`);
    const conflict = page.getByTestId('deal-conflict');
    const formError = page.getByTestId('deal-form-error');
    await saved.or(conflict).or(formError).first().waitFor();
    if (await saved.count()) return;
    if (attempt < 3 && (await conflict.count())) {
      await page.getByTestId('deal-conflict-reload').click();
      await conflict.waitFor({ state: 'detached' });
      continue;
    }
    // the form's own validation may not have caught up with the value just typed: the next click sees it
    if (attempt < 3 && (await formError.count())) continue;
    throw new Error(`the deal was not saved: ${(await page.locator('[data-testid="deal-conflict"], [data-testid="deal-form-error"]').allTextContents()).join(' | ')}`);
  }
}
