/**
 * The facts finance computes from, as plain data (no ORM): what the database holds about one "account" of a
 * counterparty — a signed contract with its terms, invoices, acts and payments, or (contractId null) the
 * counterparty's invoices, acts and payments outside any contract. Dates are calendar dates, YYYY-MM-DD.
 */
export type Direction = 'RECEIVABLE' | 'PAYABLE';
export type ScheduleItemKind = 'ADVANCE' | 'PAYMENT' | 'POSTPAYMENT' | 'DELIVERY';
export type ObligationState = 'PENDING' | 'DUE' | 'PARTIAL' | 'PAID' | 'OVERDUE';

export type ScheduleItemFact = {
  id: string;
  kind: ScheduleItemKind;
  amountMinor: number;
  /** ADVANCE, PAYMENT, DELIVERY: a fixed date. */
  dueDate: string | null;
  /** POSTPAYMENT: due this many days after the act it follows (the k-th postpayment item follows the k-th act). */
  daysAfterAct: number | null;
  description: string | null;
  position: number;
};

/** A signed invoice or act (only signed documents ever become facts). */
export type DocumentFact = {
  id: string;
  type: 'INVOICE' | 'ACT';
  number: string | null;
  date: string;
  amountMinor: number;
  /** INVOICE: the payment due date. */
  dueDate: string | null;
  /** ACT: the invoice it closes, if linked. */
  invoiceId: string | null;
};

/** A matched payment (a bank statement line): money that really moved. */
export type PaymentFact = { id: string; number: string; date: string; amountMinor: number; invoiceId: string | null };

export type ContractFacts = {
  /** null: the counterparty's invoices, acts and payments outside any contract. */
  contractId: string | null;
  counterpartyId: string;
  direction: Direction;
  currency: string;
  number: string | null;
  /** The contract's title and document date (YYYY-MM-DD) as signed; absent or null outside contracts. */
  title?: string | null;
  date?: string | null;
  /** The contract's amount (0 when it has none or for the account outside contracts). */
  contractedMinor: number;
  /** Date of the sign-off, YYYY-MM-DD (null outside contracts). */
  signedAt: string | null;
  startDate: string | null;
  endDate: string | null;
  /** The document status as the EDMS reports it (SIGNED, IN_FORCE, EXECUTED, TERMINATED). */
  status: string;
  terminated: boolean;
  /** Whether staff entered terms (direction and schedule) on the contract. */
  termsSet: boolean;
  schedule: ScheduleItemFact[];
  invoices: DocumentFact[];
  acts: DocumentFact[];
  payments: PaymentFact[];
};

/** One obligation and how it was settled (payments for payment obligations, acts for deliveries). */
export type ObligationResult = {
  /** Stable across recomputations: `schedule:<item id>` or `invoice:<invoice id>`. */
  key: string;
  source: 'SCHEDULE' | 'INVOICE';
  scheduleItemId: string | null;
  /** The invoice, for invoice obligations. */
  documentId: string | null;
  kind: ScheduleItemKind | 'INVOICE';
  amountMinor: number;
  /** The due date; null while a postpayment waits for its act. */
  resolvedDueDate: string | null;
  settledMinor: number;
  /** The part settled on or before the due date. */
  settledOnTimeMinor: number;
  /** The date it became fully settled, if it did. */
  settledAt: string | null;
  /** Settled late: days from due to settlement; unsettled and past due: days until today; otherwise 0. */
  daysLate: number;
  state: ObligationState;
  /** The payments (payment obligations) or acts (deliveries) allocated to it. */
  settledBy: string[];
};

export type ExecutionResult = {
  contractedMinor: number;
  invoicedMinor: number;
  deliveredMinor: number;
  paidMinor: number;
  outstandingMinor: number;
  overdueMinor: number;
  overdueDays: number;
  nextDueDate: string | null;
  paymentObligations: ObligationResult[];
  deliveryObligations: ObligationResult[];
};
