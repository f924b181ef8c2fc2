import type { EntityManager } from '@mikro-orm/postgresql';
import { DOCUMENT_SIGNED, DOCUMENT_STATUS_CHANGED, type DealDocumentNews, type DocumentSigned, publishEvent } from '@kartoteka/kit';
import type { Document } from './document.entity';

// The contracts between deals and documents live in kit (events/contracts), declared once for both sides.
export { DEAL_APPROVAL_REQUESTED, DEAL_DOCUMENT_REQUESTED, DOCUMENT_CREATED, DOCUMENT_STATUS_CHANGED } from '@kartoteka/kit';

/** In the caller's transaction: tells the deals service about a document that belongs to a deal. */
export async function publishDealDocumentStatus(em: EntityManager, document: Document, extra: { actionId?: string | null; error?: string | null } = {}): Promise<void> {
  if (!document.dealId) return;
  const payload: DealDocumentNews = {
    documentId: document.id,
    dealId: document.dealId,
    actionId: extra.actionId ?? document.sourceActionId,
    documentType: document.type,
    status: document.status,
    error: extra.error ?? null,
  };
  await publishEvent(em, DOCUMENT_STATUS_CHANGED, payload);
}

/**
 * In the sign-off's transaction: tells everyone (rating, deals, …) that the document is signed — once per
 * signature, for every document; the payload contract is `DocumentSigned` in kit (events/contracts).
 */
export async function publishDocumentSigned(em: EntityManager, document: Document): Promise<void> {
  if (!document.signedAt) throw new Error('publishDocumentSigned: the document is not signed');
  const payload: DocumentSigned = {
    documentId: document.id,
    documentType: document.type,
    number: document.number,
    counterpartyId: document.counterpartyId,
    dealId: document.dealId,
    actionId: document.sourceActionId,
    status: document.status,
    signedAt: document.signedAt.toISOString(),
    signedById: document.signedById,
    amountMinor: document.amountMinor,
    currency: document.currency,
  };
  await publishEvent(em, DOCUMENT_SIGNED, payload);
}
