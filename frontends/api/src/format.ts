import { getLocale, intlLocaleOf, type Locale } from './i18n';

export type Money = { minor: number; currency: string };

/** Amounts are always shown the Russian way (`1 234 567,89 ₽`), whatever the UI language. */
const MONEY_LOCALE = 'ru-RU';

const fractionDigitsOf = (currency: string): number => {
  try {
    return new Intl.NumberFormat(MONEY_LOCALE, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
};

/** Integer minor units -> exact decimal string ("123456" with 2 digits -> "1234.56"), no float rounding. */
export const minorToDecimalString = (minor: number | string | bigint, digits: number): string => {
  const text = BigInt(minor).toString();
  const negative = text.startsWith('-');
  const abs = negative ? text.slice(1) : text;
  if (digits === 0) return text;
  const padded = abs.padStart(digits + 1, '0');
  const result = `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
  return negative ? `-${result}` : result;
};

/** Formats money given in minor units (kopecks), e.g. `{ minor: 123456, currency: 'RUB' }` -> `1 234,56 ₽`. */
export const formatMoney = (money: Money | null | undefined): string => {
  if (!money || money.minor === null || money.minor === undefined) return '';
  const currency = money.currency || 'RUB';
  const digits = fractionDigitsOf(currency);
  const decimal = minorToDecimalString(money.minor, digits);
  try {
    const formatter = new Intl.NumberFormat(MONEY_LOCALE, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    // Intl formats decimal strings exactly (no float conversion).
    return formatter.format(decimal as unknown as number);
  } catch {
    return `${decimal} ${currency}`;
  }
};

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

const parseDate = (value: string): { date: Date; dateOnly: boolean } | null => {
  const m = DATE_ONLY.exec(value);
  if (m) return { date: new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))), dateOnly: true };
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : { date, dateOnly: false };
};

/** A calendar date (`2025-03-01` or an ISO timestamp) in the UI language: `01.03.2025`. */
export const formatDate = (value: string | null | undefined, locale: Locale = getLocale()): string => {
  if (!value) return '';
  const parsed = parseDate(value);
  if (!parsed) return value;
  return new Intl.DateTimeFormat(intlLocaleOf(locale), {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: parsed.dateOnly ? 'UTC' : undefined,
  }).format(parsed.date);
};

/** A moment (ISO timestamp) in local time: `01.03.2025, 14:05`. */
export const formatDateTime = (value: string | null | undefined, locale: Locale = getLocale()): string => {
  if (!value) return '';
  const parsed = parseDate(value);
  if (!parsed) return value;
  return new Intl.DateTimeFormat(intlLocaleOf(locale), {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: parsed.dateOnly ? 'UTC' : undefined,
  }).format(parsed.date);
};
