import type { EntityManager } from '@mikro-orm/postgresql';
import { DOCUMENT_SIGNED, DOCUMENT_STATUS_CHANGED, DOCUMENT_VERIFIED_CHANGED, type DealDocumentNews, type DocumentSigned, publishEvent, type SignedDocumentChanged } from '@kartoteka/kit';
import { financeDependentsOf, financeLinksOf } from './document-finance';
import { Document, DocumentStatus, DocumentType } from './document.entity';

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

/** The `DocumentSigned` payload of a signed document as it is now (its links read in `em`'s transaction). */
export async function documentSignedOf(em: EntityManager, document: Document): Promise<DocumentSigned> {
  if (!document.signedAt) throw new Error('documentSignedOf: the document is not signed');
  const links = await financeLinksOf(em, document);
  return {
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
    title: document.title,
    date: document.date,
    contractId: links.contractId,
    invoiceId: links.invoiceId,
    dueDate: document.type === DocumentType.INVOICE ? document.dueDate : null,
    startDate: document.type === DocumentType.CONTRACT ? document.startDate : null,
    endDate: document.type === DocumentType.CONTRACT ? document.endDate : null,
    periodEnd: document.type === DocumentType.ACT ? document.periodEnd : null,
    responsibleId: document.responsibleId ?? document.authorId,
  };
}

/**
 * In the sign-off's transaction: tells everyone (finance, deals, …) that the document is signed — once per
 * signature, for every document; the payload contract is `DocumentSigned` in kit (events/contracts), with the
 * contract/invoice it belongs to resolved through its links.
 */
export async function publishDocumentSigned(em: EntityManager, document: Document): Promise<void> {
  await publishEvent(em, DOCUMENT_SIGNED, await documentSignedOf(em, document));
}

/**
 * In the caller's transaction: a signed document changed afterwards (its status, or its links to a contract or an
 * invoice) — `documents.document.verified-changed` with its current state. Nothing for a document never signed:
 * finance never heard of it.
 */
export async function publishSignedDocumentChanged(em: EntityManager, document: Document): Promise<void> {
  if (!document.signedAt) return;
  const links = await financeLinksOf(em, document);
  const payload: SignedDocumentChanged = { documentId: document.id, documentType: document.type, status: document.status, contractId: links.contractId, invoiceId: links.invoiceId, changedAt: new Date().toISOString() };
  await publishEvent(em, DOCUMENT_VERIFIED_CHANGED, payload);
}

/**
 * In the caller's transaction, after a link from `sourceId` to a contract/invoice was added or removed: the current
 * state of every signed document whose contract or invoice goes through that link (the source, and e.g. the acts of
 * an invoice whose contract changed).
 */
export async function publishFinanceLinkChange(em: EntityManager, sourceId: string): Promise<void> {
  const ids = await financeDependentsOf(em, sourceId);
  const documents = await em.find(Document, { id: { $in: ids }, signedAt: { $ne: null } }, { orderBy: { id: 'asc' } });
  for (const document of documents) await publishSignedDocumentChanged(em, document);
}

/**
 * `events republish-signed`: publishes `documents.document.signed` again, in `em`'s transaction, for every signed
 * document that is not cancelled (its current status, links and details) — so that a service started later (finance)
 * learns the verified facts it missed. Consumers treat a repeated signature as the same fact. One transaction (the
 caller's), read page by page. Returns how many.
 */
export async function republishSignedDocuments(em: EntityManager, pageSize = 500): Promise<number> {
  let after: string | null = null;
  let total = 0;
  for (;;) {
    const page: Document[] = await em.find(
      Document,
      { signedAt: { $ne: null }, status: { $ne: DocumentStatus.CANCELLED }, ...(after ? { id: { $gt: after } } : {}) },
      { orderBy: { id: 'asc' }, limit: pageSize },
    );
    for (const document of page) await publishDocumentSigned(em, document);
    total += page.length;
    // The page's events are written now, and the documents leave the identity map: memory stays flat however many.
    await em.flush();
    em.clear();
    if (page.length < pageSize) return total;
    after = page[page.length - 1].id;
  }
}
