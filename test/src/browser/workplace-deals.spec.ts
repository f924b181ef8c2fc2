import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { DEMO_USERS, russianDate } from '@kartoteka/kit';
import { CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { BROWSER_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, freePort, PORTAL_CONTEXT, logInThroughUi, startPortal, type PortalServer } from '../support/portal';
import { startStack, type Stack } from '../support/stack';

/**
 * Projects and general tasks in the portal, as a sales lead works: a project is started for a counterparty
 * (client checks first, then saved) and shows up in the projects list (found by its code, sorted by name), on
 * the counterparty card's projects panel and on its own page. A task is added from the project page, due today:
 * the project page, "My tasks" and "My day" list it and the navigation counts it; completed inline in "My tasks",
 * it leaves every list and the navigation count goes back down (the `kartoteka:work-changed` event).
 */

const userOf = (email: string) => {
  const user = DEMO_USERS.find((candidate) => candidate.email === email);
  if (!user) throw new Error(`no demo user ${email}`);
  return user;
};
const MANAGER = userOf('manager@kartoteka.local');

const PROJECT_NAME = 'Внедрение ЭДО в группе компаний';
const PROJECT_CODE = 'ПР-2026-07';
const TASK_TITLE = 'Согласовать план внедрения с клиентом';
const CONFLICT_TEXT = 'Данные изменил кто-то другой. Загрузите свежую версию.';

let stack: Stack;
let portal: PortalServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

let counterpartyId: string;
let counterpartyName: string;
let projectId: string;
let taskId: string;
let countBefore: number;

async function gql<T>(query: string, variables: Record<string, unknown>, email: string): Promise<T> {
  const result = await stack.call<T>(query, variables, await stack.login(email));
  if (result.errors?.length || !result.data) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** The element's text with every kind of space as a plain one. */
const textOf = async (locator: Locator): Promise<string> => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** Today in the machine's (and the browser's) time zone, YYYY-MM-DD. */
const localToday = (): string => {
  const now = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
};

/** The navigation's "My tasks" count, once the portal has shown one. */
const navCount = async (): Promise<number> => {
  const nav = page.locator('[data-testid="nav-tasks"][data-count]');
  await nav.waitFor({ state: 'attached' });
  return Number(await nav.getAttribute('data-count'));
};

beforeAll(async () => {
  const portalPort = await freePort();
  stack = await startStack({ corsOrigins: [`http://127.0.0.1:${portalPort}`] });
  portal = await startPortal(portalPort, stack.gatewayUrl);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

  const input = legalEntityInput({ name: 'ООО «Северный Проект»' });
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

describe('projects and tasks in the portal', () => {
  it('starts a project for a counterparty and finds it in the list, on the card and on its page', async () => {
    await page.goto(`${portal.url}projects/new?counterpartyId=${counterpartyId}`);
    const form = page.getByTestId('project-form');
    await form.waitFor();
    // the counterparty of the card it came from is filled in; the creator leads the team
    await form.locator('[data-testid="project-counterparty-0"]', { hasText: 'Северный Проект' }).waitFor();

    // client checks before anything is sent: the name is required, the budget must be an amount
    await page.getByTestId('project-budget').fill('много');
    await page.getByTestId('project-save').click();
    await expect(textOf(page.getByTestId('error-name'))).resolves.toBe('Заполните поле');
    await expect(textOf(page.getByTestId('error-budgetMinor'))).resolves.toBe('Введите сумму, например 1 500 000,00');

    await page.getByTestId('project-name').fill(PROJECT_NAME);
    await page.getByTestId('project-code').fill(PROJECT_CODE);
    await page.getByTestId('project-budget').fill('1500000');
    await page.getByTestId('project-save').click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    projectId = new URL(page.url()).pathname.split('/').pop() ?? '';

    await expect(textOf(page.getByTestId('project-title'))).resolves.toBe(PROJECT_NAME);
    await expect(textOf(page.getByTestId('project-page-status'))).resolves.toBe('Запланирован');
    await expect(textOf(page.getByTestId('project-budget-text'))).resolves.toBe('1 500 000,00 ₽');
    // budget against actual (finance's Project.finance): nothing contracted yet, within the budget, the bar shown
    await expect(textOf(page.getByTestId('project-contracted-text'))).resolves.toBe('0,00 ₽');
    await page.getByTestId('project-within-budget').waitFor();
    await expect(page.getByTestId('project-budget-bar').getAttribute('aria-label')).resolves.toBe('Законтрактовано 0% бюджета, оплачено 0%');
    await expect(textOf(page.getByTestId('project-counterparty-link'))).resolves.toContain('Северный Проект');
    await expect(textOf(page.getByTestId('project-team-list'))).resolves.toContain(`${MANAGER.name} · Руководитель`);
    await page.getByTestId('project-history-entry').first().waitFor();

    // editing a version someone else has just changed: refused by the API (CONFLICT), said so, nothing lost
    await page.getByTestId('project-edit').click();
    await page.getByTestId('project-form').waitFor();
    await gql(
      'mutation($input: UpdateProjectInput!) { updateProject(input: $input) { id } }',
      { input: { id: projectId, version: 1, description: 'Изменено в другой вкладке' } },
      MANAGER.email,
    );
    await page.getByTestId('project-code').fill('ПР-2026-08');
    await page.getByTestId('project-save').click();
    await expect(textOf(page.getByTestId('project-form-error'))).resolves.toBe(CONFLICT_TEXT);
    // back on the page, the other change shows
    await page.getByTestId('project-cancel').click();
    await page.locator('.wk-description', { hasText: 'Изменено в другой вкладке' }).waitFor();

    // the list: found by its code (the filter stays in the address), then sorted by name
    await page.goto(`${portal.url}projects`);
    await page.getByTestId('project-list-search').fill('пр-2026-07');
    await page.waitForURL(/[?&]q=/);
    const row = page.locator(`[data-testid="project-row"][data-id="${projectId}"]`);
    await row.waitFor();
    await expect(textOf(page.getByTestId('project-list-total'))).resolves.toBe('Всего: 1');
    await page.getByTestId('project-sort-name').click();
    await page.waitForURL(/[?&]sort=NAME_ASC/);
    await page.locator('th[aria-sort="ascending"]', { has: page.getByTestId('project-sort-name') }).waitFor();
    await row.waitFor();

    // on a phone the rows stack: the list never scrolls sideways
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('[data-testid="project-row"] td[data-label]').first().waitFor();
    const overflow = await page.getByTestId('project-list').evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1440, height: 1000 });

    // the card's projects panel: from the deals panel's own request, with "New project" for this counterparty
    await page.goto(`${portal.url}counterparties/${counterpartyId}`);
    const panel = page.locator('[data-testid="panel-projects"][data-state="ready"]');
    await panel.waitFor();
    await expect(textOf(panel.getByTestId('projects-total'))).resolves.toBe('1');
    const link = panel.locator(`[data-testid="project-panel-row"][data-id="${projectId}"] [data-testid="project-panel-link"]`);
    await expect(textOf(link)).resolves.toBe(PROJECT_NAME);
    await expect(panel.getByTestId('project-create').getAttribute('href')).resolves.toBe(`/projects/new?counterpartyId=${counterpartyId}`);
    await link.click();
    await page.waitForURL(new RegExp(`/projects/${projectId}$`));
    await expect(textOf(page.getByTestId('project-title'))).resolves.toBe(PROJECT_NAME);
  });

  it('adds a task to the project; My tasks and My day list it until it is completed, and the count follows', async () => {
    countBefore = await navCount();
    await page.getByTestId('project-add-task').click();
    await page.waitForURL(/\/tasks\/new\?/);
    const form = page.getByTestId('task-form');
    await form.waitFor();
    await form.locator('[data-testid="task-project"]', { hasText: PROJECT_NAME }).waitFor();
    await form.locator('[data-testid="task-counterparty"]', { hasText: 'Северный Проект' }).waitFor();

    await page.getByTestId('task-save').click();
    await expect(textOf(page.getByTestId('error-title'))).resolves.toBe('Заполните поле');
    await page.getByTestId('task-title').fill(TASK_TITLE);
    await page.getByTestId('task-due-day').locator('input').fill(russianDate(localToday()));
    await page.keyboard.press('Enter');
    await page.getByTestId('task-due-time').fill('23:59');
    await page.getByTestId('task-save').click();
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    taskId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await expect(textOf(page.getByTestId('task-page-title'))).resolves.toBe(TASK_TITLE);
    await expect(textOf(page.getByTestId('task-page-project'))).resolves.toBe(PROJECT_NAME);
    await expect(textOf(page.getByTestId('task-page-assignee'))).resolves.toBe(MANAGER.name);
    // the navigation counts it (the form said my work changed)
    await page.locator(`[data-testid="nav-tasks"][data-count="${countBefore + 1}"]`).waitFor();

    // a comment on the task
    await page.getByTestId('task-comment-text').fill('Клиент просит перенести на четверг');
    await page.getByTestId('task-comment-send').click();
    await page.locator('[data-testid="task-comment"]', { hasText: 'Клиент просит перенести на четверг' }).waitFor();

    // the project page's tasks
    await page.getByTestId('task-page-project').click();
    await page.locator(`[data-testid="project-tasks"] [data-testid="task-row"][data-id="${taskId}"]`).waitFor();

    // My day on the home page: due today (or, near midnight, already overdue)
    await page.goto(portal.url);
    const myDay = page.getByTestId('myday-deals');
    await myDay.locator(`[data-testid="myday-task"][data-id="${taskId}"]`, { hasText: TASK_TITLE }).waitFor();

    // My tasks: listed, completed inline; it leaves the list and the count goes back down
    await page.goto(`${portal.url}tasks`);
    const mine = page.getByTestId('my-tasks-deals');
    const taskRow = mine.locator(`[data-testid="task-row"][data-id="${taskId}"]`);
    await taskRow.waitFor();
    await expect(textOf(mine.getByTestId('my-tasks-count'))).resolves.toBe('1');
    await taskRow.getByTestId('task-complete').click();
    await taskRow.waitFor({ state: 'detached' });
    await mine.getByTestId('my-tasks-empty').waitFor();
    await expect(textOf(mine.getByTestId('my-tasks-count'))).resolves.toBe('0');
    await page.locator(`[data-testid="nav-tasks"][data-count="${countBefore}"]`).waitFor();

    // nothing of it left on My day
    await page.goto(portal.url);
    await page.locator('[data-testid="myday-deals"][data-state="ready"]').waitFor();
    await expect(page.locator(`[data-testid="myday-task"][data-id="${taskId}"]`).count()).resolves.toBe(0);

    // a link the API refuses (no such project): its typed error shows under that field, in the UI language
    await page.goto(`${portal.url}tasks/new?projectId=${randomUUID()}`);
    await page.getByTestId('task-form').waitFor();
    await page.getByTestId('task-title').fill('Проверить ссылку');
    await page.getByTestId('task-save').click();
    await expect(textOf(page.getByTestId('error-projectId'))).resolves.toBe('Такого проекта нет');
    await expect(textOf(page.getByTestId('task-form-error'))).resolves.toBe('Исправьте ошибки в отмеченных полях');

    // "My tasks" stays out of the way on the notifications tab
    await page.goto(`${portal.url}tasks?tab=notifications`);
    await page.locator('#mf-tasks-deals').waitFor({ state: 'attached' });
    await expect(page.getByTestId('my-tasks-deals').count()).resolves.toBe(0);

    // (apps of the home page that other changes are still bringing may be missing from the built portal)
    expect(consoleErrors.filter((text) => !/exports no application/.test(text) || text.includes('@kartoteka/deals'))).toEqual([]);
  });
});
