/**
 * Root config of the portal: framework-free. It draws the layout and the login page, guards the
 * routes (everything but /login needs a session) and tells single-spa which microfrontend lives
 * where. The apps themselves are ES modules resolved through the import map.
 */
import { addErrorHandler, registerApplication, start, type LifeCycles } from 'single-spa';
import {
  isAuthenticated,
  liveStatus,
  loginUrl,
  navigate,
  onLocaleChanged,
  onPortalEvent,
  refreshCurrentUser,
  safeReturnPath,
  startLiveUpdates,
} from '@kartoteka/portal-api';
import { h } from './dom';
import { t, type RootMessageKey } from './i18n';
import { renderShell, type AppSlot, type NavKey } from './layout';
import { renderLogin } from './login';
import { appRoutes, isDocumentPagesRoute, matchRoute, type MicrofrontendName, type PortalRoute } from './routes';
import { watchWorkCounts } from './work-counts';
import './styles.css';

type Microfrontend = {
  name: MicrofrontendName;
  slot: AppSlot;
  label: RootMessageKey;
  isActive: (route: PortalRoute) => boolean;
  /** Show an inline notice in the slot when the app fails (not for the small header widgets). */
  errorNotice?: boolean;
};

const microfrontends: Microfrontend[] = (
  [
    { name: '@kartoteka/counterparties', slot: 'counterparties', label: 'appCounterparties' },
    { name: '@kartoteka/documents', slot: 'documents', label: 'appDocuments' },
    { name: '@kartoteka/deals', slot: 'deals', label: 'appDeals' },
    { name: '@kartoteka/documents#tasksPage', slot: 'tasks', label: 'appTasks' },
    { name: '@kartoteka/documents#notificationBell', slot: 'notifications', label: 'appNotifications', errorNotice: false },
    { name: '@kartoteka/documents#documentPages', slot: 'documentPages', label: 'appDocuments' },
    { name: '@kartoteka/deals#funnelPages', slot: 'dealFunnel', label: 'appDeals' },
    { name: '@kartoteka/deals#dealPages', slot: 'dealPages', label: 'appDeals' },
    { name: '@kartoteka/finance', slot: 'finance', label: 'appFinance' },
    { name: '@kartoteka/finance#documentExecution', slot: 'documentFinance', label: 'appFinance' },
    { name: '@kartoteka/finance#financePages', slot: 'financePages', label: 'appFinance' },
    { name: '@kartoteka/documents#myDay', slot: 'homeDocuments', label: 'appDocuments' },
    { name: '@kartoteka/deals#myDay', slot: 'homeDeals', label: 'appDeals' },
    { name: '@kartoteka/finance#myDay', slot: 'homeFinance', label: 'appFinance' },
    { name: '@kartoteka/counterparties#recent', slot: 'homeRecent', label: 'appCounterparties' },
    { name: '@kartoteka/deals#myTasks', slot: 'tasksDeals', label: 'appDeals' },
    { name: '@kartoteka/deals#projectPages', slot: 'projectPages', label: 'appDeals' },
    { name: '@kartoteka/deals#taskPages', slot: 'taskPages', label: 'appDeals' },
    { name: '@kartoteka/admin', slot: 'admin', label: 'appAdmin' },
    { name: '@kartoteka/mailings', slot: 'mailings', label: 'appMailings' },
  ] satisfies Omit<Microfrontend, 'isActive'>[]
).map((app) => ({ ...app, isActive: appRoutes[app.name] }));

/** The lifecycles of an app: the module itself, or its named export for `<module>#<export>`. */
const loadApp = async (name: MicrofrontendName): Promise<LifeCycles> => {
  const [specifier, exportName] = name.split('#');
  const module = (await import(/* @vite-ignore */ specifier)) as LifeCycles & Record<string, LifeCycles | undefined>;
  if (!exportName) return module;
  const lifecycles = module[exportName];
  if (!lifecycles) throw new Error(`${specifier} exports no application "${exportName}"`);
  return lifecycles;
};

// Confirms the stored session with the gateway (an expired token sends the user to the login page): first
// thing, so its answer comes in parallel with the apps' loading and their first queries.
const sessionChecked = isAuthenticated() ? refreshCurrentUser() : null;

const portal = document.getElementById('portal') ?? document.body.appendChild(h('div', { id: 'portal' }));
const shell = renderShell(portal);
// The "My tasks" count of the navigation: fetched now if logged in, then on login, work changes and notifications.
const workCounts = watchWorkCounts((counts) => shell.setWorkCounts(counts));
const loginView = renderLogin();
portal.append(loginView.element);

const currentRoute = (): PortalRoute => matchRoute(window.location.pathname);

const routeTitle = (route: PortalRoute): string => {
  if (route.name === 'login') return t('titleLogin');
  if (route.name === 'not-found') return t('titleNotFound');
  if (route.name === 'home') return t('titleHome');
  if (route.name === 'tasks' || route.name === 'task-new' || route.name === 'task-page') return t('titleTasks');
  if (route.name === 'project-list' || route.name === 'project-new' || route.name === 'project-page') return t('titleProjects');
  if (route.name === 'admin') return t('titleAdmin');
  if (route.name.startsWith('mailing-')) return t('titleMailings');
  if (route.name === 'route-templates') return t('titleRouteTemplates');
  if (isDocumentPagesRoute(route)) return t('titleDocuments');
  if (route.name === 'deal-list') return t('titleDeals');
  if (route.name === 'deal-board') return t('titleDealBoard');
  if (route.name === 'deal-analytics') return t('titleDealAnalytics');
  if (route.name === 'deal-templates' || route.name === 'deal-template') return t('titleDealTemplates');
  if (route.name === 'deal-new') return t('titleDealNew');
  if (route.name === 'deal-page') return t('titleDeals');
  if (route.name === 'finance-payments') return t('titleFinancePayments');
  if (route.name === 'finance-import') return t('titleFinanceImport');
  if (route.name === 'finance-review') return t('titleFinanceReview');
  return t('titleCounterparties');
};

/** The nav link a page belongs to. */
const navKeyOf = (route: PortalRoute): NavKey | null => {
  if (route.name === 'home') return 'home';
  if (route.name.startsWith('counterparty-')) return 'counterparties';
  if (route.name === 'tasks' || route.name === 'task-new' || route.name === 'task-page') return 'tasks';
  if (route.name.startsWith('project-')) return 'projects';
  if (route.name === 'route-templates') return 'route-templates';
  if (isDocumentPagesRoute(route)) return 'documents';
  if (route.name === 'deal-board') return 'deal-board';
  if (route.name === 'deal-analytics') return 'deal-analytics';
  if (route.name === 'deal-templates' || route.name === 'deal-template') return 'deal-templates';
  if (route.name === 'deal-list' || route.name === 'deal-new' || route.name === 'deal-page') return 'deals';
  if (route.name.startsWith('finance-')) return 'finance';
  if (route.name === 'admin') return 'admin';
  if (route.name.startsWith('mailing-')) return 'mailings';
  return null;
};

let previousRoute: PortalRoute['name'] | null = null;

/** Shows the parts of the layout the route needs; the apps mount into their slots. */
const renderRoute = (): void => {
  const route = currentRoute();
  const onLogin = route.name === 'login';
  portal.dataset.route = route.name;
  shell.header.hidden = onLogin;
  shell.main.hidden = onLogin;
  loginView.element.hidden = !onLogin;
  shell.notFound.hidden = route.name !== 'not-found';
  shell.home.hidden = route.name !== 'home';
  if (onLogin && previousRoute !== 'login') loginView.show();
  if (route.name !== previousRoute) shell.setCurrent(navKeyOf(route));
  // Opening "My tasks" re-reads the count (the list below it is fresh too)
  if (route.name === 'tasks' && previousRoute !== 'tasks' && previousRoute !== null) workCounts.refresh();
  // The card and the document page are titled by their app (from the data they show).
  const titledByApp = route.name === 'counterparty-card' || route.name === 'document-page' || route.name === 'deal-page' || route.name === 'deal-template' || route.name === 'mailing-page';
  if (!titledByApp) document.title = `${routeTitle(route)} — ${t('brand')}`;
  else if (previousRoute !== route.name) document.title = t('brand');
  previousRoute = route.name;
};

/** Redirects that keep the portal consistent: login required, no login page when logged in. */
const guard = (): boolean => {
  const route = currentRoute();
  const authenticated = isAuthenticated();
  if (route.name === 'login') {
    if (authenticated) {
      navigate(safeReturnPath(new URLSearchParams(window.location.search).get('next')));
      return true;
    }
    return false;
  }
  if (!authenticated) {
    navigate(loginUrl());
    return true;
  }
  return false;
};

const clearAppError = (slot: AppSlot): void => {
  shell.slots[slot].querySelector(':scope > .kt-app-error')?.remove();
};

const showAppError = (app: Microfrontend): void => {
  clearAppError(app.slot);
  const retry = h('button', { type: 'button', class: 'kt-button kt-button--ghost' }, [t('appRetry')]);
  retry.addEventListener('click', () => window.location.reload());
  shell.slots[app.slot].append(
    h('div', { class: 'kt-app-error', role: 'alert', 'data-testid': `app-error-${app.slot}` }, [
      h('span', { class: 'kt-app-error__text' }, [t('appError', { app: t(app.label) })]),
      retry,
    ]),
  );
};

for (const app of microfrontends) {
  registerApplication({
    name: app.name,
    app: () => loadApp(app.name),
    activeWhen: (location) => isAuthenticated() && app.isActive(matchRoute(location.pathname)),
    customProps: { domElement: shell.slots[app.slot] },
  });
}

// A broken or unreachable app must not take the page down: show an inline notice in its slot.
addErrorHandler((error) => {
  const app = microfrontends.find((candidate) => candidate.name === error.appOrParcelName);
  console.error(`[kartoteka] ${error.appOrParcelName}:`, error);
  if (app && app.errorNotice !== false && app.isActive(currentRoute())) showAppError(app);
});

window.addEventListener('single-spa:before-routing-event', () => {
  if (guard()) return;
  for (const app of microfrontends) clearAppError(app.slot);
  renderRoute();
});
window.addEventListener('single-spa:routing-event', renderRoute);

onLocaleChanged(() => {
  shell.refresh();
  loginView.refresh();
  previousRoute = null;
  renderRoute();
});

onPortalEvent('kartoteka:auth-changed', ({ user }) => {
  shell.refresh();
  if (user === null && currentRoute().name !== 'login') navigate(loginUrl());
});

// The live stream (notifications, document changes): open while someone is logged in; `data-live` on
// the portal element tells its state (`listening` once no change can be missed). It holds one of the
// browser's few connections to the gateway for good, so it opens once the route's apps are mounted (the
// first routing event): their first queries go out without waiting for a free connection.
portal.dataset.live = liveStatus();
onPortalEvent('kartoteka:live-status', ({ status }) => {
  portal.dataset.live = status;
});
const LIVE_START_FALLBACK_MS = 3000;
let liveStarted = false;
const startLive = (): void => {
  if (liveStarted) return;
  liveStarted = true;
  startLiveUpdates();
};
window.addEventListener('single-spa:routing-event', () => window.setTimeout(startLive, 0), { once: true });
// a route whose apps take long to load: open it anyway
window.setTimeout(startLive, LIVE_START_FALLBACK_MS);

guard();
renderRoute();
start({ urlRerouteOnly: true });

void sessionChecked?.then(() => shell.refresh());
