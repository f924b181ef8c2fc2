import { currentUser, getLocale, locales, logout, navigate, setLocale, type Locale } from '@kartoteka/portal-api';
import { h } from './dom';
import { t } from './i18n';

export type AppSlot =
  | 'counterparties'
  | 'documents'
  | 'deals'
  | 'finance'
  | 'tasks'
  | 'notifications'
  | 'documentPages'
  | 'documentFinance'
  | 'dealFunnel'
  | 'dealPages'
  | 'financePages'
  | 'homeDocuments'
  | 'homeDeals'
  | 'homeFinance'
  | 'homeRecent'
  | 'tasksDeals'
  | 'projectPages'
  | 'taskPages'
  | 'admin';

export type Shell = {
  root: HTMLElement;
  header: HTMLElement;
  main: HTMLElement;
  slots: Record<AppSlot, HTMLElement>;
  notFound: HTMLElement;
  /** "My day": the home page's frame around the apps' panels. */
  home: HTMLElement;
  /** Re-renders texts (language switch) and the user block. */
  refresh: () => void;
};

/** Intercepts clicks on in-portal links so single-spa routes them without a page reload. */
const routedLink = (href: string, attrs: Record<string, string> = {}, children: (Node | string)[] = []): HTMLAnchorElement => {
  const link = h('a', { href, ...attrs }, children);
  link.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  });
  return link;
};

const initials = (name: string): string =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');

export const renderShell = (root: HTMLElement): Shell => {
  const brandName = h('span', { class: 'kt-brand__name' });
  const brandTagline = h('span', { class: 'kt-brand__tagline' });
  const brand = routedLink('/counterparties', { class: 'kt-brand', 'data-testid': 'brand' }, [
    h('span', { class: 'kt-brand__mark', 'aria-hidden': 'true' }, ['К']),
    h('span', { class: 'kt-brand__text' }, [brandName, brandTagline]),
  ]);

  const navCounterparties = routedLink('/counterparties', { class: 'kt-nav__link', 'data-testid': 'nav-counterparties' });
  const navTasks = routedLink('/tasks', { class: 'kt-nav__link', 'data-testid': 'nav-tasks' });
  const navDocuments = routedLink('/documents', { class: 'kt-nav__link', 'data-testid': 'nav-documents' });
  // Approval route templates: administrators only (others get a read-only page when they open the address).
  const navRouteTemplates = routedLink('/settings/route-templates', { class: 'kt-nav__link', 'data-testid': 'nav-route-templates' });
  // The sales funnel of the deals app: the deals list, the kanban board, the analytics.
  const navDeals = routedLink('/deals', { class: 'kt-nav__link', 'data-testid': 'nav-deals' });
  const navDealBoard = routedLink('/deals/board', { class: 'kt-nav__link', 'data-testid': 'nav-deal-board' });
  const navDealAnalytics = routedLink('/deals/analytics', { class: 'kt-nav__link', 'data-testid': 'nav-deal-analytics' });
  // Case templates of deals: administrators and sales leads (ADMIN, MANAGER) only.
  const navDealTemplates = routedLink('/deals/templates', { class: 'kt-nav__link', 'data-testid': 'nav-deal-templates' });
  // The finance pages: payments registry, statement import, review queue.
  const navFinance = routedLink('/finance/payments', { class: 'kt-nav__link', 'data-testid': 'nav-finance' });
  const nav = h('nav', { class: 'kt-nav' }, [
    navCounterparties,
    navDeals,
    navDealBoard,
    navDealAnalytics,
    navDocuments,
    navFinance,
    navTasks,
    navDealTemplates,
    navRouteTemplates,
  ]);

  const localeButtons = locales.map((locale) => {
    const button = h('button', { type: 'button', class: 'kt-locale__option', 'data-locale': locale, 'data-testid': `locale-${locale}` }, [
      locale.toUpperCase(),
    ]);
    button.addEventListener('click', () => setLocale(locale as Locale));
    return button;
  });
  const localeSwitch = h('div', { class: 'kt-locale', role: 'group', 'data-testid': 'locale-switch' }, localeButtons);

  const avatar = h('span', { class: 'kt-user__avatar', 'aria-hidden': 'true' });
  const userName = h('span', { class: 'kt-user__name', 'data-testid': 'current-user' });
  const user = h('div', { class: 'kt-user' }, [avatar, userName]);

  const logoutButton = h('button', { type: 'button', class: 'kt-button kt-button--ghost', 'data-testid': 'logout' });
  logoutButton.addEventListener('click', () => void logout());

  // The notifications bell of the documents app mounts here.
  const notificationsSlot = h('div', { id: 'mf-notifications', class: 'kt-header__slot', 'data-testid': 'header-notifications' });

  const header = h('header', { class: 'kt-header' }, [
    h('div', { class: 'kt-header__inner' }, [
      brand,
      nav,
      h('div', { class: 'kt-header__right' }, [notificationsSlot, localeSwitch, user, logoutButton]),
    ]),
  ]);

  const slots: Record<AppSlot, HTMLElement> = {
    counterparties: h('div', { id: 'mf-counterparties', class: 'kt-slot kt-slot--counterparties' }),
    documents: h('div', { id: 'mf-documents', class: 'kt-slot kt-slot--documents' }),
    deals: h('div', { id: 'mf-deals', class: 'kt-slot kt-slot--deals' }),
    // The finance panel of the card (balances, chart, rating).
    finance: h('div', { id: 'mf-finance', class: 'kt-slot kt-slot--finance' }),
    // "My tasks" page of the documents app.
    tasks: h('div', { id: 'mf-tasks', class: 'kt-slot kt-slot--tasks' }),
    notifications: notificationsSlot,
    // The EDMS pages of the documents app (registry, document, form, route templates).
    documentPages: h('div', { id: 'mf-document-pages', class: 'kt-slot kt-slot--document-pages' }),
    // A contract's execution (finance app) under its document page.
    documentFinance: h('div', { id: 'mf-document-finance', class: 'kt-slot kt-slot--document-finance' }),
    // The sales funnel pages of the deals app (list, board, analytics).
    dealFunnel: h('div', { id: 'mf-deal-funnel', class: 'kt-slot kt-slot--deal-funnel' }),
    // The deal pages of the deals app (case template designer, new deal form, deal page).
    dealPages: h('div', { id: 'mf-deal-pages', class: 'kt-slot kt-slot--deal-pages' }),
    // The finance pages of the finance app (payments, statement import, review queue).
    financePages: h('div', { id: 'mf-finance-pages', class: 'kt-slot kt-slot--finance-pages' }),
    // "My day" (home): one panel per app.
    homeDocuments: h('div', { id: 'mf-home-documents', class: 'kt-slot kt-slot--home-documents' }),
    homeDeals: h('div', { id: 'mf-home-deals', class: 'kt-slot kt-slot--home-deals' }),
    homeFinance: h('div', { id: 'mf-home-finance', class: 'kt-slot kt-slot--home-finance' }),
    homeRecent: h('div', { id: 'mf-home-recent', class: 'kt-slot kt-slot--home-recent' }),
    // "My tasks" (/tasks): the general tasks and deal actions of the deals app, beside the documents app's page.
    tasksDeals: h('div', { id: 'mf-tasks-deals', class: 'kt-slot kt-slot--tasks-deals' }),
    // The projects pages and the general task pages of the deals app.
    projectPages: h('div', { id: 'mf-project-pages', class: 'kt-slot kt-slot--project-pages' }),
    taskPages: h('div', { id: 'mf-task-pages', class: 'kt-slot kt-slot--task-pages' }),
    // The administration pages (admin app).
    admin: h('div', { id: 'mf-admin', class: 'kt-slot kt-slot--admin' }),
  };

  const homeTitle = h('h1', { class: 'kt-home__title', 'data-testid': 'home-title' });
  const home = h('section', { class: 'kt-home', 'data-testid': 'home', 'aria-labelledby': 'home-title' }, [
    homeTitle,
    h('div', { class: 'kt-home__grid' }, [slots.homeDocuments, slots.homeDeals, slots.homeFinance, slots.homeRecent]),
  ]);
  homeTitle.id = 'home-title';

  const notFoundTitle = h('h1', { class: 'kt-empty-page__title' });
  const notFoundText = h('p', { class: 'kt-empty-page__text' });
  const notFoundBack = routedLink('/counterparties', { class: 'kt-button kt-button--primary' });
  const notFound = h('section', { class: 'kt-empty-page', 'data-testid': 'not-found' }, [
    h('div', { class: 'kt-empty-page__code', 'aria-hidden': 'true' }, ['404']),
    notFoundTitle,
    notFoundText,
    notFoundBack,
  ]);

  const main = h('main', { class: 'kt-main', id: 'portal-main' }, [
    h('div', { class: 'kt-main__inner' }, [
      slots.counterparties,
      h('div', { class: 'kt-card-panels', id: 'card-panels' }, [slots.documents, slots.deals, slots.finance]),
      home,
      slots.tasksDeals,
      slots.tasks,
      slots.taskPages,
      slots.projectPages,
      slots.admin,
      slots.documentPages,
      slots.documentFinance,
      slots.dealFunnel,
      slots.dealPages,
      slots.financePages,
      notFound,
    ]),
  ]);

  const footerText = h('span');
  const footer = h('footer', { class: 'kt-footer' }, [footerText]);

  root.append(header, main, footer);

  const refresh = (): void => {
    brandName.textContent = t('brand');
    brandTagline.textContent = t('tagline');
    navCounterparties.textContent = t('navCounterparties');
    navTasks.textContent = t('navTasks');
    navDocuments.textContent = t('navDocuments');
    navRouteTemplates.textContent = t('navRouteTemplates');
    navDeals.textContent = t('navDeals');
    navDealBoard.textContent = t('navDealBoard');
    navDealAnalytics.textContent = t('navDealAnalytics');
    navDealTemplates.textContent = t('navDealTemplates');
    navFinance.textContent = t('navFinance');
    localeSwitch.setAttribute('aria-label', t('localeSwitch'));
    const active = getLocale();
    for (const button of localeButtons) {
      const selected = button.dataset.locale === active;
      button.classList.toggle('is-active', selected);
      button.setAttribute('aria-pressed', String(selected));
    }
    const me = currentUser();
    userName.textContent = me?.name ?? '';
    user.title = me ? `${me.name} <${me.email}>` : '';
    avatar.textContent = me ? initials(me.name) : '';
    navRouteTemplates.hidden = !(me?.roles as readonly string[] | undefined)?.includes('ADMIN');
    navDealTemplates.hidden = !(me?.roles as readonly string[] | undefined)?.some((role) => role === 'ADMIN' || role === 'MANAGER');
    logoutButton.textContent = t('logout');
    notFoundTitle.textContent = t('notFoundTitle');
    notFoundText.textContent = t('notFoundText');
    notFoundBack.textContent = t('notFoundBack');
    footerText.textContent = t('footer');
    homeTitle.textContent = t('homeTitle');
  };
  refresh();

  return { root, header, main, slots, notFound, home, refresh };
};
