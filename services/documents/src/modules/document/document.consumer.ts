import type { EntityManager } from '@mikro-orm/postgresql';
import { dealApprovalRequestedContract, dealDocumentRequestedContract, DomainError, type EventHandlers, hasPermission, LoaderRegistry, parseOrPark, publishEvent, UnprocessableEventError } from '@kartoteka/kit';
import { ApprovalService } from '../approval/approval.service';
import { DEAL_APPROVAL_REQUESTED, DEAL_DOCUMENT_REQUESTED, DOCUMENT_CREATED, publishDealDocumentStatus } from './document.events';
import { Document, DocumentType } from './document.entity';
import { DocumentService } from './document.service';
import { rememberDeal, requesterIdentity as requester, requestForDealAction } from '../template/template.module';

async function announceCreated(em: EntityManager, document: Document): Promise<void> {
  await publishEvent(em, DOCUMENT_CREATED, { documentId: document.id, dealId: document.dealId, actionId: document.sourceActionId, documentType: document.type, status: document.status });
}

/**
 * Deals' requests, consumed idempotently (the consumer's inbox drops a redelivered event; the unique
 * source action makes a second request for the same action return the existing document).
 */
export const documentEventHandlers: EventHandlers = {
  [DEAL_DOCUMENT_REQUESTED]: async (event, em) => {
    const request = parseOrPark(dealDocumentRequestedContract, event);
    const existing = await em.findOne(Document, { sourceActionId: request.actionId });
    if (existing) {
      await announceCreated(em, existing);
      return;
    }
    const identity = await requester(em, request.requestedById);
    if (request.dealTitle) await rememberDeal(em, { id: request.dealId, title: request.dealTitle, amountMinor: request.amountMinor, currency: request.currency });
    const document = await new DocumentService({ em, identity, loaders: new LoaderRegistry() }).createForDeal(em, { ...request, documentType: DocumentType[request.documentType] });
    // The case template named a document template: the draft gets its file from the generation worker after this
    // transaction commits (rendering and converting take seconds; a failure is recorded, never lost).
    if (request.templateCode) await requestForDealAction(em, request.requestedById, document, request.templateCode);
    await announceCreated(em, document);
  },

  [DEAL_APPROVAL_REQUESTED]: async (event, em) => {
    const { dealId, documentId, actionId, requestedById } = parseOrPark(dealApprovalRequestedContract, event);
    const document = await em.findOne(Document, { id: documentId, dealId });
    if (!document) throw new UnprocessableEventError(`Document ${documentId} of deal ${dealId} does not exist`);
    const identity = await requester(em, requestedById);
    if (!hasPermission(identity, 'documents:write')) {
      await publishDealDocumentStatus(em, document, { actionId, error: 'The requester may not send documents for approval' });
      return;
    }
    try {
      // On success the approval engine itself announces the new status (documents.document.status-changed).
      await new ApprovalService({ em, identity, loaders: new LoaderRegistry() }).start(document.id, null);
    } catch (error) {
      // A refusal (no file yet, not a draft, no route) is an answer for the deal, not a failure to retry.
      if (!(error instanceof DomainError)) throw error;
      const current = await em.findOneOrFail(Document, { id: document.id }, { refresh: true });
      await publishDealDocumentStatus(em, current, { actionId, error: error.message });
    }
  },
};
