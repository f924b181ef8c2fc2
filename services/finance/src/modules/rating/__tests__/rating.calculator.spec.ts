import { computeExecution } from '../../execution/execution.calculator';
import type { ContractFacts, DocumentFact, PaymentFact, ScheduleItemFact } from '../../execution/execution.types';
import { computeRating } from '../rating.calculator';
import { DEFAULT_RATING_WEIGHTS, gradeOf } from '../rating.method';
import type { RatingFactorCode, RatingInput, RatingResult } from '../rating.types';

// Hand-computed fixtures: every expected number is worked out in the comments (never by calling the code under test).

const TODAY = '2026-03-31';

function facts(part: Partial<ContractFacts>): ContractFacts {
  return {
    contractId: null, counterpartyId: '00000000-0000-4000-8000-0000000000a1', direction: 'RECEIVABLE', currency: 'RUB', number: null,
    contractedMinor: 0, signedAt: null, startDate: null, endDate: null, status: 'SIGNED', terminated: false, termsSet: false,
    schedule: [], invoices: [], acts: [], payments: [], ...part,
  };
}
const invoice = (id: string, date: string, amountMinor: number, dueDate: string | null = null): DocumentFact => ({ id, type: 'INVOICE', number: id, date, amountMinor, dueDate, invoiceId: null });
const act = (id: string, date: string, amountMinor: number): DocumentFact => ({ id, type: 'ACT', number: id, date, amountMinor, dueDate: null, invoiceId: null });
const payment = (id: string, date: string, amountMinor: number, invoiceId: string | null = null): PaymentFact => ({ id, number: id, date, amountMinor, invoiceId });
const delivery = (id: string, position: number, amountMinor: number, dueDate: string): ScheduleItemFact => ({ id, kind: 'DELIVERY', amountMinor, dueDate, daysAfterAct: null, description: null, position });

/** The input exactly as the service builds it: each account's facts with its execution as of today. */
const input = (accounts: ContractFacts[], today = TODAY): RatingInput => ({ today, accounts: accounts.map((f) => ({ facts: f, execution: computeExecution(f, today) })) });
const factor = (result: RatingResult, code: RatingFactorCode) => result.factors.find((f) => f.code === code)!;

/**
 * K1 — RECEIVABLE contract signed 2024-01-01, no schedule, so its invoices are the obligations (see the execution spec):
 *  I1 10 000 000 due 2026-01-20: 9 000 000 paid (6 000 000 on time by P1, 1 000 000 by P2 and 2 000 000 by P3 late) → OVERDUE, 70 days late;
 *  I2 5 000 000 due 2026-02-01: paid on time by P2 (linked) → PAID, 0 days late;
 *  I3 3 000 000 due 2026-04-10: not due yet → not judged.
 */
const K1 = facts({
  contractId: 'K1', number: 'K1', direction: 'RECEIVABLE', signedAt: '2024-01-01',
  invoices: [invoice('I1', '2026-01-10', 10_000_000, '2026-01-20'), invoice('I2', '2026-02-01', 5_000_000), invoice('I3', '2026-03-01', 3_000_000, '2026-04-10')],
  payments: [payment('P1', '2026-01-18', 6_000_000), payment('P2', '2026-01-25', 6_000_000, 'I2'), payment('P3', '2026-03-05', 2_000_000)],
});
/**
 * K2 — PAYABLE contract (the counterparty delivers to us), signed 2025-06-01, 200 000 000 (2 000 000 roubles), TERMINATED.
 *  D1 100 000 000 due 2025-08-01 ← act A1 2025-07-25 100 000 000: on time, PAID.
 *  D2 100 000 000 due 2025-10-01 ← act A2 2025-10-15 50 000 000: late, still 50 000 000 short → OVERDUE, 181 days (10-01 → 03-31).
 */
const K2 = facts({
  contractId: 'K2', number: 'K2', direction: 'PAYABLE', signedAt: '2025-06-01', contractedMinor: 200_000_000, status: 'TERMINATED', terminated: true, termsSet: true,
  schedule: [delivery('D2', 1, 100_000_000, '2025-10-01'), delivery('D1', 0, 100_000_000, '2025-08-01')],
  acts: [act('A2', '2025-10-15', 50_000_000), act('A1', '2025-07-25', 100_000_000)],
});

describe('computeRating: two contracts, default weights', () => {
  const result = computeRating(input([K1, K2]), DEFAULT_RATING_WEIGHTS);

  it('computes every factor number by number', () => {
    // PAYMENT_ON_TIME: judged RECEIVABLE obligations I1 + I2 = 15 000 000 due, 6 000 000 + 5 000 000 = 11 000 000 on time
    //   → 100 × 11/15 = 73.333… → 73.3
    // PAYMENT_DELAY: d̄ = (10 000 000 × 70 + 5 000 000 × 0) / 15 000 000 = 46.666… days → 100 × (1 − 46.666…/60) = 22.222… → 22.2
    // OVERDUE_NOW: overdue now 1 000 000 (I1); due within 365 days: I1 + I2 = 15 000 000 → 100 × (1 − 1/15) = 93.333… → 93.3
    // DELIVERY_ON_TIME: PAYABLE deliveries D1 + D2 = 200 000 000 due, 100 000 000 on time → 50.0
    // TERMINATIONS: 1 of 2 signed contracts terminated → 100 × (1 − 1/2) = 50.0
    // RELATIONSHIP: first signed fact 2024-01-01 → 820 days = 26.94 months ≥ 24 → 50 points;
    //   volume K1 max(0, invoiced 18 000 000) + K2 max(200 000 000, 0) = 218 000 000 → 50 × 0.218 = 10.9 → 60.9
    expect(result.factors.map((f) => [f.code, f.weight, f.value])).toEqual([
      ['PAYMENT_ON_TIME', 35, 73.3],
      ['PAYMENT_DELAY', 15, 22.2],
      ['OVERDUE_NOW', 20, 93.3],
      ['DELIVERY_ON_TIME', 10, 50],
      ['TERMINATIONS', 10, 50],
      ['RELATIONSHIP', 10, 60.9],
    ]);
    expect(Object.fromEntries(result.factors.map((f) => [f.code, f.figures]))).toEqual({
      PAYMENT_ON_TIME: { dueMinor: 15_000_000, onTimeMinor: 11_000_000, obligations: 2 },
      PAYMENT_DELAY: { dueMinor: 15_000_000, averageDaysLate: 46.67, lateObligations: 1 },
      OVERDUE_NOW: { overdueMinor: 1_000_000, dueLastYearMinor: 15_000_000, overdueDays: 70 },
      DELIVERY_ON_TIME: { dueMinor: 200_000_000, onTimeMinor: 100_000_000, obligations: 2 },
      TERMINATIONS: { signedContracts: 2, terminatedContracts: 1 },
      RELATIONSHIP: { months: 26.94, volumeMinor: 218_000_000, lengthPoints: 50, volumePoints: 10.9 },
    });
  });

  it('weighs them into the score and grade', () => {
    // Σ wᵢvᵢ = 35 × 73.333… (2566.667) + 15 × 22.222… (333.333) + 20 × 93.333… (1866.667) + 10 × 50 + 10 × 50 + 10 × 60.9
    //        = 6375.667; Σ w = 100 → 63.757 → 63.8 → C (50 ≤ score < 70)
    expect(result.score).toBe(63.8);
    expect(result.grade).toBe('C');
    // contributions wᵢvᵢ / Σ w, to 0.01
    expect(result.factors.map((f) => f.contribution)).toEqual([25.67, 3.33, 18.67, 5, 5, 6.09]);
  });

  it('shows the evidence, worst first', () => {
    const onTime = factor(result, 'PAYMENT_ON_TIME').evidence;
    // I1 (4 000 000 not on time) before I2 (all on time); each obligation followed by the payments that settled it.
    expect(onTime.map((e) => [e.kind, e.documentId, e.paymentId, e.label, e.amountMinor, e.date, e.note])).toEqual([
      ['OBLIGATION', 'I1', null, '№ I1 · 2026-01-10', 10_000_000, '2026-01-20', 'partly settled, 70 days overdue'],
      ['PAYMENT', null, 'P1', '№ P1 · 2026-01-18', 6_000_000, '2026-01-18', 'on time'],
      ['PAYMENT', null, 'P2', '№ P2 · 2026-01-25', 6_000_000, '2026-01-25', '5 days after the due date'],
      ['PAYMENT', null, 'P3', '№ P3 · 2026-03-05', 2_000_000, '2026-03-05', '44 days after the due date'], // 01-20 → 03-05: 11 + 28 + 5
      ['OBLIGATION', 'I2', null, '№ I2 · 2026-02-01', 5_000_000, '2026-02-01', 'settled on time'],
      ['PAYMENT', null, 'P2', '№ P2 · 2026-01-25', 6_000_000, '2026-01-25', 'on time'],
    ]);
    expect(onTime.every((e) => e.currency === 'RUB')).toBe(true);
    // OVERDUE_NOW: the unsettled part of I1.
    expect(factor(result, 'OVERDUE_NOW').evidence[0]).toMatchObject({ kind: 'OBLIGATION', documentId: 'I1', amountMinor: 1_000_000, note: 'partly settled, 70 days overdue' });
    // DELIVERY_ON_TIME: D2 (the contract's schedule item → the contract document), its act, then D1 and its act.
    expect(factor(result, 'DELIVERY_ON_TIME').evidence.map((e) => [e.kind, e.documentId, e.label, e.note])).toEqual([
      ['OBLIGATION', 'K2', '№ K2 · DELIVERY · 2025-10-01', 'partly settled, 181 days overdue'],
      ['DOCUMENT', 'A2', '№ A2 · 2025-10-15', '14 days after the due date'],
      ['OBLIGATION', 'K2', '№ K2 · DELIVERY · 2025-08-01', 'settled on time'],
      ['DOCUMENT', 'A1', '№ A1 · 2025-07-25', 'on time'],
    ]);
    // TERMINATIONS: the terminated contract first.
    expect(factor(result, 'TERMINATIONS').evidence.map((e) => [e.documentId, e.note])).toEqual([
      ['K2', 'terminated'],
      ['K1', 'signed'],
    ]);
    // RELATIONSHIP: the first signed document, then the largest volumes.
    expect(factor(result, 'RELATIONSHIP').evidence.map((e) => [e.documentId, e.amountMinor, e.note])).toEqual([
      ['K1', null, 'first signed document'],
      ['K2', 200_000_000, 'volume'],
      ['K1', 18_000_000, 'volume'],
    ]);
  });
});

describe('computeRating: weights and missing data', () => {
  it('a terminated contract moves TERMINATIONS, and only it, exactly', () => {
    // K2 not terminated: TERMINATIONS 50 → 100; the score rises by 10 × 50 / 100 = 5.0: 63.757 + 5 = 68.757 → 68.8 (still C).
    const before = computeRating(input([K1, K2]), DEFAULT_RATING_WEIGHTS);
    const after = computeRating(input([K1, { ...K2, terminated: false, status: 'IN_FORCE' }]), DEFAULT_RATING_WEIGHTS);
    expect(factor(after, 'TERMINATIONS')).toMatchObject({ value: 100, contribution: 10, figures: { signedContracts: 2, terminatedContracts: 0 } });
    expect(after.score).toBe(68.8);
    const others = (r: RatingResult) => r.factors.filter((f) => f.code !== 'TERMINATIONS').map((f) => [f.code, f.value, f.contribution]);
    expect(others(after)).toEqual(others(before));
  });

  it('gives the weight of a factor without data to the others', () => {
    // Only K1: no PAYABLE delivery → DELIVERY_ON_TIME null; TERMINATIONS 1 contract, none terminated → 100;
    // RELATIONSHIP 50 + 50 × 18 000 000 / 1 000 000 000 = 50.9. Σ w with data = 90.
    // score = (2566.667 + 333.333 + 1866.667 + 10 × 100 + 10 × 50.9) / 90 = 6275.667 / 90 = 69.73 → 69.7 → C
    const result = computeRating(input([K1]), DEFAULT_RATING_WEIGHTS);
    expect(factor(result, 'DELIVERY_ON_TIME')).toMatchObject({ value: null, contribution: 0, evidence: [] });
    expect(factor(result, 'RELATIONSHIP').value).toBe(50.9);
    expect(result.score).toBe(69.7);
    expect(result.grade).toBe('C');
    expect(factor(result, 'PAYMENT_ON_TIME').contribution).toBe(28.52); // 2566.667 / 90
  });

  it('uses the weights it is given (a new method version)', () => {
    // Only PAYMENT_ON_TIME (weight 1) and TERMINATIONS (weight 3) count: (1 × 73.333 + 3 × 50) / 4 = 55.83 → 55.8
    const weights = { PAYMENT_ON_TIME: 1, PAYMENT_DELAY: 0, OVERDUE_NOW: 0, DELIVERY_ON_TIME: 0, TERMINATIONS: 3, RELATIONSHIP: 0 };
    const result = computeRating(input([K1, K2]), weights);
    expect(result.score).toBe(55.8);
    expect(result.grade).toBe('C');
    expect(factor(result, 'PAYMENT_DELAY')).toMatchObject({ weight: 0, value: 22.2, contribution: 0 });
  });

  it('has no score without verified facts', () => {
    const result = computeRating(input([]), DEFAULT_RATING_WEIGHTS);
    expect(result.score).toBeNull();
    expect(result.grade).toBeNull();
    expect(result.factors.every((f) => f.value === null && f.contribution === 0 && f.evidence.length === 0)).toBe(true);
  });

  it('does not judge an obligation due today until it is paid or the day is over', () => {
    // One invoice of 700 000 due today: not judged → no payment factor; nothing fell due in 365 days… except it (due ≤ today),
    // and nothing is overdue → OVERDUE_NOW 100. The next day it is 1 day overdue: PAYMENT_ON_TIME 0, PAYMENT_DELAY
    // 100 × (1 − 1/60) = 98.333 → 98.3, OVERDUE_NOW 100 × (1 − 700 000/700 000) = 0.
    const account = facts({ invoices: [invoice('I', '2026-03-01', 700_000, TODAY)] });
    const today = computeRating(input([account]), DEFAULT_RATING_WEIGHTS);
    expect(factor(today, 'PAYMENT_ON_TIME').value).toBeNull();
    expect(factor(today, 'OVERDUE_NOW').value).toBe(100);
    const paidToday = computeRating(input([{ ...account, payments: [payment('P', TODAY, 700_000)] }]), DEFAULT_RATING_WEIGHTS);
    expect(factor(paidToday, 'PAYMENT_ON_TIME').value).toBe(100);
    const tomorrow = computeRating(input([account], '2026-04-01'), DEFAULT_RATING_WEIGHTS);
    expect([factor(tomorrow, 'PAYMENT_ON_TIME').value, factor(tomorrow, 'PAYMENT_DELAY').value, factor(tomorrow, 'OVERDUE_NOW').value]).toEqual([0, 98.3, 0]);
  });

  it('counts debt overdue for more than a year in full', () => {
    // An invoice of 100 due 2024-12-01, unpaid: nothing fell due within 365 days, but 100 is overdue → OVERDUE_NOW 0.
    const result = computeRating(input([facts({ invoices: [invoice('OLD', '2024-11-01', 100, '2024-12-01')] })]), DEFAULT_RATING_WEIGHTS);
    expect(factor(result, 'OVERDUE_NOW')).toMatchObject({ value: 0, figures: { overdueMinor: 100, dueLastYearMinor: 0, overdueDays: 485 } });
  });

  it('ignores PAYABLE payments and RECEIVABLE deliveries (our own discipline is not the counterparty’s)', () => {
    const ours = facts({ direction: 'PAYABLE', invoices: [invoice('I', '2026-01-01', 100, '2026-01-10')] }); // we pay late
    const result = computeRating(input([ours]), DEFAULT_RATING_WEIGHTS);
    expect(['PAYMENT_ON_TIME', 'PAYMENT_DELAY', 'OVERDUE_NOW', 'DELIVERY_ON_TIME'].map((c) => factor(result, c as RatingFactorCode).value)).toEqual([null, null, null, null]);
  });
});

describe('verified facts only', () => {
  it('has no place for an unsigned document in its input', () => {
    // Enforced upstream: finance stores a document only from `documents.document.signed` (and drops it on a CANCELLED
    // `documents.document.verified-changed`), so the loader can only hand signed documents to the calculator — the DB spec
    // of the rating service proves an unsigned document leaves the stored rating untouched. Here: a fact has no status to
    // carry "unsigned", so a caller cannot even express one.
    // @ts-expect-error DocumentFact has no `signed`/`status` field
    const unsigned: DocumentFact = { id: 'X', type: 'INVOICE', number: 'X', date: '2026-01-01', amountMinor: 100, dueDate: null, invoiceId: null, status: 'DRAFT' };
    expect(unsigned.id).toBe('X');
  });
});

describe('gradeOf', () => {
  it('follows the thresholds A ≥ 85, B ≥ 70, C ≥ 50, else D', () => {
    expect([100, 85, 84.9, 70, 69.9, 50, 49.9, 0].map(gradeOf)).toEqual(['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D']);
  });
});
