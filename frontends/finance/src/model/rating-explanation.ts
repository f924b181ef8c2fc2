/**
 * The explanation of a rating factor in the UI language, built from the factor's `figures` (the numbers the
 * finance subgraph's rating calculator rests each factor on — see services/finance/src/modules/rating/rating.calculator.ts).
 * The API's own `explanation` is English only (for API clients); the portal shows this text in RU and EN.
 *
 * Pure (no Vue, no i18n plugin): the finance service's specs check it against the calculator's output.
 */

export type ExplanationLocale = 'ru' | 'en';
export type FactorForExplanation = { code: string; value: number | null; figures: readonly { name: string; value: number }[] };

/*
 * The method's constants (services/finance/src/modules/rating/rating.method.ts). They are part of the method's
 * code, not of its weights: an administrator's new weights do not change them.
 */
const DELAY_HORIZON_DAYS = 60;
const OVERDUE_WINDOW_DAYS = 365;
const RELATIONSHIP_FULL_MONTHS = 24;
const RELATIONSHIP_FULL_VOLUME_MINOR = 1_000_000_000;
const RELATIONSHIP_VOLUME_CURRENCY = 'RUB';

const intlLocale = (locale: ExplanationLocale): string => (locale === 'ru' ? 'ru-RU' : 'en-GB');
const num = (value: number, locale: ExplanationLocale, digits = 1): string => new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: digits }).format(value);
const pct = (value: number, locale: ExplanationLocale): string => new Intl.NumberFormat(intlLocale(locale), { style: 'percent', maximumFractionDigits: 1 }).format(value / 100);
const money = (minor: number, locale: ExplanationLocale): string =>
  new Intl.NumberFormat(intlLocale(locale), { style: 'currency', currency: RELATIONSHIP_VOLUME_CURRENCY, minimumFractionDigits: minor % 100 === 0 ? 0 : 2, maximumFractionDigits: 2 }).format(minor / 100);

type Figures = Record<string, number>;
/** `noData`: the factor has no value (nothing verified to judge it by yet). */
type Builder = (figures: Figures, locale: ExplanationLocale, noData: boolean) => string;

/** What each factor needs; a missing figure (an older or newer API) → no text, the caller falls back. */
const NEEDS: Record<string, readonly string[]> = {
  PAYMENT_ON_TIME: ['dueMinor', 'onTimeMinor', 'obligations'],
  DELIVERY_ON_TIME: ['dueMinor', 'onTimeMinor', 'obligations'],
  PAYMENT_DELAY: ['dueMinor', 'averageDaysLate', 'lateObligations'],
  OVERDUE_NOW: ['overdueMinor', 'dueLastYearMinor', 'overdueDays'],
  TERMINATIONS: ['signedContracts', 'terminatedContracts'],
  RELATIONSHIP: ['months', 'volumeMinor', 'lengthPoints', 'volumePoints'],
};

const onTime =
  (kind: 'payment' | 'delivery'): Builder =>
  (f, locale, noData) => {
    if (noData || f.dueMinor === 0) {
      if (locale === 'ru') return kind === 'payment' ? 'Сроков оплаты ещё не наступало.' : 'Сроков поставки ещё не наступало.';
      return kind === 'payment' ? 'No payment obligation has fallen due yet.' : 'No delivery obligation has fallen due yet.';
    }
    const share = pct((100 * f.onTimeMinor) / f.dueMinor, locale);
    if (locale === 'ru') {
      return kind === 'payment'
        ? `В срок оплачено ${share} суммы наступивших платёжных обязательств (обязательств: ${f.obligations}).`
        : `В срок исполнено ${share} суммы наступивших обязательств по поставке (обязательств: ${f.obligations}).`;
    }
    return `${share} of the amount of ${f.obligations} ${kind} obligation(s) that fell due was settled by the due date.`;
  };

const BUILDERS: Record<string, Builder> = {
  PAYMENT_ON_TIME: onTime('payment'),
  DELIVERY_ON_TIME: onTime('delivery'),
  PAYMENT_DELAY: (f, locale, noData) => {
    if (noData || f.dueMinor === 0) return locale === 'ru' ? 'Сроков оплаты ещё не наступало.' : 'No payment has fallen due yet.';
    const days = num(f.averageDaysLate, locale);
    return locale === 'ru'
      ? `Средняя просрочка оплаты с учётом сумм — ${days} дн. (0 баллов при ${DELAY_HORIZON_DAYS} дн.); оплачено с опозданием обязательств: ${f.lateObligations}.`
      : `Payments were late by ${days} days on average, weighted by amount (0 points at ${DELAY_HORIZON_DAYS} days); ${f.lateObligations} obligation(s) paid late.`;
  },
  OVERDUE_NOW: (f, locale, noData) => {
    if (noData) {
      return locale === 'ru'
        ? `За последние ${OVERDUE_WINDOW_DAYS} дней сроков оплаты не было, просроченной задолженности нет.`
        : `Nothing fell due within the last ${OVERDUE_WINDOW_DAYS} days and nothing is overdue.`;
    }
    if (f.overdueMinor === 0) return locale === 'ru' ? 'Просроченной задолженности сейчас нет.' : 'Nothing is overdue now.';
    const share = pct(f.dueLastYearMinor === 0 ? 100 : Math.min(100, (100 * f.overdueMinor) / f.dueLastYearMinor), locale);
    return locale === 'ru'
      ? `Сейчас просрочено ${money(f.overdueMinor, locale)} — ${share} того, что подлежало оплате за последние ${OVERDUE_WINDOW_DAYS} дней (самая давняя просрочка — ${f.overdueDays} дн.).`
      : `${money(f.overdueMinor, locale)} is overdue now: ${share} of what fell due within the last ${OVERDUE_WINDOW_DAYS} days (the oldest by ${f.overdueDays} days).`;
  },
  TERMINATIONS: (f, locale, noData) => {
    if (noData || f.signedContracts === 0) return locale === 'ru' ? 'Подписанных договоров пока нет.' : 'No signed contract yet.';
    return locale === 'ru'
      ? `Расторгнуто договоров: ${f.terminatedContracts} из ${f.signedContracts} подписанных.`
      : `${f.terminatedContracts} of ${f.signedContracts} signed contract(s) terminated.`;
  },
  RELATIONSHIP: (f, locale, noData) => {
    const full = money(RELATIONSHIP_FULL_VOLUME_MINOR, locale);
    if (noData) return locale === 'ru' ? 'Подписанных документов пока нет.' : 'No signed document yet.';
    return locale === 'ru'
      ? `Отношения длятся ${num(f.months, locale)} мес. с первого подписанного документа (${num(f.lengthPoints, locale)} из 50 баллов, полные при ${RELATIONSHIP_FULL_MONTHS} мес.), объём — ${money(f.volumeMinor, locale)} (${num(f.volumePoints, locale)} из 50 баллов, полные при ${full}).`
      : `Relationship of ${num(f.months, locale)} months since the first signed document (${num(f.lengthPoints, locale)} of 50 points, full at ${RELATIONSHIP_FULL_MONTHS}) and a volume of ${money(f.volumeMinor, locale)} (${num(f.volumePoints, locale)} of 50 points, full at ${full}).`;
  },
};

/**
 * The factor's explanation in `locale`, from its figures; null for a factor code or figures this portal does not
 * know (then the caller shows the API's English text in the English UI, nothing in Russian).
 */
export function explainFactor(factor: FactorForExplanation, locale: ExplanationLocale): string | null {
  const build = BUILDERS[factor.code];
  const needs = NEEDS[factor.code];
  if (!build || !needs) return null;
  const figures: Figures = Object.fromEntries(factor.figures.map((figure) => [figure.name, figure.value]));
  if (needs.some((name) => typeof figures[name] !== 'number' || !Number.isFinite(figures[name]))) return null;
  return build(figures, locale, factor.value === null);
}
