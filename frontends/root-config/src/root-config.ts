/**
 * Root config of the portal: framework-free. It draws the layout and the login page, guards the
 * routes (everything but /login needs a session) and tells single-spa which microfrontend lives
 * where. The apps themselves are ES modules resolved through the import map.
 */
import { addErrorHandler, registerApplication, start, type LifeCycles } from 'single-spa';
import {
  isAuthenticated,
  loginUrl,
  navigate,
  onLocaleChanged,
  onPortalEvent,
  refreshCurrentUser,
  safeReturnPath,
} from '@kartoteka/portal-api';
import { h } from './dom';
import { t, type RootMessageKey } from './i18n';
import { renderShell, type AppSlot } from './layout';
import { renderLogin } from './login';
import { isCardRoute, isCounterpartiesRoute, matchRoute, type PortalRoute } from './routes';
import './styles.css';

type MicrofrontendName = '@kartoteka/counterparties' | '@kartoteka/documents' | '@kartoteka/deals';

type Microfrontend = {
  name: MicrofrontendName;
  slot: AppSlot;
  label: RootMessageKey;
  isActive: (route: PortalRoute) => boolean;
};

const microfrontends: Microfrontend[] = [
  { name: '@kartoteka/counterparties', slot: 'counterparties', label: 'appCounterparties', isActive: isCounterpartiesRoute },
  { name: '@kartoteka/documents', slot: 'documents', label: 'appDocuments', isActive: isCardRoute },
  { name: '@kartoteka/deals', slot: 'deals', label: 'appDeals', isActive: isCardRoute },
];

const portal = document.getElementById('portal') ?? document.body.appendChild(h('div', { id: 'portal' }));
const shell = renderShell(portal);
const loginView = renderLogin();
portal.append(loginView.element);

const currentRoute = (): PortalRoute => matchRoute(window.location.pathname);

const routeTitle = (route: PortalRoute): string => {
  if (route.name === 'login') return t('titleLogin');
  if (route.name === 'not-found') return t('titleNotFound');
  return t('titleCounterparties');
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
  if (onLogin && previousRoute !== 'login') loginView.show();
  if (route.name !== 'counterparty-card') document.title = `${routeTitle(route)} — ${t('brand')}`;
  else if (previousRoute !== 'counterparty-card') document.title = t('brand');
  previousRoute = route.name;
};

/** Redirects that keep the portal consistent: login required, no login page when logged in, / -> list. */
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
  if (route.name === 'home') {
    navigate('/counterparties');
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
    app: () => import(/* @vite-ignore */ app.name) as Promise<LifeCycles>,
    activeWhen: (location) => isAuthenticated() && app.isActive(matchRoute(location.pathname)),
    customProps: { domElement: shell.slots[app.slot] },
  });
}

// A broken or unreachable app must not take the page down: show an inline notice in its slot.
addErrorHandler((error) => {
  const app = microfrontends.find((candidate) => candidate.name === error.appOrParcelName);
  console.error(`[kartoteka] ${error.appOrParcelName}:`, error);
  if (app && app.isActive(currentRoute())) showAppError(app);
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

guard();
renderRoute();
start({ urlRerouteOnly: true });

// Confirms the stored session with the gateway (an expired token sends the user to the login page).
if (isAuthenticated()) void refreshCurrentUser().then(() => shell.refresh());
