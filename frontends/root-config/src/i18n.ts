import { getLocale, type Locale } from '@kartoteka/portal-api';

type RootMessages = {
  brand: string;
  tagline: string;
  navCounterparties: string;
  navTasks: string;
  navDocuments: string;
  navRouteTemplates: string;
  navDeals: string;
  navDealBoard: string;
  navDealAnalytics: string;
  navDealTemplates: string;
  navFinance: string;
  logout: string;
  localeSwitch: string;
  loginTitle: string;
  loginSubtitle: string;
  email: string;
  password: string;
  submit: string;
  submitting: string;
  loginRequired: string;
  loginInvalid: string;
  loginNetwork: string;
  loginThrottled: string;
  loginUnknown: string;
  notFoundTitle: string;
  notFoundText: string;
  notFoundBack: string;
  appError: string;
  appRetry: string;
  appCounterparties: string;
  appDocuments: string;
  appDeals: string;
  appFinance: string;
  appAdmin: string;
  homeTitle: string;
  titleHome: string;
  titleProjects: string;
  titleAdmin: string;
  appTasks: string;
  appNotifications: string;
  titleLogin: string;
  titleCounterparties: string;
  titleTasks: string;
  titleDocuments: string;
  titleRouteTemplates: string;
  titleDeals: string;
  titleDealBoard: string;
  titleDealAnalytics: string;
  titleDealTemplates: string;
  titleDealNew: string;
  titleFinancePayments: string;
  titleFinanceImport: string;
  titleFinanceReview: string;
  titleNotFound: string;
  footer: string;
};

const ru: RootMessages = {
  brand: 'Картотека',
  tagline: 'CRM для контрагентов',
  navCounterparties: 'Контрагенты',
  navTasks: 'Мои задачи',
  navDocuments: 'Документы',
  navRouteTemplates: 'Маршруты',
  navDeals: 'Сделки',
  navDealBoard: 'Воронка',
  navDealAnalytics: 'Аналитика',
  navDealTemplates: 'Шаблоны сделок',
  navFinance: 'Финансы',
  logout: 'Выйти',
  localeSwitch: 'Язык интерфейса',
  loginTitle: 'Вход в систему',
  loginSubtitle: 'Войдите под рабочей учётной записью',
  email: 'Электронная почта',
  password: 'Пароль',
  submit: 'Войти',
  submitting: 'Вход…',
  loginRequired: 'Введите электронную почту и пароль',
  loginInvalid: 'Неверная электронная почта или пароль',
  loginNetwork: 'Сервер недоступен. Проверьте подключение и повторите попытку.',
  loginThrottled: 'Слишком много неудачных попыток. Повторите через {seconds} с.',
  loginUnknown: 'Не удалось войти. Повторите попытку позже.',
  notFoundTitle: 'Страница не найдена',
  notFoundText: 'Проверьте адрес страницы или вернитесь к списку контрагентов.',
  notFoundBack: 'К списку контрагентов',
  appError: 'Раздел «{app}» сейчас недоступен. Остальная часть страницы работает.',
  appRetry: 'Обновить страницу',
  appCounterparties: 'Контрагенты',
  appDocuments: 'Документы',
  appDeals: 'Сделки',
  appFinance: 'Финансы',
  appAdmin: 'Администрирование',
  homeTitle: 'Мой день',
  titleHome: 'Мой день',
  titleProjects: 'Проекты',
  titleAdmin: 'Администрирование',
  appTasks: 'Мои задачи',
  appNotifications: 'Уведомления',
  titleLogin: 'Вход',
  titleCounterparties: 'Контрагенты',
  titleTasks: 'Мои задачи',
  titleDocuments: 'Документы',
  titleRouteTemplates: 'Маршруты согласования',
  titleDeals: 'Сделки',
  titleDealBoard: 'Воронка продаж',
  titleDealAnalytics: 'Аналитика воронки',
  titleDealTemplates: 'Шаблоны сделок',
  titleDealNew: 'Новая сделка',
  titleFinancePayments: 'Платежи',
  titleFinanceImport: 'Импорт выписки',
  titleFinanceReview: 'Разбор платежей',
  titleNotFound: 'Страница не найдена',
  footer: 'Картотека — открытая CRM для работы с контрагентами',
};

const en: RootMessages = {
  brand: 'Kartoteka',
  tagline: 'Counterparty CRM',
  navCounterparties: 'Counterparties',
  navTasks: 'My tasks',
  navDocuments: 'Documents',
  navRouteTemplates: 'Routes',
  navDeals: 'Deals',
  navDealBoard: 'Pipeline',
  navDealAnalytics: 'Analytics',
  navDealTemplates: 'Deal templates',
  navFinance: 'Finance',
  logout: 'Log out',
  localeSwitch: 'Interface language',
  loginTitle: 'Sign in',
  loginSubtitle: 'Use your work account',
  email: 'Email',
  password: 'Password',
  submit: 'Sign in',
  submitting: 'Signing in…',
  loginRequired: 'Enter your email and password',
  loginInvalid: 'Invalid email or password',
  loginNetwork: 'The server is unreachable. Check your connection and try again.',
  loginThrottled: 'Too many failed attempts. Try again in {seconds} s.',
  loginUnknown: 'Could not sign in. Please try again later.',
  notFoundTitle: 'Page not found',
  notFoundText: 'Check the address or go back to the list of counterparties.',
  notFoundBack: 'Back to counterparties',
  appError: 'The “{app}” section is unavailable right now. The rest of the page still works.',
  appRetry: 'Reload the page',
  appCounterparties: 'Counterparties',
  appDocuments: 'Documents',
  appDeals: 'Deals',
  appFinance: 'Finance',
  appAdmin: 'Administration',
  homeTitle: 'My day',
  titleHome: 'My day',
  titleProjects: 'Projects',
  titleAdmin: 'Administration',
  appTasks: 'My tasks',
  appNotifications: 'Notifications',
  titleLogin: 'Sign in',
  titleCounterparties: 'Counterparties',
  titleTasks: 'My tasks',
  titleDocuments: 'Documents',
  titleRouteTemplates: 'Approval routes',
  titleDeals: 'Deals',
  titleDealBoard: 'Sales pipeline',
  titleDealAnalytics: 'Pipeline analytics',
  titleDealTemplates: 'Deal templates',
  titleDealNew: 'New deal',
  titleFinancePayments: 'Payments',
  titleFinanceImport: 'Statement import',
  titleFinanceReview: 'Payment review',
  titleNotFound: 'Page not found',
  footer: 'Kartoteka — open-source counterparty CRM',
};

const messages: Record<Locale, RootMessages> = { ru, en };

export type RootMessageKey = keyof RootMessages;

/** Text of the root config in the current UI language; `{name}` placeholders are filled from `params`. */
export const t = (key: RootMessageKey, params: Record<string, string> = {}): string =>
  messages[getLocale()][key].replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '');
