import { useI18n } from 'vue-i18n';
import { formatDate, intlLocaleOf, type Locale, type Money } from '@kartoteka/portal-api';

/** A score 0–100 with one decimal in the UI language. */
export const formatScore = (value: number | null | undefined, locale: Locale): string =>
  value === null || value === undefined ? '' : new Intl.NumberFormat(intlLocaleOf(locale), { maximumFractionDigits: 1 }).format(value);

/** A weight (0..1) or a confidence as a percentage. */
export const formatPercent = (value: number, locale: Locale): string =>
  new Intl.NumberFormat(intlLocaleOf(locale), { style: 'percent', maximumFractionDigits: 1 }).format(value);

/** A month `YYYY-MM` as a short label (`мар 25` / `Mar 25`). */
export const formatMonth = (month: string, locale: Locale): string => {
  const [year, mon] = month.split('-').map(Number);
  if (!year || !mon) return month;
  return new Intl.DateTimeFormat(intlLocaleOf(locale), { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(new Date(Date.UTC(year, mon - 1, 1)));
};

/** Money in major units as a plain number (for charts only; texts use formatMoney). */
export const majorOf = (money: Money | null | undefined): number => (money ? money.minor / 100 : 0);

export const isZero = (money: Money | null | undefined): boolean => !money || money.minor === 0;

/** Colours of the rating grades (text always goes with the colour). */
export const GRADE_COLORS: Record<string, { color: string; textColor: string }> = {
  A: { color: '#dcfce7', textColor: '#166534' },
  B: { color: '#e0f2fe', textColor: '#075985' },
  C: { color: '#fef3c7', textColor: '#92400e' },
  D: { color: '#fee2e2', textColor: '#991b1b' },
};

const CONTRACT_STATUSES = new Set(['SIGNED', 'IN_FORCE', 'EXECUTED', 'TERMINATED', 'CANCELLED']);

/** The i18n key of a contract's EDMS status, or null for a status this app has no text for (shown as is). */
export const contractStatusKey = (status: string): string | null => (CONTRACT_STATUSES.has(status) ? `contractStatus.${status}` : null);

const KNOWN_REASONS = new Set(['inn', 'kpp', 'account', 'invoice.number', 'invoice.amount', 'invoice.date', 'invoice.ambiguous', 'contract.number', 'contract.ambiguous', 'inn.missing', 'inn.unknown', 'kpp.mismatch', 'manual', 'manual.unmatched']);

/** Localized text of a payment's match reasons (`inn`, `invoice.number`, `candidate:<id>` …; unknown codes as they are). */
export const useMatchReasons = (): ((reasons: readonly string[]) => string) => {
  const { t } = useI18n();
  return (reasons) => {
    const candidates = reasons.filter((reason) => reason.startsWith('candidate:')).length;
    const texts = reasons.filter((reason) => !reason.startsWith('candidate:')).map((reason) => (KNOWN_REASONS.has(reason) ? t(`reason.${reason.replace('.', '_')}`) : reason));
    if (candidates > 0) texts.push(t('reason.candidates', { n: candidates }));
    return texts.join(', ');
  };
};

/** «Договор № 7/26-П от 10.01.2026» / «Contract No. 7/26-П of 10 Jan 2026»; just «Договор» when neither is known. */
export const useContractLabel = (): ((contract: { number: string | null; date: string | null }) => string) => {
  const { t, locale } = useI18n();
  return (contract) => {
    const number = contract.number?.trim().replace(/^(?:№|N|No\.?)\s*/iu, '') || null;
    const date = contract.date ? formatDate(contract.date, locale.value as Locale) : null;
    if (number && date) return t('common.contractNumberDate', { number, date });
    if (number) return t('common.contractNumber', { number });
    if (date) return t('common.contractDate', { date });
    return t('common.contract');
  };
};
