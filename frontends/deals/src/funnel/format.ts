import { formatDate, intlLocaleOf, type Locale, type Money } from '@kartoteka/portal-api';

/** A share (0..1) as a percentage in the UI language, e.g. `0.425` → `42,5 %`. */
export const formatPercent = (share: number | null | undefined, locale: Locale): string => {
  if (share === null || share === undefined || Number.isNaN(share)) return '';
  return new Intl.NumberFormat(intlLocaleOf(locale), { style: 'percent', maximumFractionDigits: 1 }).format(share);
};

/** A stage probability as the API gives it (whole percent, 0..100). */
export const formatProbability = (probability: number, locale: Locale): string => formatPercent(probability / 100, locale);

/** A number of days with at most one decimal. */
export const formatDays = (days: number | null | undefined, locale: Locale): string => {
  if (days === null || days === undefined || Number.isNaN(days)) return '';
  return new Intl.NumberFormat(intlLocaleOf(locale), { maximumFractionDigits: 1 }).format(days);
};

export const formatCount = (value: number, locale: Locale): string => new Intl.NumberFormat(intlLocaleOf(locale)).format(value);

/** Money as a plain number of major units (for chart axes), e.g. `{ minor: 12345, … }` → `123.45`. */
export const moneyValue = (money: Money | null | undefined): number => (money ? money.minor / 100 : 0);

/** A period of `byPeriod`: `2026-11` → `нояб. 2026`, a date → `01.11.2026`, anything else as is. */
export const formatPeriod = (period: string, locale: Locale): string => {
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) {
    const date = new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1));
    return new Intl.DateTimeFormat(intlLocaleOf(locale), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(period)) return formatDate(period, locale);
  return period;
};

/** A next action's due moment is in the past. */
export const isOverdue = (dueAt: string | null | undefined, now: number = Date.now()): boolean => {
  if (!dueAt) return false;
  const time = new Date(dueAt).getTime();
  return !Number.isNaN(time) && time < now;
};
