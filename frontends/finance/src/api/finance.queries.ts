import type {
  ContractDirection as SchemaContractDirection,
  ContractExecutionDetailFragment,
  CounterpartyFinancePanelQuery,
  FinanceMyDayQuery,
  ObligationState as SchemaObligationState,
  PaymentDirection as SchemaPaymentDirection,
  PaymentFilter as SchemaPaymentFilter,
  PaymentMatchStatus as SchemaPaymentMatchStatus,
  PaymentRowFragment,
  RatingDetailFragment,
  ScheduleItemKind as SchemaScheduleItemKind,
  StatementImportStateFragment,
} from './__generated__/finance';

/**
 * GraphQL of the finance app (finance subgraph; counterparties and documents for names and pickers). The documents
 * are in finance.graphql; their types and typed document nodes are generated from the supergraph (`pnpm codegen`).
 */
export {
  CounterpartyFinancePanelDocument as COUNTERPARTY_FINANCE,
  FinanceDocumentExecutionDocument as DOCUMENT_EXECUTION,
  FinanceSetContractTermsDocument as SET_CONTRACT_TERMS,
  FinancePaymentsDocument as PAYMENTS,
  FinanceUnmatchedPaymentsDocument as UNMATCHED_PAYMENTS,
  FinanceMatchPaymentDocument as MATCH_PAYMENT,
  FinanceInvoiceOptionsDocument as INVOICE_OPTIONS,
  FinanceStatementImportPreviewDocument as STATEMENT_IMPORT_PREVIEW,
  FinanceStatementImportProgressDocument as STATEMENT_IMPORT_PROGRESS,
  FinanceStatementImportReportDocument as STATEMENT_IMPORT_REPORT,
  FinanceConfirmStatementImportDocument as CONFIRM_STATEMENT_IMPORT,
  FinanceDiscardStatementImportDocument as DISCARD_STATEMENT_IMPORT,
  FinanceCounterpartyOptionsDocument as COUNTERPARTY_OPTIONS,
  FinanceCounterpartyNameDocument as COUNTERPARTY_NAME,
  FinanceMyDayDocument as MY_OVERDUE_RECEIVABLES,
} from './__generated__/finance';
export type { ContractTermsInput } from './__generated__/finance';

export type ContractDirection = SchemaContractDirection;
export type ScheduleItemKind = SchemaScheduleItemKind;
export type ObligationState = SchemaObligationState;
export type PaymentDirection = SchemaPaymentDirection;
export type PaymentMatchStatus = SchemaPaymentMatchStatus;

export const SCHEDULE_ITEM_KINDS = ['ADVANCE', 'PAYMENT', 'POSTPAYMENT', 'DELIVERY'] as const satisfies readonly ScheduleItemKind[];
export const CONTRACT_DIRECTIONS = ['RECEIVABLE', 'PAYABLE'] as const satisfies readonly ContractDirection[];
export const PAYMENT_DIRECTIONS = ['INCOMING', 'OUTGOING'] as const satisfies readonly PaymentDirection[];
export const MATCH_STATUSES = ['MATCHED', 'AMBIGUOUS', 'UNMATCHED'] as const satisfies readonly PaymentMatchStatus[];

// ——— the card's finance panel: one query, the finance subgraph only ———

/** Invoiced and paid in one month (`YYYY-MM`), the last 12 months. */
export type FinanceMonth = NonNullable<CounterpartyFinancePanelQuery['counterparty']>['finance']['months'][number];

export type Rating = RatingDetailFragment;
/** `explanation` is English (for API clients); the portal shows its own text built from `figures` (model/rating-explanation). */
export type RatingFactor = Rating['factors'][number];
export type RatingPoint = Rating['history'][number];

// ——— a contract's execution on its document page ———

export type ContractExecution = ContractExecutionDetailFragment;

// ——— payments registry and review queue ———

/** A payment with the names of its counterparty, invoice and who matched it by hand. */
export type Payment = PaymentRowFragment;
export type PaymentFilter = SchemaPaymentFilter;

// ——— statement import ———

/** An import's state as polled: status (PREVIEW, RUNNING, DONE, FAILED, DISCARDED), counters, progress 0–1. */
export type StatementImport = StatementImportStateFragment;

// ——— My day: the overdue invoices of my counterparties (finance subgraph only) ———

/** How many rows My day shows (the longest overdue first; the totals cover all of them). */
export const MY_DAY_ROWS = 10;

export type OverdueReceivable = FinanceMyDayQuery['myOverdueReceivables']['edges'][number]['node'];
