import type { JSONSchemaType } from 'ajv';
import { DATE_TIME_PATTERN, defineContract, isRealDateTime, UUID_PATTERN, type WireOf } from './contract';

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
};

type SignedWire = WireOf<DocumentSigned, 'number' | 'dealId' | 'actionId' | 'signedById' | 'amountMinor' | 'currency'>;

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
  },
  required: ['documentId', 'documentType', 'counterpartyId', 'status', 'signedAt'],
  additionalProperties: true,
};

const lowerOrNull = (id: string | null | undefined): string | null => (id ? id.toLowerCase() : null);

export const documentSignedContract = defineContract<DocumentSigned, SignedWire>([DOCUMENT_SIGNED], signedSchema, (value) =>
  isRealDateTime(value.signedAt)
    ? {
        ...value,
        documentId: value.documentId.toLowerCase(),
        counterpartyId: value.counterpartyId.toLowerCase(),
        number: value.number ?? null,
        dealId: lowerOrNull(value.dealId),
        actionId: lowerOrNull(value.actionId),
        signedById: lowerOrNull(value.signedById),
        amountMinor: value.amountMinor ?? null,
        currency: value.currency ?? null,
      }
    : 'signedAt is not a real date-time',
);
