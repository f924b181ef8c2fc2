import { can, currentUser, getLocale, intlLocaleOf, locales, logout, navigate, setLocale, type Locale } from '@kartoteka/portal-api';
import { h } from './dom';
import { t, workCountsLabel } from './i18n';
import { totalOf, type WorkCounts } from './work-counts';

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
  | 'admin'
  | 'mailings';

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
  /** Marks the nav link of the current page (`aria-current="page"`). */
  setCurrent: (key: NavKey | null) => void;
  /** Shows what waits for me on "My tasks" (hidden when nothing does, or when logged out: `null`). */
  setWorkCounts: (counts: WorkCounts | null) => void;
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

/** The nav link each route belongs to (marked `aria-current="page"`). */
export type NavKey =
  | 'home'
  | 'counterparties'
  | 'deals'
  | 'deal-board'
  | 'deal-analytics'
  | 'projects'
  | 'documents'
  | 'finance'
  | 'tasks'
  | 'deal-templates'
  | 'route-templates'
  | 'admin'
  | 'mailings';

const hasRole = (roles: readonly string[] | undefined, ...wanted: string[]): boolean => Boolean(roles?.some((role) => wanted.includes(role)));

export const renderShell = (root: HTMLElement): Shell => {
  // The first thing a keyboard reaches: straight to the page's content, past the header's links.
  const skipLink = h('a', { class: 'kt-skip-link', href: '#portal-main', 'data-testid': 'skip-link' });

  const brandName = h('span', { class: 'kt-brand__name' });
  const brandTagline = h('span', { class: 'kt-brand__tagline' });
  const brand = routedLink('/', { class: 'kt-brand', 'data-testid': 'brand' }, [
    h('span', { class: 'kt-brand__mark', 'aria-hidden': 'true' }, ['К']),
    h('span', { class: 'kt-brand__text' }, [brandName, brandTagline]),
  ]);

  const navLink = (key: NavKey, href: string, testId: string): HTMLAnchorElement =>
    routedLink(href, { class: 'kt-nav__link', 'data-testid': testId, 'data-nav': key });
  const navHome = navLink('home', '/', 'nav-home');
  const navCounterparties = navLink('counterparties', '/counterparties', 'nav-counterparties');
  // "My tasks": its label, and the count of what waits for me (approvals, acknowledgements, tasks, deal actions).
  const navTasksLabel = h('span', { class: 'kt-nav__label' });
  const tasksCount = h('span', { class: 'kt-nav__badge', 'data-testid': 'nav-tasks-count', 'aria-hidden': 'true', hidden: true });
  // the badge's meaning in words, for screen readers (the badge itself is only a number)
  const tasksCountLabel = h('span', { class: 'kt-visually-hidden', 'data-testid': 'nav-tasks-count-label' });
  const navTasks = routedLink('/tasks', { class: 'kt-nav__link', 'data-testid': 'nav-tasks', 'data-nav': 'tasks' }, [navTasksLabel, tasksCount, tasksCountLabel]);
  const navDocuments = navLink('documents', '/documents', 'nav-documents');
  // Approval route templates: administrators only (others get a read-only page when they open the address).
  const navRouteTemplates = navLink('route-templates', '/settings/route-templates', 'nav-route-templates');
  // The sales funnel of the deals app: the deals list, the kanban board, the analytics.
  const navDeals = navLink('deals', '/deals', 'nav-deals');
  const navDealBoard = navLink('deal-board', '/deals/board', 'nav-deal-board');
  const navDealAnalytics = navLink('deal-analytics', '/deals/analytics', 'nav-deal-analytics');
  // Projects (deals app): long-running engagements with their contracts, deals and tasks.
  const navProjects = navLink('projects', '/projects', 'nav-projects');
  // Case templates of deals: administrators and sales leads (ADMIN, MANAGER) only.
  const navDealTemplates = navLink('deal-templates', '/deals/templates', 'nav-deal-templates');
  // The finance pages: payments registry, statement import, review queue.
  const navFinance = navLink('finance', '/finance/payments', 'nav-finance');
  // Administration (admin app): administrators only.
  const navAdmin = navLink('admin', '/admin', 'nav-admin');
  // Offer mailings (mailings app): staff allowed to read them (`mailings:read`).
  const navMailings = navLink('mailings', '/mailings', 'nav-mailings');
  const navLinks = [
    navHome,
    navCounterparties,
    navDeals,
    navDealBoard,
    navDealAnalytics,
    navProjects,
    navDocuments,
    navFinance,
    navTasks,
    navMailings,
    navDealTemplates,
    navRouteTemplates,
    navAdmin,
  ];
  const nav = h('nav', { class: 'kt-nav', id: 'portal-nav' }, navLinks);

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

  // The notifications bell of the documents app mounts here (in the top row on a phone too).
  const notificationsSlot = h('div', { id: 'mf-notifications', class: 'kt-header__slot', 'data-testid': 'header-notifications' });

  // On a phone the links and the user's tools fold into a menu opened by this button.
  const menuToggleText = h('span', { class: 'kt-visually-hidden' });
  const menuToggle = h(
    'button',
    { type: 'button', class: 'kt-menu-toggle', 'data-testid': 'nav-toggle', 'aria-expanded': 'false', 'aria-controls': 'portal-menu' },
    [h('span', { class: 'kt-menu-toggle__bars', 'aria-hidden': 'true' }, [h('span'), h('span'), h('span')]), menuToggleText],
  );
  const menu = h('div', { class: 'kt-menu', id: 'portal-menu', 'data-testid': 'portal-menu' }, [
    nav,
    h('div', { class: 'kt-header__tools' }, [localeSwitch, user, logoutButton]),
  ]);

  const header = h('header', { class: 'kt-header' }, [h('div', { class: 'kt-header__inner' }, [brand, notificationsSlot, menuToggle, menu])]);

  let menuOpen = false;
  const setMenuOpen = (open: boolean): void => {
    menuOpen = open;
    header.classList.toggle('is-menu-open', open);
    menuToggle.setAttribute('aria-expanded', String(open));
    menuToggleText.textContent = open ? t('menuClose') : t('menuOpen');
  };
  menuToggle.addEventListener('click', () => setMenuOpen(!menuOpen));
  // Escape closes the menu and gives the focus back to its button.
  header.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !menuOpen) return;
    setMenuOpen(false);
    menuToggle.focus();
  });
  // Going anywhere closes it (a chosen link, the bell's links, the browser's back button).
  window.addEventListener('single-spa:before-routing-event', () => setMenuOpen(false));

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
    // The offer mailings pages (mailings app).
    mailings: h('div', { id: 'mf-mailings', class: 'kt-slot kt-slot--mailings' }),
  };

  const homeTitle = h('h1', { class: 'kt-home__title', id: 'home-title', 'data-testid': 'home-title' });
  const homeDate = h('p', { class: 'kt-home__date', 'data-testid': 'home-date' });
  // The apps' panels: the grid fits 1 to 4 of them (a panel left alone on its row takes the whole row).
  const home = h('section', { class: 'kt-home', 'data-testid': 'home', 'aria-labelledby': 'home-title' }, [
    h('div', { class: 'kt-home__head' }, [homeTitle, homeDate]),
    h('div', { class: 'kt-home__grid' }, [slots.homeDocuments, slots.homeDeals, slots.homeFinance, slots.homeRecent]),
  ]);

  const notFoundTitle = h('h1', { class: 'kt-empty-page__title' });
  const notFoundText = h('p', { class: 'kt-empty-page__text' });
  const notFoundBack = routedLink('/', { class: 'kt-button kt-button--primary', 'data-testid': 'not-found-back' });
  const notFound = h('section', { class: 'kt-empty-page', 'data-testid': 'not-found' }, [
    h('div', { class: 'kt-empty-page__code', 'aria-hidden': 'true' }, ['404']),
    notFoundTitle,
    notFoundText,
    notFoundBack,
  ]);

  // tabindex -1: the skip link moves the focus here (not into the tab order)
  const main = h('main', { class: 'kt-main', id: 'portal-main', tabindex: '-1' }, [
    h('div', { class: 'kt-main__inner' }, [
      slots.counterparties,
      h('div', { class: 'kt-card-panels', id: 'card-panels' }, [slots.documents, slots.deals, slots.finance]),
      home,
      slots.tasksDeals,
      slots.tasks,
      slots.taskPages,
      slots.projectPages,
      slots.admin,
      slots.mailings,
      slots.documentPages,
      slots.documentFinance,
      slots.dealFunnel,
      slots.dealPages,
      slots.financePages,
      notFound,
    ]),
  ]);

  skipLink.addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
    main.scrollIntoView({ block: 'start' });
  });

  const footerText = h('span');
  // the partner API reference (generated from the supergraph, served by the portal server): a page of its own
  const footerApi = h('a', { href: '/api-reference/', class: 'kt-footer__link', 'data-testid': 'footer-api-reference' });
  const footer = h('footer', { class: 'kt-footer' }, [footerText, ' · ', footerApi]);

  root.append(skipLink, header, main, footer);

  let workCounts: WorkCounts | null = null;
  /** The badge and its words ("5 waiting: 2 approvals, 1 acknowledgement, 2 tasks"), in the current language. */
  const renderWorkCounts = (): void => {
    const total = workCounts ? totalOf(workCounts) : 0;
    tasksCount.hidden = total === 0;
    navTasks.dataset.count = String(total);
    if (!workCounts || total === 0) {
      tasksCount.textContent = '';
      tasksCount.removeAttribute('title');
      tasksCountLabel.textContent = '';
      return;
    }
    const label = workCountsLabel(workCounts);
    tasksCount.textContent = total > 99 ? '99+' : String(total);
    tasksCount.title = label;
    tasksCount.dataset.total = String(total);
    tasksCountLabel.textContent = ` (${label})`;
  };

  const refresh = (): void => {
    skipLink.textContent = t('skipToContent');
    brandName.textContent = t('brand');
    brandTagline.textContent = t('tagline');
    navHome.textContent = t('navHome');
    navCounterparties.textContent = t('navCounterparties');
    navTasksLabel.textContent = t('navTasks');
    navDocuments.textContent = t('navDocuments');
    navRouteTemplates.textContent = t('navRouteTemplates');
    navDeals.textContent = t('navDeals');
    navDealBoard.textContent = t('navDealBoard');
    navDealAnalytics.textContent = t('navDealAnalytics');
    navProjects.textContent = t('navProjects');
    navDealTemplates.textContent = t('navDealTemplates');
    navFinance.textContent = t('navFinance');
    navAdmin.textContent = t('navAdmin');
    navMailings.textContent = t('navMailings');
    nav.setAttribute('aria-label', t('navMain'));
    menuToggleText.textContent = menuOpen ? t('menuClose') : t('menuOpen');
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
    const roles = me?.roles as readonly string[] | undefined;
    navRouteTemplates.hidden = !hasRole(roles, 'ADMIN');
    navAdmin.hidden = !hasRole(roles, 'ADMIN');
    navMailings.hidden = !can('mailings:read', me);
    navDealTemplates.hidden = !hasRole(roles, 'ADMIN', 'MANAGER');
    logoutButton.textContent = t('logout');
    notFoundTitle.textContent = t('notFoundTitle');
    notFoundText.textContent = t('notFoundText');
    notFoundBack.textContent = t('notFoundBack');
    footerText.textContent = t('footer');
    footerApi.textContent = t('footerApiReference');
    homeTitle.textContent = t('homeTitle');
    homeDate.textContent = new Intl.DateTimeFormat(intlLocaleOf(active), { weekday: 'long', day: 'numeric', month: 'long' }).format(new Date());
    renderWorkCounts();
  };
  refresh();

  const setCurrent = (key: NavKey | null): void => {
    for (const link of navLinks) {
      if (key !== null && link.dataset.nav === key) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  };

  const setWorkCounts = (counts: WorkCounts | null): void => {
    workCounts = counts;
    renderWorkCounts();
  };

  return { root, header, main, slots, notFound, home, refresh, setCurrent, setWorkCounts };
};
