import { type BusEvent, isUuid } from '@kartoteka/kit';

/**
 * Domain events between deals and documents (DESIGN §4). Deals publishes the requests in the same transaction
 * as the action's change; documents answers with what became of the document.
 */

/** deals → documents: make a draft document for a deal action (SEND_OFFER → COMMERCIAL_OFFER, PREPARE_CONTRACT → CONTRACT). */
export const DEAL_DOCUMENT_REQUESTED = 'deals.document.requested';
export type DealDocumentRequested = {
  dealId: string;
  actionId: string;
  counterpartyId: string;
  documentType: 'COMMERCIAL_OFFER' | 'CONTRACT';
  title: string;
  /** The staff member (or API key) who ran the action. */
  requestedById: string | null;
  amountMinor: number | null;
  currency: string | null;
};

/** deals → documents: start the approval route of the deal's newest contract (REQUEST_APPROVAL). */
export const DEAL_APPROVAL_REQUESTED = 'deals.approval.requested';
export type DealApprovalRequested = { dealId: string; actionId: string; documentId: string; requestedById: string | null };

/** documents → deals: a document was created for a deal action. */
export const DOCUMENT_CREATED = 'documents.document.created';
/** documents → deals: a deal's document changed status, or starting its approval failed (`error`). */
export const DOCUMENT_STATUS_CHANGED = 'documents.document.status-changed';

export type DealDocumentNews = {
  documentId: string;
  dealId: string;
  /** The action the document was created by (created), or the action the news answers (a failed approval request). */
  actionId: string | null;
  status: string;
  /** Set when the documents service refused the request. */
  error: string | null;
};

/** Document statuses at which a requested approval counts as done: signed, or further along its life. */
export const SIGNED_OR_LATER: ReadonlySet<string> = new Set(['SIGNED', 'IN_FORCE', 'EXECUTED', 'TERMINATED']);
/** Document statuses at which a requested approval has failed. */
export const APPROVAL_FAILED: ReadonlySet<string> = new Set(['REJECTED', 'CANCELLED']);

const uuid = (value: unknown): string | null => (typeof value === 'string' && isUuid(value) ? value.toLowerCase() : null);

/** Reads a documents.document.* payload; null when malformed. */
export function parseDocumentNews(event: Pick<BusEvent, 'payload'>): DealDocumentNews | null {
  const { documentId, dealId, actionId, status, error } = event.payload;
  const document = uuid(documentId);
  const deal = uuid(dealId);
  if (!document || !deal || typeof status !== 'string' || !status) return null;
  return { documentId: document, dealId: deal, actionId: uuid(actionId), status, error: typeof error === 'string' && error ? error : null };
}
