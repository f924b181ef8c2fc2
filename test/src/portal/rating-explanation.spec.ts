import { computeExecution } from '../../../services/finance/src/modules/execution/execution.calculator';
import type { ContractFacts, DocumentFact, PaymentFact } from '../../../services/finance/src/modules/execution/execution.types';
import { computeRating } from '../../../services/finance/src/modules/rating/rating.calculator';
import { DEFAULT_RATING_WEIGHTS } from '../../../services/finance/src/modules/rating/rating.method';
import type { RatingFactorResult, RatingResult } from '../../../services/finance/src/modules/rating/rating.types';
import { explainFactor } from '../../../frontends/finance/src/model/rating-explanation';

/* The portal's text of a factor (RU/EN) is built from the figures the finance calculator returns: checked against it. */

const TODAY = '2026-03-31';
function facts(part: Partial<ContractFacts>): ContractFacts {
  return {
    contractId: null, counterpartyId: '00000000-0000-4000-8000-0000000000a1', direction: 'RECEIVABLE', currency: 'RUB', number: null,
    contractedMinor: 0, signedAt: null, startDate: null, endDate: null, status: 'SIGNED', terminated: false, termsSet: false,
    schedule: [], invoices: [], acts: [], payments: [], ...part,
  };
}
const invoice = (id: string, date: string, amountMinor: number, dueDate: string | null = null): DocumentFact => ({ id, type: 'INVOICE', number: id, date, amountMinor, dueDate, invoiceId: null });
const payment = (id: string, date: string, amountMinor: number, invoiceId: string | null = null): PaymentFact => ({ id, number: id, date, amountMinor, invoiceId });
const rate = (accounts: ContractFacts[]): RatingResult =>
  computeRating({ today: TODAY, accounts: accounts.map((f) => ({ facts: f, execution: computeExecution(f, TODAY) })) }, DEFAULT_RATING_WEIGHTS);
/** The factor as the portal receives it (figures as a list of { name, value }). */
const asApi = (factor: RatingFactorResult) => ({ code: factor.code, value: factor.value, figures: Object.entries(factor.figures).map(([name, value]) => ({ name, value })) });
const texts = (result: RatingResult, locale: 'ru' | 'en') => Object.fromEntries(result.factors.map((factor) => [factor.code, explainFactor(asApi(factor), locale)]));
const nbsp = (text: string | null) => text?.replace(/[\u00a0\u202f]/g, ' ') ?? null;

/**
 * K1 — RECEIVABLE contract signed 2024-01-01 (see rating.calculator.spec): I1 10 000 000 due 2026-01-20, 9 000 000 paid
 * (6 000 000 on time); I2 5 000 000 paid on time; 1 000 000 of I1 overdue 70 days; one contract, not terminated.
 */
const K1 = facts({
  contractId: 'K1', number: 'K1', direction: 'RECEIVABLE', signedAt: '2024-01-01',
  invoices: [invoice('I1', '2026-01-10', 10_000_000, '2026-01-20'), invoice('I2', '2026-02-01', 5_000_000), invoice('I3', '2026-03-01', 3_000_000, '2026-04-10')],
  payments: [payment('P1', '2026-01-18', 6_000_000), payment('P2', '2026-01-25', 6_000_000, 'I2'), payment('P3', '2026-03-05', 2_000_000)],
});

describe('the portal\'s factor explanations (frontends/finance model/rating-explanation) from the calculator\'s figures', () => {
  const result = rate([K1]);

  it('Russian: every factor explained with its numbers', () => {
    const ru = texts(result, 'ru');
    // 11 000 000 of 15 000 000 on time → 73,3 %
    expect(nbsp(ru.PAYMENT_ON_TIME)).toBe('В срок оплачено 73,3 % суммы наступивших платёжных обязательств (обязательств: 2).');
    // 46,67 days weighted by amount, 1 obligation late
    expect(nbsp(ru.PAYMENT_DELAY)).toBe('Средняя просрочка оплаты с учётом сумм — 46,7 дн. (0 баллов при 60 дн.); оплачено с опозданием обязательств: 1.');
    // 10 000 ₽ of 150 000 ₽ due within a year → 6,7 %, 70 days
    expect(nbsp(ru.OVERDUE_NOW)).toBe('Сейчас просрочено 10 000 ₽ — 6,7 % того, что подлежало оплате за последние 365 дней (самая давняя просрочка — 70 дн.).');
    expect(ru.DELIVERY_ON_TIME).toBe('Сроков поставки ещё не наступало.');
    expect(ru.TERMINATIONS).toBe('Расторгнуто договоров: 0 из 1 подписанных.');
    // 26,94 months (50 points); volume = invoiced 180 000 ₽ → 0,9 points
    expect(nbsp(ru.RELATIONSHIP)).toBe(
      'Отношения длятся 26,9 мес. с первого подписанного документа (50 из 50 баллов, полные при 24 мес.), объём — 180 000 ₽ (0,9 из 50 баллов, полные при 10 000 000 ₽).',
    );
  });

  it('English: the same numbers', () => {
    const en = texts(result, 'en');
    expect(en.PAYMENT_ON_TIME).toBe('73.3% of the amount of 2 payment obligation(s) that fell due was settled by the due date.');
    expect(en.PAYMENT_DELAY).toBe('Payments were late by 46.7 days on average, weighted by amount (0 points at 60 days); 1 obligation(s) paid late.');
    expect(nbsp(en.OVERDUE_NOW)).toMatch(/^(RUB 10,000|₽10,000) is overdue now: 6\.7% of what fell due within the last 365 days \(the oldest by 70 days\)\.$/);
    expect(en.DELIVERY_ON_TIME).toBe('No delivery obligation has fallen due yet.');
    expect(en.TERMINATIONS).toBe('0 of 1 signed contract(s) terminated.');
    expect(en.RELATIONSHIP).toMatch(/^Relationship of 26\.9 months since the first signed document \(50 of 50 points, full at 24\) and a volume of .*180,000.* \(0\.9 of 50 points, full at .*10,000,000.*\)\.$/);
  });

  it('a terminated contract, nothing overdue, no data at all', () => {
    const paidUp = facts({ ...K1, contractId: 'K3', status: 'TERMINATED', terminated: true, invoices: [invoice('I5', '2026-01-10', 1_000_000, '2026-01-20')], payments: [payment('P5', '2026-01-15', 1_000_000)] });
    const ru = texts(rate([paidUp]), 'ru');
    expect(ru.TERMINATIONS).toBe('Расторгнуто договоров: 1 из 1 подписанных.');
    expect(ru.OVERDUE_NOW).toBe('Просроченной задолженности сейчас нет.');
    expect(nbsp(ru.PAYMENT_ON_TIME)).toBe('В срок оплачено 100 % суммы наступивших платёжных обязательств (обязательств: 1).');

    const none = texts(rate([]), 'ru');
    expect(none).toEqual({
      PAYMENT_ON_TIME: 'Сроков оплаты ещё не наступало.',
      PAYMENT_DELAY: 'Сроков оплаты ещё не наступало.',
      OVERDUE_NOW: 'За последние 365 дней сроков оплаты не было, просроченной задолженности нет.',
      DELIVERY_ON_TIME: 'Сроков поставки ещё не наступало.',
      TERMINATIONS: 'Подписанных договоров пока нет.',
      RELATIONSHIP: 'Подписанных документов пока нет.',
    });
  });

  it('an unknown factor or missing figures give no text (the caller falls back)', () => {
    expect(explainFactor({ code: 'SOMETHING_NEW', value: 50, figures: [] }, 'ru')).toBeNull();
    expect(explainFactor({ code: 'TERMINATIONS', value: 50, figures: [{ name: 'signedContracts', value: 2 }] }, 'ru')).toBeNull();
  });
});
