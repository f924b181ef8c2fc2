import { daysBetween } from '@kartoteka/kit';
import type { ContractFacts, DocumentFact, ExecutionResult, ObligationResult } from '../execution/execution.types';
import {
  DAYS_PER_MONTH,
  DELAY_HORIZON_DAYS,
  EVIDENCE_LIMIT,
  OVERDUE_WINDOW_DAYS,
  RELATIONSHIP_FULL_MONTHS,
  RELATIONSHIP_FULL_VOLUME_MINOR,
  RELATIONSHIP_VOLUME_CURRENCY,
  gradeOf,
} from './rating.method';
import { RATING_FACTOR_CODES, type RatingEvidence, type RatingFactorCode, type RatingFactorResult, type RatingInput, type RatingResult, type RatingWeights } from './rating.types';

/**
 * The reliability rating as a pure function of the verified facts (signed documents and bank payments, already turned
 * into obligations by computeExecution) and of the method's weights. The method is described in the README; every
 * number a factor rests on is in its `figures`, every fact in its `evidence`.
 *
 * What is "verified" is decided upstream: only signed documents and matched bank payments ever become facts (the
 * consumer of `documents.document.signed` stores them; a CANCELLED status removes them), so an unsigned document can
 * not reach this function.
 */

type Account = { facts: ContractFacts; execution: ExecutionResult };
type Measured = { value: number | null; explanation: string; figures: Record<string, number>; evidence: RatingEvidence[] };
type Judged = { account: Account; obligation: ObligationResult };

const round = (value: number, digits: number): number => {
  const factor = 10 ** digits;
  return Math.round((value + Number.EPSILON) * factor) / factor;
};
const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
const percent = (value: number): string => `${round(value, 1)}%`;
const no = (number: string | null): string => `№ ${number ?? '—'}`;

/**
 * Whether an obligation's outcome is known today: its due date has passed, or it is due today and already settled.
 * One due today and not yet paid is not judged until the day is over (it is not late yet).
 */
function judged(obligation: ObligationResult, today: string): boolean {
  const due = obligation.resolvedDueDate;
  if (due === null || due > today) return false;
  return due < today || obligation.state === 'PAID';
}

function obligationsOf(accounts: readonly Account[], direction: 'RECEIVABLE' | 'PAYABLE', kind: 'payment' | 'delivery', today: string): Judged[] {
  return accounts
    .filter((account) => account.facts.direction === direction)
    .flatMap((account) =>
      (kind === 'payment' ? account.execution.paymentObligations : account.execution.deliveryObligations)
        .filter((obligation) => obligation.amountMinor > 0 && judged(obligation, today))
        .map((obligation) => ({ account, obligation })),
    );
}

function invoiceOf(account: Account, id: string | null): DocumentFact | undefined {
  return id === null ? undefined : account.facts.invoices.find((invoice) => invoice.id === id);
}

function obligationNote(obligation: ObligationResult, today: string): string {
  if (obligation.state === 'PAID') return obligation.daysLate > 0 ? `settled ${obligation.daysLate} days late` : 'settled on time';
  const due = obligation.resolvedDueDate;
  const late = due !== null && due < today ? `, ${daysBetween(due, today)} days overdue` : '';
  return `${obligation.settledMinor > 0 ? 'partly settled' : 'not settled'}${late}`;
}

/** An obligation as evidence: the invoice it is, or the contract whose schedule item it is. */
function obligationEvidence({ account, obligation }: Judged, today: string, amountMinor = obligation.amountMinor): RatingEvidence {
  const invoice = invoiceOf(account, obligation.documentId);
  const label = invoice
    ? `${no(invoice.number)} · ${invoice.date}`
    : `${no(account.facts.number)} · ${obligation.kind} · ${obligation.resolvedDueDate ?? '—'}`;
  return {
    kind: 'OBLIGATION',
    documentId: obligation.documentId ?? account.facts.contractId,
    paymentId: null,
    label,
    amountMinor,
    currency: account.facts.currency,
    date: obligation.resolvedDueDate,
    note: obligationNote(obligation, today),
  };
}

/** The payments (payment obligations) or acts (deliveries) that settled an obligation. */
function settlementEvidence({ account, obligation }: Judged, kind: 'payment' | 'delivery'): RatingEvidence[] {
  const due = obligation.resolvedDueDate;
  const timing = (date: string): string => (due === null || date <= due ? 'on time' : `${daysBetween(due, date)} days after the due date`);
  return obligation.settledBy.flatMap((id): RatingEvidence[] => {
    if (kind === 'payment') {
      const payment = account.facts.payments.find((p) => p.id === id);
      if (!payment) return [];
      return [{ kind: 'PAYMENT', documentId: null, paymentId: payment.id, label: `${no(payment.number)} · ${payment.date}`, amountMinor: payment.amountMinor, currency: account.facts.currency, date: payment.date, note: timing(payment.date) }];
    }
    const act = account.facts.acts.find((a) => a.id === id);
    if (!act) return [];
    return [{ kind: 'DOCUMENT', documentId: act.id, paymentId: null, label: `${no(act.number)} · ${act.date}`, amountMinor: act.amountMinor, currency: account.facts.currency, date: act.date, note: timing(act.date) }];
  });
}

/** Obligations (each followed by what settled it), worst first, at most EVIDENCE_LIMIT items in all. */
function obligationTrail(items: readonly Judged[], worstFirst: (a: Judged, b: Judged) => number, kind: 'payment' | 'delivery', today: string): RatingEvidence[] {
  return [...items].sort(worstFirst).flatMap((item) => [obligationEvidence(item, today), ...settlementEvidence(item, kind)]).slice(0, EVIDENCE_LIMIT);
}

const lateAmount = (o: ObligationResult): number => o.amountMinor - o.settledOnTimeMinor;
const byLateAmount = (a: Judged, b: Judged): number =>
  lateAmount(b.obligation) - lateAmount(a.obligation) || b.obligation.daysLate - a.obligation.daysLate || b.obligation.amountMinor - a.obligation.amountMinor;

function onTimeShare(items: readonly Judged[], kind: 'payment' | 'delivery', today: string, what: string): Measured {
  const dueMinor = sum(items.map((i) => i.obligation.amountMinor));
  const onTimeMinor = sum(items.map((i) => i.obligation.settledOnTimeMinor));
  const figures = { dueMinor, onTimeMinor, obligations: items.length };
  if (dueMinor === 0) return { value: null, explanation: `No ${what} has fallen due yet.`, figures, evidence: [] };
  const value = (100 * onTimeMinor) / dueMinor;
  return {
    value,
    explanation: `${percent(value)} of the amount of ${items.length} ${what}(s) that fell due was settled by the due date.`,
    figures,
    evidence: obligationTrail(items, byLateAmount, kind, today),
  };
}

function paymentDelay(items: readonly Judged[], today: string): Measured {
  const dueMinor = sum(items.map((i) => i.obligation.amountMinor));
  const lateObligations = items.filter((i) => i.obligation.daysLate > 0).length;
  if (dueMinor === 0) return { value: null, explanation: 'No payment has fallen due yet.', figures: { dueMinor, averageDaysLate: 0, lateObligations }, evidence: [] };
  const averageDaysLate = sum(items.map((i) => i.obligation.amountMinor * i.obligation.daysLate)) / dueMinor;
  const value = 100 * Math.max(0, 1 - averageDaysLate / DELAY_HORIZON_DAYS);
  const weight = (i: Judged): number => i.obligation.amountMinor * i.obligation.daysLate;
  return {
    value,
    explanation: `Payments were late by ${round(averageDaysLate, 1)} days on average, weighted by amount (0 points at ${DELAY_HORIZON_DAYS} days).`,
    figures: { dueMinor, averageDaysLate: round(averageDaysLate, 2), lateObligations },
    evidence: obligationTrail(items, (a, b) => weight(b) - weight(a) || b.obligation.amountMinor - a.obligation.amountMinor, 'payment', today),
  };
}

function overdueNow(accounts: readonly Account[], today: string): Measured {
  const receivable = accounts.filter((a) => a.facts.direction === 'RECEIVABLE');
  const overdue: Judged[] = receivable.flatMap((account) =>
    account.execution.paymentObligations
      .filter((o) => o.settledMinor < o.amountMinor && o.resolvedDueDate !== null && o.resolvedDueDate < today)
      .map((obligation) => ({ account, obligation })),
  );
  const overdueMinor = sum(overdue.map((i) => i.obligation.amountMinor - i.obligation.settledMinor));
  const dueLastYearMinor = sum(
    receivable.flatMap((a) => a.execution.paymentObligations)
      .filter((o) => o.resolvedDueDate !== null && o.resolvedDueDate <= today && daysBetween(o.resolvedDueDate, today) <= OVERDUE_WINDOW_DAYS)
      .map((o) => o.amountMinor),
  );
  const overdueDays = Math.max(0, ...overdue.map((i) => daysBetween(i.obligation.resolvedDueDate as string, today)));
  const figures = { overdueMinor, dueLastYearMinor, overdueDays };
  if (dueLastYearMinor === 0 && overdueMinor === 0) {
    return { value: null, explanation: `Nothing fell due within the last ${OVERDUE_WINDOW_DAYS} days and nothing is overdue.`, figures, evidence: [] };
  }
  const share = dueLastYearMinor === 0 ? 1 : Math.min(1, overdueMinor / dueLastYearMinor);
  const value = 100 * (1 - share);
  const unsettled = (i: Judged): number => i.obligation.amountMinor - i.obligation.settledMinor;
  return {
    value,
    explanation:
      overdueMinor === 0
        ? `Nothing is overdue now.`
        : `${percent(100 * share)} of what fell due within the last ${OVERDUE_WINDOW_DAYS} days is overdue now (the oldest by ${overdueDays} days).`,
    figures,
    evidence: [...overdue]
      .sort((a, b) => unsettled(b) - unsettled(a) || b.obligation.daysLate - a.obligation.daysLate)
      .flatMap((item) => [obligationEvidence(item, today, unsettled(item)), ...settlementEvidence(item, 'payment')])
      .slice(0, EVIDENCE_LIMIT),
  };
}

function contractEvidence(account: Account): RatingEvidence {
  const facts = account.facts;
  return {
    kind: 'DOCUMENT',
    documentId: facts.contractId,
    paymentId: null,
    label: `${no(facts.number)} · ${facts.signedAt ?? '—'}`,
    amountMinor: facts.contractedMinor > 0 ? facts.contractedMinor : null,
    currency: facts.contractedMinor > 0 ? facts.currency : null,
    date: facts.signedAt,
    note: facts.terminated ? 'terminated' : facts.status.toLowerCase().replace(/_/g, ' '),
  };
}

function terminations(accounts: readonly Account[]): Measured {
  const contracts = accounts.filter((a) => a.facts.contractId !== null);
  const terminated = contracts.filter((a) => a.facts.terminated);
  const figures = { signedContracts: contracts.length, terminatedContracts: terminated.length };
  if (contracts.length === 0) return { value: null, explanation: 'No signed contract yet.', figures, evidence: [] };
  const value = 100 * (1 - terminated.length / contracts.length);
  return {
    value,
    explanation: `${terminated.length} of ${contracts.length} signed contract(s) terminated.`,
    figures,
    evidence: [...terminated, ...contracts.filter((a) => !a.facts.terminated)].map(contractEvidence).slice(0, EVIDENCE_LIMIT),
  };
}

function relationship(accounts: readonly Account[], today: string): Measured {
  type Fact = { evidence: RatingEvidence; date: string };
  const signedFacts: Fact[] = accounts.flatMap((account) => [
    ...(account.facts.contractId !== null && account.facts.signedAt !== null ? [{ evidence: contractEvidence(account), date: account.facts.signedAt }] : []),
    ...[...account.facts.invoices, ...account.facts.acts].map((doc) => ({
      date: doc.date,
      evidence: { kind: 'DOCUMENT' as const, documentId: doc.id, paymentId: null, label: `${no(doc.number)} · ${doc.date}`, amountMinor: doc.amountMinor, currency: account.facts.currency, date: doc.date, note: doc.type.toLowerCase() },
    })),
  ]);
  // Volume: per contract the larger of its amount and what was invoiced on it; outside contracts, what was invoiced.
  const volumes = accounts
    .filter((a) => a.facts.currency === RELATIONSHIP_VOLUME_CURRENCY)
    .map((account) => ({ account, volumeMinor: Math.max(account.facts.contractedMinor, account.execution.invoicedMinor) }));
  const volumeMinor = sum(volumes.map((v) => v.volumeMinor));
  if (signedFacts.length === 0) {
    return { value: null, explanation: 'No signed document yet.', figures: { months: 0, volumeMinor, lengthPoints: 0, volumePoints: 0 }, evidence: [] };
  }
  const first = [...signedFacts].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))[0];
  const months = Math.max(0, daysBetween(first.date, today)) / DAYS_PER_MONTH;
  const lengthPoints = 50 * Math.min(1, months / RELATIONSHIP_FULL_MONTHS);
  const volumePoints = 50 * Math.min(1, volumeMinor / RELATIONSHIP_FULL_VOLUME_MINOR);
  const largest: RatingEvidence[] = volumes
    .filter((v) => v.volumeMinor > 0)
    .sort((a, b) => b.volumeMinor - a.volumeMinor)
    .flatMap(({ account, volumeMinor: volume }) =>
      account.facts.contractId !== null
        ? [{ ...contractEvidence(account), amountMinor: volume, currency: account.facts.currency, note: 'volume' }]
        : [...account.facts.invoices].sort((a, b) => b.amountMinor - a.amountMinor).map((doc) => ({
            kind: 'DOCUMENT' as const, documentId: doc.id, paymentId: null, label: `${no(doc.number)} · ${doc.date}`, amountMinor: doc.amountMinor, currency: account.facts.currency, date: doc.date, note: 'volume',
          })),
    );
  return {
    value: lengthPoints + volumePoints,
    explanation: `Relationship of ${round(months, 1)} months since the first signed document (full at ${RELATIONSHIP_FULL_MONTHS}) and a volume of ${round(volumeMinor / 100, 2)} ${RELATIONSHIP_VOLUME_CURRENCY} (full at ${RELATIONSHIP_FULL_VOLUME_MINOR / 100}).`,
    figures: { months: round(months, 2), volumeMinor, lengthPoints: round(lengthPoints, 2), volumePoints: round(volumePoints, 2) },
    evidence: [{ ...first.evidence, note: 'first signed document' }, ...largest].slice(0, EVIDENCE_LIMIT),
  };
}

function measure(code: RatingFactorCode, input: RatingInput): Measured {
  const { accounts, today } = input;
  switch (code) {
    case 'PAYMENT_ON_TIME':
      return onTimeShare(obligationsOf(accounts, 'RECEIVABLE', 'payment', today), 'payment', today, 'payment obligation');
    case 'PAYMENT_DELAY':
      return paymentDelay(obligationsOf(accounts, 'RECEIVABLE', 'payment', today), today);
    case 'OVERDUE_NOW':
      return overdueNow(accounts, today);
    case 'DELIVERY_ON_TIME':
      return onTimeShare(obligationsOf(accounts, 'PAYABLE', 'delivery', today), 'delivery', today, 'delivery obligation');
    case 'TERMINATIONS':
      return terminations(accounts);
    case 'RELATIONSHIP':
      return relationship(accounts, today);
  }
}

/**
 * score = Σ wᵢ·vᵢ / Σ wᵢ over the factors with data (a factor without data gives its weight to the others), rounded to
 * 0.1; a factor's contribution is wᵢ·vᵢ / Σ wᵢ. No factor with data (or all their weights 0) → no score and no grade.
 */
export function computeRating(input: RatingInput, weights: RatingWeights): RatingResult {
  const measured = RATING_FACTOR_CODES.map((code) => ({ code, weight: weights[code], ...measure(code, input) }));
  const withData = measured.filter((m) => m.value !== null);
  const totalWeight = sum(withData.map((m) => m.weight));
  const factors: RatingFactorResult[] = measured.map((m) => ({
    code: m.code,
    weight: m.weight,
    value: m.value === null ? null : round(m.value, 1),
    contribution: m.value === null || totalWeight === 0 ? 0 : round((m.weight * m.value) / totalWeight, 2),
    explanation: m.explanation,
    figures: m.figures,
    evidence: m.evidence,
  }));
  if (totalWeight === 0) return { score: null, grade: null, factors };
  const score = round(sum(withData.map((m) => m.weight * (m.value as number))) / totalWeight, 1);
  return { score, grade: gradeOf(score), factors };
}
