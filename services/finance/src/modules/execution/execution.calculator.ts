import { addDays, daysBetween } from '@kartoteka/kit';
import type { ContractFacts, DocumentFact, ExecutionResult, ObligationResult, ObligationState, PaymentFact, ScheduleItemFact } from './execution.types';

/**
 * Contract execution as a pure function of the verified facts of one account (a contract, or a counterparty's documents
 * outside contracts) and of today's date. No I/O: the service feeds it what the database holds and stores or returns the
 * result; the rating reads the same result, so both always agree.
 *
 * Dates are calendar dates (YYYY-MM-DD) counted in whole UTC days; no time zones are involved.
 */

const PAYMENT_KINDS = new Set(['ADVANCE', 'PAYMENT', 'POSTPAYMENT']);

/** An obligation while it is being settled. */
type Open = ObligationResult & { position: number };

/** Something that settles obligations: a payment (payment obligations) or an act (deliveries). */
type Settlement = { id: string; date: string; amountMinor: number; invoiceId: string | null };

const byDateThenId = <T extends { date: string; id: string }>(a: T, b: T): number =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Resolved due date ascending, obligations still waiting for their due date last, then by position. */
const byDueThenPosition = (a: Open, b: Open): number => {
  if (a.resolvedDueDate !== b.resolvedDueDate) {
    if (a.resolvedDueDate === null) return 1;
    if (b.resolvedDueDate === null) return -1;
    return a.resolvedDueDate < b.resolvedDueDate ? -1 : 1;
  }
  return a.position - b.position;
};

function fromSchedule(item: ScheduleItemFact, resolvedDueDate: string | null): Open {
  return {
    key: `schedule:${item.id}`,
    source: 'SCHEDULE',
    scheduleItemId: item.id,
    documentId: null,
    kind: item.kind,
    amountMinor: item.amountMinor,
    resolvedDueDate,
    settledMinor: 0,
    settledOnTimeMinor: 0,
    settledAt: null,
    daysLate: 0,
    state: 'PENDING',
    settledBy: [],
    position: item.position,
  };
}

function fromInvoice(invoice: DocumentFact, position: number): Open {
  return {
    key: `invoice:${invoice.id}`,
    source: 'INVOICE',
    scheduleItemId: null,
    documentId: invoice.id,
    kind: 'INVOICE',
    amountMinor: invoice.amountMinor,
    resolvedDueDate: invoice.dueDate ?? invoice.date,
    settledMinor: 0,
    settledOnTimeMinor: 0,
    settledAt: null,
    daysLate: 0,
    state: 'PENDING',
    settledBy: [],
    position,
  };
}

/** Puts up to `available` of a settlement on one obligation; returns what is left of the settlement. */
function settle(obligation: Open, settlement: Settlement, available: number): number {
  const open = obligation.amountMinor - obligation.settledMinor;
  if (open <= 0 || available <= 0) return available;
  const part = Math.min(open, available);
  obligation.settledMinor += part;
  // Money that arrived before the due date was even known (a postpayment paid before its act) was early, so on time.
  if (obligation.resolvedDueDate === null || settlement.date <= obligation.resolvedDueDate) obligation.settledOnTimeMinor += part;
  if (!obligation.settledBy.includes(settlement.id)) obligation.settledBy.push(settlement.id);
  if (obligation.settledMinor >= obligation.amountMinor) obligation.settledAt = settlement.date;
  return available - part;
}

/**
 * Settles the obligations by the settlements in date order, first-in-first-out by due date. A settlement linked to an
 * invoice goes first to that invoice's obligation (when the obligations are invoices), the rest FIFO.
 */
function allocate(obligations: Open[], settlements: readonly Settlement[]): void {
  const queue = [...obligations].sort(byDueThenPosition);
  const byInvoice = new Map(obligations.filter((o) => o.documentId !== null).map((o) => [o.documentId as string, o]));
  for (const settlement of [...settlements].sort(byDateThenId)) {
    let left = settlement.amountMinor;
    const linked = settlement.invoiceId ? byInvoice.get(settlement.invoiceId) : undefined;
    if (linked) left = settle(linked, settlement, left);
    for (const obligation of queue) {
      if (left <= 0) break;
      left = settle(obligation, settlement, left);
    }
  }
}

/** State and days late of a settled (or not) obligation, as of `today`. */
function finish(obligation: Open, today: string): ObligationResult {
  const due = obligation.resolvedDueDate;
  const full = obligation.settledMinor >= obligation.amountMinor;
  let state: ObligationState;
  if (full) state = 'PAID';
  else if (due !== null && due < today) state = 'OVERDUE';
  else if (obligation.settledMinor > 0) state = 'PARTIAL';
  else if (due !== null) state = 'DUE';
  else state = 'PENDING';

  let daysLate = 0;
  if (due !== null) {
    if (full && obligation.settledAt !== null) daysLate = Math.max(0, daysBetween(due, obligation.settledAt));
    else if (!full && due < today) daysLate = daysBetween(due, today);
  }
  const { position: _position, ...result } = obligation;
  return { ...result, state, daysLate };
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

export function computeExecution(facts: ContractFacts, today: string): ExecutionResult {
  const schedule = [...facts.schedule].sort((a, b) => a.position - b.position);
  const acts = [...facts.acts].sort(byDateThenId);

  // Payment obligations: the schedule's payment items if the contract has any, else each invoice.
  const paymentItems = schedule.filter((item) => PAYMENT_KINDS.has(item.kind));
  let postpayments = 0;
  const payments: Open[] =
    paymentItems.length > 0
      ? paymentItems.map((item) => {
          if (item.kind !== 'POSTPAYMENT') return fromSchedule(item, item.dueDate);
          // The k-th postpayment follows the k-th act by date; until that act exists its due date is unknown.
          const act = acts[postpayments++];
          return fromSchedule(item, act ? addDays(act.date, item.daysAfterAct ?? 0) : null);
        })
      : [...facts.invoices].sort(byDateThenId).map(fromInvoice);
  allocate(payments, facts.payments.map((p: PaymentFact) => ({ id: p.id, date: p.date, amountMinor: p.amountMinor, invoiceId: p.invoiceId })));

  // Deliveries are settled by acts, by amount, the same way (an act's link to an invoice plays no part here).
  const deliveries = schedule.filter((item) => item.kind === 'DELIVERY').map((item) => fromSchedule(item, item.dueDate));
  allocate(deliveries, acts.map((a) => ({ id: a.id, date: a.date, amountMinor: a.amountMinor, invoiceId: null })));

  const paymentObligations = payments.map((o) => finish(o, today));
  const deliveryObligations = deliveries.map((o) => finish(o, today));

  const invoicedMinor = sum(facts.invoices.map((i) => i.amountMinor));
  const deliveredMinor = sum(facts.acts.map((a) => a.amountMinor));
  const paidMinor = sum(facts.payments.map((p) => p.amountMinor));
  // Without a contract amount, what is owed is the most that was scheduled, invoiced or delivered.
  const scheduledMinor = paymentItems.length > 0 ? sum(paymentItems.map((i) => i.amountMinor)) : 0;
  const base = facts.contractedMinor > 0 ? facts.contractedMinor : Math.max(invoicedMinor, deliveredMinor, scheduledMinor);

  const unsettled = paymentObligations.filter((o) => o.settledMinor < o.amountMinor);
  const overdue = unsettled.filter((o) => o.resolvedDueDate !== null && o.resolvedDueDate < today);
  const earliestOverdue = overdue.map((o) => o.resolvedDueDate as string).sort()[0];
  const nextDueDate = unsettled.map((o) => o.resolvedDueDate).filter((d): d is string => d !== null && d >= today).sort()[0] ?? null;

  return {
    contractedMinor: facts.contractedMinor,
    invoicedMinor,
    deliveredMinor,
    paidMinor,
    outstandingMinor: Math.max(0, base - paidMinor),
    overdueMinor: sum(overdue.map((o) => o.amountMinor - o.settledMinor)),
    overdueDays: earliestOverdue ? daysBetween(earliestOverdue, today) : 0,
    nextDueDate,
    paymentObligations,
    deliveryObligations,
  };
}
