import { getLocale, type Locale } from '@kartoteka/portal-api';
import type { WorkCounts } from './work-counts';

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
  appMailings: string;
  homeTitle: string;
  titleHome: string;
  titleProjects: string;
  titleAdmin: string;
  titleMailings: string;
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
  footerApiReference: string;
  navHome: string;
  navProjects: string;
  navAdmin: string;
  navMailings: string;
  navMain: string;
  menuOpen: string;
  menuClose: string;
  skipToContent: string;
  workPartial: string;
};

/** Plural forms of a count (CLDR categories; Russian uses one/few/many, English one/other). */
type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

type RootPlurals = {
  workWaiting: PluralForms;
  workApprovals: PluralForms;
  workAcknowledgements: PluralForms;
  workTasks: PluralForms;
  workDealActions: PluralForms;
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
  notFoundText: 'Проверьте адрес страницы или вернитесь на страницу «Мой день».',
  notFoundBack: 'Открыть «Мой день»',
  appError: 'Раздел «{app}» сейчас недоступен. Остальная часть страницы работает.',
  appRetry: 'Обновить страницу',
  appCounterparties: 'Контрагенты',
  appDocuments: 'Документы',
  appDeals: 'Сделки',
  appFinance: 'Финансы',
  appAdmin: 'Администрирование',
  appMailings: 'Рассылки',
  homeTitle: 'Мой день',
  titleHome: 'Мой день',
  titleProjects: 'Проекты',
  titleAdmin: 'Администрирование',
  titleMailings: 'Рассылки',
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
  footerApiReference: 'API для партнёров',
  navHome: 'Мой день',
  navProjects: 'Проекты',
  navAdmin: 'Администрирование',
  navMailings: 'Рассылки',
  navMain: 'Разделы',
  menuOpen: 'Открыть меню',
  menuClose: 'Закрыть меню',
  skipToContent: 'Перейти к содержимому',
  workPartial: 'часть счётчиков недоступна',
};

const ruPlurals: RootPlurals = {
  workWaiting: { one: '{n} ждёт', few: '{n} ждут', many: '{n} ждут', other: '{n} ждут' },
  workApprovals: { one: '{n} согласование', few: '{n} согласования', many: '{n} согласований', other: '{n} согласования' },
  workAcknowledgements: { one: '{n} ознакомление', few: '{n} ознакомления', many: '{n} ознакомлений', other: '{n} ознакомления' },
  workTasks: { one: '{n} задача', few: '{n} задачи', many: '{n} задач', other: '{n} задачи' },
  workDealActions: { one: '{n} действие по сделке', few: '{n} действия по сделкам', many: '{n} действий по сделкам', other: '{n} действия по сделкам' },
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
  notFoundText: 'Check the address or go back to “My day”.',
  notFoundBack: 'Open My day',
  appError: 'The “{app}” section is unavailable right now. The rest of the page still works.',
  appRetry: 'Reload the page',
  appCounterparties: 'Counterparties',
  appDocuments: 'Documents',
  appDeals: 'Deals',
  appFinance: 'Finance',
  appAdmin: 'Administration',
  appMailings: 'Mailings',
  homeTitle: 'My day',
  titleHome: 'My day',
  titleProjects: 'Projects',
  titleAdmin: 'Administration',
  titleMailings: 'Mailings',
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
  footerApiReference: 'Partner API',
  navHome: 'My day',
  navProjects: 'Projects',
  navAdmin: 'Administration',
  navMailings: 'Mailings',
  navMain: 'Sections',
  menuOpen: 'Open the menu',
  menuClose: 'Close the menu',
  skipToContent: 'Skip to content',
  workPartial: 'some counts are unavailable',
};

const enPlurals: RootPlurals = {
  workWaiting: { other: '{n} waiting' },
  workApprovals: { one: '{n} approval', other: '{n} approvals' },
  workAcknowledgements: { one: '{n} acknowledgement', other: '{n} acknowledgements' },
  workTasks: { one: '{n} task', other: '{n} tasks' },
  workDealActions: { one: '{n} deal action', other: '{n} deal actions' },
};

const messages: Record<Locale, RootMessages> = { ru, en };
const plurals: Record<Locale, RootPlurals> = { ru: ruPlurals, en: enPlurals };

export type RootMessageKey = keyof RootMessages;

/** Text of the root config in the current UI language; `{name}` placeholders are filled from `params`. */
export const t = (key: RootMessageKey, params: Record<string, string> = {}, locale: Locale = getLocale()): string =>
  messages[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '');

export type RootPluralKey = keyof RootPlurals;

/** A count with its noun in the current UI language («2 согласования», "1 approval"). */
export const tn = (key: RootPluralKey, count: number, locale: Locale = getLocale()): string => {
  const forms = plurals[locale][key];
  const form = forms[new Intl.PluralRules(locale).select(count)] ?? forms.other;
  return form.replace('{n}', String(count));
};

/**
 * The words of the "My tasks" badge: «5 ждут: 2 согласования, 1 ознакомление, 2 задачи» — the total, then each
 * kind that has any; a kind whose subgraph did not answer (`null`) is said to be missing.
 */
export const workCountsLabel = (counts: WorkCounts, locale: Locale = getLocale()): string => {
  const total = (counts.approvals ?? 0) + (counts.acknowledgements ?? 0) + (counts.tasks ?? 0) + (counts.dealActions ?? 0);
  const parts = [
    counts.approvals ? tn('workApprovals', counts.approvals, locale) : null,
    counts.acknowledgements ? tn('workAcknowledgements', counts.acknowledgements, locale) : null,
    counts.tasks ? tn('workTasks', counts.tasks, locale) : null,
    counts.dealActions ? tn('workDealActions', counts.dealActions, locale) : null,
  ].filter((part): part is string => part !== null);
  const partial = Object.values(counts).some((value) => value === null);
  return `${tn('workWaiting', total, locale)}: ${parts.join(', ')}${partial ? ` (${t('workPartial', {}, locale)})` : ''}`;
};
