import { emitPortalEvent, onPortalEvent } from './events';
import { readStored, writeStored } from './storage';
import type { Locale } from './types';

export type { Locale };

export const locales: readonly Locale[] = ['ru', 'en'];
export const DEFAULT_LOCALE: Locale = 'ru';

const LOCALE_KEY = 'kartoteka.locale';

const isLocale = (value: unknown): value is Locale => value === 'ru' || value === 'en';

let current: Locale = ((): Locale => {
  const stored = typeof window === 'undefined' ? null : readStored(LOCALE_KEY);
  return isLocale(stored) ? stored : DEFAULT_LOCALE;
})();

if (typeof document !== 'undefined') document.documentElement.lang = current;

export const getLocale = (): Locale => current;

/** Switches the UI language of every app: persists it and dispatches `kartoteka:locale-changed`. */
export const setLocale = (locale: Locale): void => {
  if (!isLocale(locale) || locale === current) return;
  current = locale;
  writeStored(LOCALE_KEY, locale);
  document.documentElement.lang = locale;
  emitPortalEvent('kartoteka:locale-changed', { locale });
};

export const onLocaleChanged = (handler: (locale: Locale) => void): (() => void) =>
  onPortalEvent('kartoteka:locale-changed', ({ locale }) => handler(locale));

/** BCP 47 tag used for dates in the given UI language. */
export const intlLocaleOf = (locale: Locale): string => (locale === 'ru' ? 'ru-RU' : 'en-GB');
