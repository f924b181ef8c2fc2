export type PortalRoute =
  | { name: 'home' }
  | { name: 'login' }
  | { name: 'counterparty-list' }
  | { name: 'counterparty-new' }
  | { name: 'counterparty-import' }
  | { name: 'counterparty-card'; id: string }
  | { name: 'counterparty-edit'; id: string }
  | { name: 'tasks' }
  | { name: 'document-registry' }
  | { name: 'document-new' }
  | { name: 'document-page'; id: string }
  | { name: 'document-edit'; id: string }
  | { name: 'route-templates' }
  | { name: 'document-templates' }
  | { name: 'deal-list' }
  | { name: 'deal-board' }
  | { name: 'deal-analytics' }
  | { name: 'deal-templates' }
  | { name: 'deal-template'; id: string | null }
  | { name: 'deal-new' }
  | { name: 'deal-page'; id: string }
  | { name: 'finance-payments' }
  | { name: 'finance-import' }
  | { name: 'finance-review' }
  | { name: 'project-list' }
  | { name: 'project-new' }
  | { name: 'project-page'; id: string }
  | { name: 'task-new' }
  | { name: 'task-page'; id: string }
  | { name: 'admin'; section: string }
  | { name: 'mailing-list' }
  | { name: 'mailing-new' }
  | { name: 'mailing-page'; id: string }
  | { name: 'not-found' };

const trimSlash = (path: string): string => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);

export const matchRoute = (pathname: string): PortalRoute => {
  const path = trimSlash(pathname);
  if (path === '' || path === '/') return { name: 'home' };
  if (path === '/login') return { name: 'login' };
  if (path === '/counterparties') return { name: 'counterparty-list' };
  if (path === '/tasks') return { name: 'tasks' };
  // General tasks (deals app): the new task form and a task's page.
  if (path === '/tasks/new') return { name: 'task-new' };
  const taskPage = /^\/tasks\/([^/]+)$/.exec(path);
  if (taskPage) return { name: 'task-page', id: decodeURIComponent(taskPage[1]) };
  if (path === '/counterparties/new') return { name: 'counterparty-new' };
  // the import wizard: before the card's pattern, "import" is no counterparty id
  if (path === '/counterparties/import') return { name: 'counterparty-import' };
  const card = /^\/counterparties\/([^/]+)$/.exec(path);
  if (card) return { name: 'counterparty-card', id: decodeURIComponent(card[1]) };
  const edit = /^\/counterparties\/([^/]+)\/edit$/.exec(path);
  if (edit) return { name: 'counterparty-edit', id: decodeURIComponent(edit[1]) };
  if (path === '/documents') return { name: 'document-registry' };
  if (path === '/documents/new') return { name: 'document-new' };
  const documentPage = /^\/documents\/([^/]+)$/.exec(path);
  if (documentPage) return { name: 'document-page', id: decodeURIComponent(documentPage[1]) };
  const documentEdit = /^\/documents\/([^/]+)\/edit$/.exec(path);
  if (documentEdit) return { name: 'document-edit', id: decodeURIComponent(documentEdit[1]) };
  if (path === '/settings/route-templates') return { name: 'route-templates' };
  // Document templates (documents app; a `document-` route, so it mounts with the other EDMS pages).
  if (path === '/settings/document-templates') return { name: 'document-templates' };
  // The sales funnel (deals app): before any `/deals/:id` pattern, these are no deal ids.
  if (path === '/deals') return { name: 'deal-list' };
  if (path === '/deals/board') return { name: 'deal-board' };
  if (path === '/deals/analytics') return { name: 'deal-analytics' };
  // The deal pages (deals app): the case template designer, the new deal form, the deal page (last: any id).
  if (path === '/deals/templates') return { name: 'deal-templates' };
  if (path === '/deals/templates/new') return { name: 'deal-template', id: null };
  const dealTemplate = /^\/deals\/templates\/([^/]+)$/.exec(path);
  if (dealTemplate) return { name: 'deal-template', id: decodeURIComponent(dealTemplate[1]) };
  if (path === '/deals/new') return { name: 'deal-new' };
  const dealPage = /^\/deals\/([^/]+)$/.exec(path);
  if (dealPage) return { name: 'deal-page', id: decodeURIComponent(dealPage[1]) };
  // The finance pages (finance app): the payments registry, the statement import, the review queue.
  if (path === '/finance' || path === '/finance/payments') return { name: 'finance-payments' };
  if (path === '/finance/import') return { name: 'finance-import' };
  if (path === '/finance/review') return { name: 'finance-review' };
  // Projects (deals app): the list, the new project form, a project's page.
  if (path === '/projects') return { name: 'project-list' };
  if (path === '/projects/new') return { name: 'project-new' };
  const projectPage = /^\/projects\/([^/]+)$/.exec(path);
  if (projectPage) return { name: 'project-page', id: decodeURIComponent(projectPage[1]) };
  // Administration (admin app): users and roles, API keys, failed e-mails, parked events, audit verification.
  if (path === '/admin') return { name: 'admin', section: 'users' };
  const admin = /^\/admin\/([a-z-]+)$/.exec(path);
  if (admin) return { name: 'admin', section: admin[1] };
  // Offer mailings (mailings app): the list, the new mailing, a mailing's page.
  if (path === '/mailings') return { name: 'mailing-list' };
  if (path === '/mailings/new') return { name: 'mailing-new' };
  const mailingPage = /^\/mailings\/([^/]+)$/.exec(path);
  if (mailingPage) return { name: 'mailing-page', id: decodeURIComponent(mailingPage[1]) };
  return { name: 'not-found' };
};

/** Routes where the counterparties app is mounted (list, form, card header). */
export const isCounterpartiesRoute = (route: PortalRoute): boolean => route.name.startsWith('counterparty-');

/** "My tasks" (documents app): approvals, acknowledgements, notifications, e-mail settings. */
export const isTasksRoute = (route: PortalRoute): boolean => route.name === 'tasks';

/** Every page of a logged-in user (the header with the notifications bell). */
export const isPortalPage = (route: PortalRoute): boolean => route.name !== 'login';

/** The EDMS pages of the documents app: registry, form, document page, route template editor. */
export const isDocumentPagesRoute = (route: PortalRoute): boolean => route.name.startsWith('document-') || route.name === 'route-templates';

/** The composed counterparty card: counterparties + documents + deals side by side. */
export const isCardRoute = (route: PortalRoute): boolean => route.name === 'counterparty-card';

/** The sales funnel pages of the deals app: the deals list, the kanban board, the analytics. */
export const isDealFunnelRoute = (route: PortalRoute): boolean =>
  route.name === 'deal-list' || route.name === 'deal-board' || route.name === 'deal-analytics';

/** The deal pages of the deals app: case templates (list, designer), the new deal form, the deal page. */
export const isDealPagesRoute = (route: PortalRoute): boolean =>
  route.name === 'deal-templates' || route.name === 'deal-template' || route.name === 'deal-new' || route.name === 'deal-page';

/** A document's page, where the finance app shows a contract's execution under the documents app's page. */
export const isDocumentPageRoute = (route: PortalRoute): boolean => route.name === 'document-page';

/** The finance pages of the finance app: the payments registry, the statement import, the review queue. */
export const isFinancePagesRoute = (route: PortalRoute): boolean =>
  route.name === 'finance-payments' || route.name === 'finance-import' || route.name === 'finance-review';

/** "My day", the home page after login: one panel per app. */
export const isHomeRoute = (route: PortalRoute): boolean => route.name === 'home';

/** The projects pages of the deals app: list, new project, project page. */
export const isProjectPagesRoute = (route: PortalRoute): boolean =>
  route.name === 'project-list' || route.name === 'project-new' || route.name === 'project-page';

/** The general task pages of the deals app: new task, task page. */
export const isTaskPagesRoute = (route: PortalRoute): boolean => route.name === 'task-new' || route.name === 'task-page';

/** The administration pages (admin app). */
export const isAdminRoute = (route: PortalRoute): boolean => route.name === 'admin';

/** The offer mailings pages (mailings app): list, new mailing, mailing page. */
export const isMailingsRoute = (route: PortalRoute): boolean => route.name.startsWith('mailing-');

/** An app is a module of the import map, or a named export of one (`<module>#<export>`). */
export type MicrofrontendName =
  | '@kartoteka/counterparties'
  | '@kartoteka/documents'
  | '@kartoteka/deals'
  | '@kartoteka/documents#tasksPage'
  | '@kartoteka/documents#notificationBell'
  | '@kartoteka/documents#documentPages'
  | '@kartoteka/deals#funnelPages'
  | '@kartoteka/deals#dealPages'
  | '@kartoteka/finance'
  | '@kartoteka/finance#documentExecution'
  | '@kartoteka/finance#financePages'
  | '@kartoteka/documents#myDay'
  | '@kartoteka/deals#myDay'
  | '@kartoteka/finance#myDay'
  | '@kartoteka/counterparties#recent'
  | '@kartoteka/deals#myTasks'
  | '@kartoteka/deals#projectPages'
  | '@kartoteka/deals#taskPages'
  | '@kartoteka/admin'
  | '@kartoteka/mailings';

/** Where each app is mounted (for a logged-in user). */
export const appRoutes: Record<MicrofrontendName, (route: PortalRoute) => boolean> = {
  '@kartoteka/counterparties': isCounterpartiesRoute,
  '@kartoteka/documents': isCardRoute,
  '@kartoteka/deals': isCardRoute,
  '@kartoteka/documents#tasksPage': isTasksRoute,
  '@kartoteka/documents#notificationBell': isPortalPage,
  '@kartoteka/documents#documentPages': isDocumentPagesRoute,
  '@kartoteka/deals#funnelPages': isDealFunnelRoute,
  '@kartoteka/deals#dealPages': isDealPagesRoute,
  '@kartoteka/finance': isCardRoute,
  '@kartoteka/finance#documentExecution': isDocumentPageRoute,
  '@kartoteka/finance#financePages': isFinancePagesRoute,
  '@kartoteka/documents#myDay': isHomeRoute,
  '@kartoteka/deals#myDay': isHomeRoute,
  '@kartoteka/finance#myDay': isHomeRoute,
  '@kartoteka/counterparties#recent': isHomeRoute,
  '@kartoteka/deals#myTasks': isTasksRoute,
  '@kartoteka/deals#projectPages': isProjectPagesRoute,
  '@kartoteka/deals#taskPages': isTaskPagesRoute,
  '@kartoteka/admin': isAdminRoute,
  '@kartoteka/mailings': isMailingsRoute,
};

/**
 * The import-map modules of the apps a page mounts. The portal server (built as dist/routes.mjs) preloads them,
 * and everything they import statically, with the page itself: one round of script requests.
 */
export const modulesOfPath = (pathname: string): string[] => {
  const route = matchRoute(pathname);
  const names = (Object.keys(appRoutes) as MicrofrontendName[]).filter((name) => appRoutes[name](route));
  return [...new Set(names.map((name) => name.split('#')[0]))];
};
