import { gql } from '@apollo/client/core';
import type { Money } from '@kartoteka/portal-api';

/** GraphQL of the finance app (finance subgraph; counterparties and documents for names and pickers). */

export type ContractDirection = 'RECEIVABLE' | 'PAYABLE';
export type ScheduleItemKind = 'ADVANCE' | 'PAYMENT' | 'POSTPAYMENT' | 'DELIVERY';
export type ObligationState = 'PENDING' | 'DUE' | 'PARTIAL' | 'PAID' | 'OVERDUE';
export type PaymentDirection = 'INCOMING' | 'OUTGOING';
export type PaymentMatchStatus = 'MATCHED' | 'AMBIGUOUS' | 'UNMATCHED';
export type RatingGrade = 'A' | 'B' | 'C' | 'D';
export type RatingFactorCode = 'PAYMENT_ON_TIME' | 'PAYMENT_DELAY' | 'OVERDUE_NOW' | 'DELIVERY_ON_TIME' | 'TERMINATIONS' | 'RELATIONSHIP';

export const SCHEDULE_ITEM_KINDS: readonly ScheduleItemKind[] = ['ADVANCE', 'PAYMENT', 'POSTPAYMENT', 'DELIVERY'];
export const CONTRACT_DIRECTIONS: readonly ContractDirection[] = ['RECEIVABLE', 'PAYABLE'];
export const PAYMENT_DIRECTIONS: readonly PaymentDirection[] = ['INCOMING', 'OUTGOING'];
export const MATCH_STATUSES: readonly PaymentMatchStatus[] = ['MATCHED', 'AMBIGUOUS', 'UNMATCHED'];

const MONEY = 'minor currency';

/** Rows of the preview shown (the file may hold more: the summary tells the total). */
export const PREVIEW_ROWS = 200;

// ——— the card's finance panel: one query, the finance subgraph only ———

export type ContractFigures = {
  contractId: string;
  /** The contract's number, title and document date (YYYY-MM-DD) as signed. */
  number: string | null;
  title: string | null;
  date: string | null;
  direction: ContractDirection;
  termsSet: boolean;
  status: string;
  currency: string;
  contracted: Money;
  invoiced: Money;
  delivered: Money;
  paid: Money;
  outstanding: Money;
  overdue: Money;
  overdueDays: number;
  nextDueDate: string | null;
};

const CONTRACT_FIGURES = `
  contractId
  number
  title
  date
  direction
  termsSet
  status
  currency
  contracted { ${MONEY} }
  invoiced { ${MONEY} }
  delivered { ${MONEY} }
  paid { ${MONEY} }
  outstanding { ${MONEY} }
  overdue { ${MONEY} }
  overdueDays
  nextDueDate
`;

export type PaymentSummary = { id: string; direction: PaymentDirection; number: string; date: string; amount: Money };

export type FinanceMonth = { month: string; invoiced: Money; paid: Money };

export type CounterpartyFinance = {
  currency: string;
  receivable: Money;
  payable: Money;
  overdue: Money;
  overdueDays: number;
  lastPayment: PaymentSummary | null;
  contracts: ContractFigures[];
  months: FinanceMonth[];
};

export type RatingEvidence = {
  kind: 'DOCUMENT' | 'PAYMENT' | 'OBLIGATION' | string;
  documentId: string | null;
  paymentId: string | null;
  label: string;
  amount: Money | null;
  date: string | null;
  note: string | null;
};

export type RatingFactor = {
  code: RatingFactorCode;
  weight: number;
  value: number | null;
  contribution: number;
  /** English (for API clients); the portal shows its own text built from `figures` (model/rating-explanation). */
  explanation: string;
  figures: { name: string; value: number }[];
  evidence: RatingEvidence[];
};

export type RatingPoint = { score: number | null; grade: RatingGrade | null; methodVersion: number; computedAt: string };

export type Rating = {
  score: number | null;
  grade: RatingGrade | null;
  computedAt: string;
  methodVersion: number;
  factors: RatingFactor[];
  history: RatingPoint[];
};

export type CounterpartyFinanceData = {
  counterparty: { id: string; finance: CounterpartyFinance | null; rating: Rating | null } | null;
};
export type CounterpartyFinanceVars = { id: string };

export const COUNTERPARTY_FINANCE = gql`
  query CounterpartyFinancePanel($id: ID!) {
    counterparty(id: $id) {
      id
      finance {
        currency
        receivable { ${MONEY} }
        payable { ${MONEY} }
        overdue { ${MONEY} }
        overdueDays
        lastPayment { id direction number date amount { ${MONEY} } }
        contracts { ${CONTRACT_FIGURES} }
        months { month invoiced { ${MONEY} } paid { ${MONEY} } }
      }
      rating {
        score
        grade
        computedAt
        methodVersion
        factors {
          code
          weight
          value
          contribution
          explanation
          figures { name value }
          evidence { kind documentId paymentId label amount { ${MONEY} } date note }
        }
        history { score grade methodVersion computedAt }
      }
    }
  }
`;

// ——— a contract's execution on its document page ———

export type ScheduleItem = {
  id: string;
  kind: ScheduleItemKind;
  amount: Money;
  dueDate: string | null;
  daysAfterAct: number | null;
  description: string | null;
  resolvedDueDate: string | null;
  settled: Money;
  state: ObligationState;
  daysLate: number;
};

export type FinanceDocument = { id: string; type: string; number: string | null; date: string | null; amount: Money | null; dueDate: string | null };

export type Payment = {
  id: string;
  direction: PaymentDirection;
  number: string;
  date: string;
  amount: Money;
  purpose: string;
  payerName: string | null;
  payerInn: string | null;
  payeeName: string | null;
  payeeInn: string | null;
  counterparty: { id: string; name: string; shortName: string | null } | null;
  contractId: string | null;
  invoice: { id: string; number: string | null; title: string } | null;
  matchStatus: PaymentMatchStatus;
  matchConfidence: number;
  matchReasons: string[];
  matchedBy: { id: string; name: string } | null;
};

/** A payment's own fields (finance subgraph only). */
const PAYMENT_OWN = `
  id
  direction
  number
  date
  amount { ${MONEY} }
  purpose
  payerName
  payerInn
  payeeName
  payeeInn
  contractId
  matchStatus
  matchConfidence
  matchReasons
`;

export type ContractExecution = ContractFigures & {
  schedule: ScheduleItem[];
  invoices: FinanceDocument[];
  acts: FinanceDocument[];
  payments: Omit<Payment, 'counterparty' | 'invoice' | 'matchedBy'>[];
};

export type DocumentExecutionData = {
  document: { id: string; type: string; execution: ContractExecution | null } | null;
};

const FINANCE_DOCUMENT = `id type number date amount { ${MONEY} } dueDate`;

const EXECUTION = `
  ${CONTRACT_FIGURES}
  schedule { id kind amount { ${MONEY} } dueDate daysAfterAct description resolvedDueDate settled { ${MONEY} } state daysLate }
  invoices { ${FINANCE_DOCUMENT} }
  acts { ${FINANCE_DOCUMENT} }
  payments { ${PAYMENT_OWN} }
`;

export const DOCUMENT_EXECUTION = gql`
  query DocumentExecution($id: ID!) {
    document(id: $id) {
      id
      type
      execution { ${EXECUTION} }
    }
  }
`;

export type ScheduleItemInput = {
  kind: ScheduleItemKind;
  amount: { minor: number; currency: string };
  dueDate: string | null;
  daysAfterAct: number | null;
  description: string | null;
};
export type ContractTermsInput = { contractId: string; direction: ContractDirection; schedule: ScheduleItemInput[] };

export const SET_CONTRACT_TERMS = gql`
  mutation SetContractTerms($input: ContractTermsInput!) {
    setContractTerms(input: $input) { ${EXECUTION} }
  }
`;

// ——— payments registry and review queue ———

export type PaymentConnection = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: Payment }[] };

const PAYMENT_FULL = `
  ${PAYMENT_OWN}
  counterparty { id name shortName }
  invoice { id number title }
  matchedBy { id name }
`;

export type PaymentFilter = {
  direction?: PaymentDirection | null;
  matchStatus?: PaymentMatchStatus | null;
  counterpartyId?: string | null;
  dateFrom?: string | null;
  dateTo?: string | null;
  search?: string | null;
};

export type PaymentsData = { payments: PaymentConnection };
export type PaymentsVars = { filter: PaymentFilter; first: number; after?: string | null };
export const PAYMENTS = gql`
  query FinancePayments($filter: PaymentFilter, $first: Int, $after: String) {
    payments(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { ${PAYMENT_FULL} } }
    }
  }
`;

export type UnmatchedPaymentsData = { unmatchedPayments: PaymentConnection };
export const UNMATCHED_PAYMENTS = gql`
  query FinanceUnmatchedPayments($first: Int, $after: String) {
    unmatchedPayments(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { ${PAYMENT_FULL} } }
    }
  }
`;

export type MatchPaymentInput = { paymentId: string; counterpartyId: string; invoiceId?: string | null; contractId?: string | null };
export const MATCH_PAYMENT = gql`
  mutation FinanceMatchPayment($input: MatchPaymentInput!) {
    matchPayment(input: $input) { ${PAYMENT_FULL} }
  }
`;

/** The counterparty's invoices to pick from when matching a payment by hand (documents subgraph). */
export type InvoiceOption = { id: string; number: string | null; title: string; amount: Money | null };
export type InvoiceOptionsData = { documents: { edges: { node: InvoiceOption }[] } };
export const INVOICE_OPTIONS = gql`
  query FinanceInvoiceOptions($counterpartyId: ID!) {
    documents(first: 50, counterpartyId: $counterpartyId, type: INVOICE) {
      edges { node { id number title amount { ${MONEY} } } }
    }
  }
`;

// ——— statement import ———

export type StatementPreviewRow = {
  line: number;
  direction: PaymentDirection;
  number: string;
  date: string;
  amount: Money;
  purpose: string;
  counterpartyName: string | null;
  counterpartyInn: string | null;
  duplicate: boolean;
  matchStatus: PaymentMatchStatus;
  matchConfidence: number;
  matchReasons: string[];
  counterparty: { id: string; name: string; shortName: string | null } | null;
};

export type StatementImport = {
  id: string;
  fileName: string;
  status: 'PREVIEW' | 'RUNNING' | 'DONE' | 'FAILED' | 'DISCARDED';
  encoding: string;
  accounts: string[];
  dateFrom: string | null;
  dateTo: string | null;
  total: number;
  processed: number;
  created: number;
  duplicates: number;
  matched: number;
  ambiguous: number;
  unmatched: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  /** processed / total, 0–1 */
  progress: number;
};

/** A line of the file the import skipped or flags (`own-transfer`, `duplicate`, `inn.checksum`, …). */
export type StatementLineNote = { line: number; code: string; message: string };
export type StatementReport = { refusedLines: StatementLineNote[]; duplicateLines: StatementLineNote[]; warnings: StatementLineNote[] };


const STATEMENT_IMPORT = `
  id fileName status encoding accounts dateFrom dateTo total processed progress created duplicates matched ambiguous unmatched error createdAt finishedAt
`;

const LINE_NOTES = `
  refusedLines { line code message }
  duplicateLines { line code message }
  warnings { line code message }
`;

export type StatementImportData = { statementImport: (StatementImport & { preview: StatementPreviewRow[] }) | null };
export const STATEMENT_IMPORT_PREVIEW = gql`
  query FinanceStatementImportPreview($id: ID!) {
    statementImport(id: $id) {
      ${STATEMENT_IMPORT}
      preview(first: ${PREVIEW_ROWS}) {
        line direction number date amount { ${MONEY} } purpose counterpartyName counterpartyInn duplicate matchStatus matchConfidence matchReasons
        counterparty { id name shortName }
      }
    }
  }
`;

export type StatementImportProgressData = { statementImport: StatementImport | null };
export const STATEMENT_IMPORT_PROGRESS = gql`
  query FinanceStatementImportProgress($id: ID!) {
    statementImport(id: $id) { ${STATEMENT_IMPORT} }
  }
`;

/** The result report's lines, once the import is over. */
export type StatementImportReportData = { statementImport: (StatementImport & StatementReport) | null };
export const STATEMENT_IMPORT_REPORT = gql`
  query FinanceStatementImportReport($id: ID!) {
    statementImport(id: $id) { ${STATEMENT_IMPORT} ${LINE_NOTES} }
  }
`;

export const CONFIRM_STATEMENT_IMPORT = gql`
  mutation FinanceConfirmStatementImport($id: ID!) {
    confirmStatementImport(id: $id) { ${STATEMENT_IMPORT} }
  }
`;

export const DISCARD_STATEMENT_IMPORT = gql`
  mutation FinanceDiscardStatementImport($id: ID!) {
    discardStatementImport(id: $id) { ${STATEMENT_IMPORT} }
  }
`;

// ——— pickers (counterparties subgraph) ———

export const COUNTERPARTY_OPTIONS = gql`
  query FinanceCounterpartyOptions($search: String) {
    counterparties(first: 20, search: $search) {
      edges { node { id name shortName inn } }
    }
  }
`;

export const COUNTERPARTY_NAME = gql`
  query FinanceCounterpartyName($id: ID!) {
    counterparty(id: $id) { id name shortName inn }
  }
`;

// ——— My day: the overdue invoices of my counterparties (finance subgraph only) ———

export type OverdueReceivable = {
  key: string;
  counterparty: { id: string };
  counterpartyName: string;
  documentId: string;
  documentType: 'INVOICE' | 'CONTRACT';
  documentNumber: string | null;
  contractId: string | null;
  contractNumber: string | null;
  dueDate: string;
  daysOverdue: number;
  outstanding: Money;
};
export type MyOverdueReceivablesData = {
  myOverdueReceivables: { totalCount: number; totals: Money[]; edges: { cursor: string; node: OverdueReceivable }[] };
};
export type MyOverdueReceivablesVars = { first: number };

/** How many rows My day shows (the longest overdue first; the totals cover all of them). */
export const MY_DAY_ROWS = 10;

export const MY_OVERDUE_RECEIVABLES = gql`
  query FinanceMyDay($first: Int!) {
    myOverdueReceivables(first: $first) {
      totalCount
      totals { ${MONEY} }
      edges {
        cursor
        node {
          key
          counterparty { id }
          counterpartyName
          documentId
          documentType
          documentNumber
          contractId
          contractNumber
          dueDate
          daysOverdue
          outstanding { ${MONEY} }
        }
      }
    }
  }
`;
