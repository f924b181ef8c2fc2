import type { JSONSchemaType } from 'ajv';
import { DATE_PATTERN, DATE_TIME_PATTERN, defineContract, isRealDate, isRealDateTime, UUID_PATTERN, type WireOf } from './contract';

/** documents → deals: a document was created for a deal action. */
export const DOCUMENT_CREATED = 'documents.document.created';
/** documents → deals: a deal's document changed status, or starting its approval failed (`error`). */
export const DOCUMENT_STATUS_CHANGED = 'documents.document.status-changed';

/** What documents tells deals about a deal's document (both topics carry it). */
export type DealDocumentNews = {
  documentId: string;
  dealId: string;
  /** The action the document was created by (created), or the action the news answers (a failed approval request). */
  actionId: string | null;
  /** The document type, e.g. CONTRACT. */
  documentType: string | null;
  status: string;
  /** Set when the documents service refused the request. */
  error: string | null;
};

type Wire = WireOf<DealDocumentNews, 'actionId' | 'documentType' | 'error'>;

const schema: JSONSchemaType<Wire> = {
  type: 'object',
  properties: {
    documentId: { type: 'string', pattern: UUID_PATTERN },
    dealId: { type: 'string', pattern: UUID_PATTERN },
    actionId: { type: 'string', pattern: UUID_PATTERN, nullable: true },
    documentType: { type: 'string', maxLength: 50, nullable: true },
    status: { type: 'string', minLength: 1, maxLength: 50 },
    error: { type: 'string', maxLength: 5000, nullable: true },
  },
  required: ['documentId', 'dealId', 'status'],
  additionalProperties: true,
};

export const dealDocumentNewsContract = defineContract<DealDocumentNews, Wire>([DOCUMENT_CREATED, DOCUMENT_STATUS_CHANGED], schema, (value) => ({
  documentId: value.documentId.toLowerCase(),
  dealId: value.dealId.toLowerCase(),
  actionId: value.actionId ? value.actionId.toLowerCase() : null,
  documentType: value.documentType ?? null,
  status: value.status,
  error: value.error ? value.error : null,
}));

/**
 * documents → everyone: a document passed its final sign-off (published once per signature, whatever the
 * document's type and whether it belongs to a deal). `status` is the status right after the sign-off: SIGNED, or
 * IN_FORCE for a contract whose start date had come (it went in force in the same transaction) — the event says
 * "signed" either way, so a consumer never has to catch a short-lived SIGNED status.
 */
export const DOCUMENT_SIGNED = 'documents.document.signed';

export type DocumentSigned = {
  documentId: string;
  /** The document type, e.g. CONTRACT. */
  documentType: string;
  /** The registration number (sign-off registers an unregistered document). */
  number: string | null;
  counterpartyId: string;
  dealId: string | null;
  /** The deal action the document was created for, if any. */
  actionId: string | null;
  status: string;
  /** When the sign-off was given (ISO-8601). */
  signedAt: string;
  /** The staff member whose decision completed the sign-off; null when it was not a person. */
  signedById: string | null;
  amountMinor: number | null;
  currency: string | null;
  /*
   * The fields below were added for finance (issue 9). They are optional on the wire (an event published before
   * them still parses) and read as null when missing.
   */
  /** The document title. */
  title: string | null;
  /** The document date, YYYY-MM-DD. */
  date: string | null;
  /**
   * The contract the document belongs to (INVOICE / ACT / SUPPLEMENTARY_AGREEMENT / PAYMENT_ORDER), found through its
   * INVOICE_FOR / ACT_FOR / SUPPLEMENT_TO / PAYMENT_FOR link; an ACT_FOR → invoice resolves to that invoice's contract.
   * Null for a contract itself and for a document linked to none.
   */
  contractId: string | null;
  /** The invoice an act (ACT_FOR → invoice) or a payment order (PAYMENT_FOR → invoice) refers to. */
  invoiceId: string | null;
  /** INVOICE: the payment due date, YYYY-MM-DD. */
  dueDate: string | null;
  /** CONTRACT: its term, YYYY-MM-DD. */
  startDate: string | null;
  endDate: string | null;
  /** ACT: the end of the period it covers, YYYY-MM-DD. */
  periodEnd: string | null;
  /** The staff member responsible for the document. */
  responsibleId: string | null;
};

/** The keys a finance consumer reads as dates (YYYY-MM-DD, real calendar dates). */
const SIGNED_DATE_KEYS = ['date', 'dueDate', 'startDate', 'endDate', 'periodEnd'] as const;

type SignedWire = WireOf<
  DocumentSigned,
  'number' | 'dealId' | 'actionId' | 'signedById' | 'amountMinor' | 'currency' | 'title' | 'date' | 'contractId' | 'invoiceId' | 'dueDate' | 'startDate' | 'endDate' | 'periodEnd' | 'responsibleId'
>;

const signedSchema: JSONSchemaType<SignedWire> = {
  type: 'object',
  properties: {
    documentId: { type: 'string', pattern: UUID_PATTERN },
    documentType: { type: 'string', minLength: 1, maxLength: 50 },
    number: { type: 'string', maxLength: 100, nullable: true },
    counterpartyId: { type: 'string', pattern: UUID_PATTERN },
    dealId: { type: 'string', pattern: UUID_PATTERN, nullable: true },
    actionId: { type: 'string', pattern: UUID_PATTERN, nullable: true },
    status: { type: 'string', minLength: 1, maxLength: 50 },
    signedAt: { type: 'string', pattern: DATE_TIME_PATTERN },
    signedById: { type: 'string', pattern: UUID_PATTERN, nullable: true },
    amountMinor: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, nullable: true },
    currency: { type: 'string', pattern: '^[A-Z]{3}$', nullable: true },
    title: { type: 'string', maxLength: 2000, nullable: true },
    date: { type: 'string', pattern: DATE_PATTERN, nullable: true },
    contractId: { type: 'string', pattern: UUID_PATTERN, nullable: true },
    invoiceId: { type: 'string', pattern: UUID_PATTERN, nullable: true },
    dueDate: { type: 'string', pattern: DATE_PATTERN, nullable: true },
    startDate: { type: 'string', pattern: DATE_PATTERN, nullable: true },
    endDate: { type: 'string', pattern: DATE_PATTERN, nullable: true },
    periodEnd: { type: 'string', pattern: DATE_PATTERN, nullable: true },
    responsibleId: { type: 'string', pattern: UUID_PATTERN, nullable: true },
  },
  required: ['documentId', 'documentType', 'counterpartyId', 'status', 'signedAt'],
  additionalProperties: true,
};

const lowerOrNull = (id: string | null | undefined): string | null => (id ? id.toLowerCase() : null);

export const documentSignedContract = defineContract<DocumentSigned, SignedWire>([DOCUMENT_SIGNED], signedSchema, (value) => {
  if (!isRealDateTime(value.signedAt)) return 'signedAt is not a real date-time';
  const wrongDate = SIGNED_DATE_KEYS.find((key) => {
    const date = value[key];
    return date != null && !isRealDate(date);
  });
  if (wrongDate) return `${wrongDate} is not a real date`;
  return {
    ...value,
    documentId: value.documentId.toLowerCase(),
    counterpartyId: value.counterpartyId.toLowerCase(),
    number: value.number ?? null,
    dealId: lowerOrNull(value.dealId),
    actionId: lowerOrNull(value.actionId),
    signedById: lowerOrNull(value.signedById),
    amountMinor: value.amountMinor ?? null,
    currency: value.currency ?? null,
    title: value.title ?? null,
    date: value.date ?? null,
    contractId: lowerOrNull(value.contractId),
    invoiceId: lowerOrNull(value.invoiceId),
    dueDate: value.dueDate ?? null,
    startDate: value.startDate ?? null,
    endDate: value.endDate ?? null,
    periodEnd: value.periodEnd ?? null,
    responsibleId: lowerOrNull(value.responsibleId),
  };
});

/**
 * documents → everyone: a document that was signed (its `signedAt` is set) changed afterwards — its status changed
 * (IN_FORCE, EXECUTED, TERMINATED, CANCELLED …), or a link of it to a contract/invoice was added or removed, so its
 * `contractId`/`invoiceId` may differ from the {@link DocumentSigned} event. CANCELLED means the document is no longer
 * a verified fact. The payload is the current state, not a diff: a consumer keeps the newest by `changedAt`.
 */
export const DOCUMENT_VERIFIED_CHANGED = 'documents.document.verified-changed';

export type SignedDocumentChanged = {
  documentId: string;
  documentType: string;
  /** The status now. */
  status: string;
  /** The contract it belongs to now (resolved like {@link DocumentSigned.contractId}). */
  contractId: string | null;
  /** The invoice it refers to now (resolved like {@link DocumentSigned.invoiceId}). */
  invoiceId: string | null;
  /** When the change happened (ISO-8601). */
  changedAt: string;
};

type ChangedWire = WireOf<SignedDocumentChanged, 'contractId' | 'invoiceId'>;

const changedSchema: JSONSchemaType<ChangedWire> = {
  type: 'object',
  properties: {
    documentId: { type: 'string', pattern: UUID_PATTERN },
    documentType: { type: 'string', minLength: 1, maxLength: 50 },
    status: { type: 'string', minLength: 1, maxLength: 50 },
    contractId: { type: 'string', pattern: UUID_PATTERN, nullable: true },
    invoiceId: { type: 'string', pattern: UUID_PATTERN, nullable: true },
    changedAt: { type: 'string', pattern: DATE_TIME_PATTERN },
  },
  required: ['documentId', 'documentType', 'status', 'changedAt'],
  additionalProperties: true,
};

export const signedDocumentChangedContract = defineContract<SignedDocumentChanged, ChangedWire>([DOCUMENT_VERIFIED_CHANGED], changedSchema, (value) =>
  isRealDateTime(value.changedAt)
    ? {
        ...value,
        documentId: value.documentId.toLowerCase(),
        contractId: lowerOrNull(value.contractId),
        invoiceId: lowerOrNull(value.invoiceId),
      }
    : 'changedAt is not a real date-time',
);
