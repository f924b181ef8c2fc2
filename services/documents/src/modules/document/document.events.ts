import type { EntityManager } from '@mikro-orm/postgresql';
import { publishEvent } from '@kartoteka/kit';
import type { Document } from './document.entity';

/** Deals asks for a draft document of a deal action (SEND_OFFER → COMMERCIAL_OFFER, PREPARE_CONTRACT → CONTRACT). */
export const DEAL_DOCUMENT_REQUESTED = 'deals.document.requested';
/** Deals asks to start the approval of a deal's document (REQUEST_APPROVAL). */
export const DEAL_APPROVAL_REQUESTED = 'deals.approval.requested';
/** A document was created for a deal action. */
export const DOCUMENT_CREATED = 'documents.document.created';
/** The status of a deal's document changed (approval, sign-off, cancellation…), or starting its approval failed. */
export const DOCUMENT_STATUS_CHANGED = 'documents.document.status-changed';

/** In the caller's transaction: tells the deals service about a document that belongs to a deal. */
export async function publishDealDocumentStatus(em: EntityManager, document: Document, extra: { actionId?: string | null; error?: string | null } = {}): Promise<void> {
  if (!document.dealId) return;
  await publishEvent(em, DOCUMENT_STATUS_CHANGED, {
    documentId: document.id,
    dealId: document.dealId,
    actionId: extra.actionId ?? document.sourceActionId,
    documentType: document.type,
    status: document.status,
    error: extra.error ?? null,
  });
}
