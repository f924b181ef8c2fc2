import { getLocale, type Locale } from '@kartoteka/portal-api';

type RootMessages = {
  brand: string;
  tagline: string;
  navCounterparties: string;
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
  loginUnknown: string;
  notFoundTitle: string;
  notFoundText: string;
  notFoundBack: string;
  appError: string;
  appRetry: string;
  appCounterparties: string;
  appDocuments: string;
  appDeals: string;
  titleLogin: string;
  titleCounterparties: string;
  titleNotFound: string;
  footer: string;
};

const ru: RootMessages = {
  brand: 'Картотека',
  tagline: 'CRM для контрагентов',
  navCounterparties: 'Контрагенты',
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
  loginUnknown: 'Не удалось войти. Повторите попытку позже.',
  notFoundTitle: 'Страница не найдена',
  notFoundText: 'Проверьте адрес страницы или вернитесь к списку контрагентов.',
  notFoundBack: 'К списку контрагентов',
  appError: 'Раздел «{app}» сейчас недоступен. Остальная часть страницы работает.',
  appRetry: 'Обновить страницу',
  appCounterparties: 'Контрагенты',
  appDocuments: 'Документы',
  appDeals: 'Сделки',
  titleLogin: 'Вход',
  titleCounterparties: 'Контрагенты',
  titleNotFound: 'Страница не найдена',
  footer: 'Картотека — открытая CRM для работы с контрагентами',
};

const en: RootMessages = {
  brand: 'Kartoteka',
  tagline: 'Counterparty CRM',
  navCounterparties: 'Counterparties',
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
  loginUnknown: 'Could not sign in. Please try again later.',
  notFoundTitle: 'Page not found',
  notFoundText: 'Check the address or go back to the list of counterparties.',
  notFoundBack: 'Back to counterparties',
  appError: 'The “{app}” section is unavailable right now. The rest of the page still works.',
  appRetry: 'Reload the page',
  appCounterparties: 'Counterparties',
  appDocuments: 'Documents',
  appDeals: 'Deals',
  titleLogin: 'Sign in',
  titleCounterparties: 'Counterparties',
  titleNotFound: 'Page not found',
  footer: 'Kartoteka — open-source counterparty CRM',
};

const messages: Record<Locale, RootMessages> = { ru, en };

export type RootMessageKey = keyof RootMessages;

/** Text of the root config in the current UI language; `{name}` placeholders are filled from `params`. */
export const t = (key: RootMessageKey, params: Record<string, string> = {}): string =>
  messages[getLocale()][key].replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '');
