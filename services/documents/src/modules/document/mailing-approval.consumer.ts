import type { EntityManager } from '@mikro-orm/postgresql';
import {
  ANONYMOUS,
  CounterpartyDirectory,
  DomainError,
  hasPermission,
  LoaderRegistry,
  MAILING_APPROVAL_REFUSED,
  MAILING_APPROVAL_REQUESTED,
  mailingApprovalRequestedContract,
  parseOrPark,
  publishEvent,
  userIdentity,
  type EventHandlers,
  type Identity,
  type MailingApprovalRefused,
  type MailingApprovalRequested,
  type RoleCode,
} from '@kartoteka/kit';
import { ApprovalService } from '../approval/approval.service';
import { auditedTransaction, deferAudit } from '../audit/audited-transaction';
import { NotificationService } from '../notification/notification.service';
import { StaffService } from '../staff/staff.service';
import { storeBytes, templateStoreOf } from '../template/document-template.service';
import { actorOf } from './document-access';
import { recordInitialStatus } from './document-status-change.service';
import { DocumentVersionService } from './document-version.service';
import { Document, DocumentType } from './document.entity';

/** The staff member who submitted the mailing (from the directory); the system when unknown or deactivated. */
async function requester(em: EntityManager, userId: string | null): Promise<Identity> {
  if (!userId) return ANONYMOUS;
  const [member] = await new StaffService(em).findByIds([userId]);
  return member?.active ? userIdentity(member.id, member.name, member.roles as RoleCode[]) : ANONYMOUS;
}

function fileNameOf(request: MailingApprovalRequested): string {
  const base = request.name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim().slice(0, 150) || 'mailing';
  return `${base}.html`;
}

/**
 * Files the approval document of a mailing and starts its route, all or nothing (one savepoint in the consumer's
 * transaction): a COMMERCIAL_OFFER draft with the id mailings chose, under the sample recipient's counterparty, whose
 * first version is the rendered message (HTML, downloaded as an attachment under a sandbox CSP like every file),
 * sent on the type's default route on behalf of the staff member who submitted it.
 */
async function fileAndStart(em: EntityManager, identity: Identity, request: MailingApprovalRequested): Promise<void> {
  const context = { em, identity, loaders: new LoaderRegistry() };
  await auditedTransaction(em, async (tem) => {
    await new CounterpartyDirectory(tem).requireActive(request.counterpartyId, 'counterpartyId');
    const authorId = identity.kind === 'user' ? identity.id : null;
    const title = `Рассылка «${request.name}»`.slice(0, 500);
    const document = tem.create(Document, {
      id: request.documentId,
      type: DocumentType.COMMERCIAL_OFFER,
      counterpartyId: request.counterpartyId,
      title,
      subject: request.subject.slice(0, 1000) || null,
      summary: `Рассылка КП: ${request.recipientCount} получател(ей). Тема: ${request.subject}`.slice(0, 2000),
      authorId,
      responsibleId: authorId,
    });
    recordInitialStatus(tem, document, actorOf(identity));
    await tem.flush();
    deferAudit(tem, { documentId: document.id, action: 'DOCUMENT_CREATED', ...actorOf(identity), details: { type: document.type, title, mailingId: request.mailingId } });
    const file = await storeBytes(tem, templateStoreOf(tem), Buffer.from(request.html, 'utf8'), { name: fileNameOf(request), contentType: 'text/html', uploadedById: authorId });
    await new DocumentVersionService({ ...context, em: tem }).addWithin(tem, document, [file.id], 'Сообщение рассылки (пример для первого получателя)', false);
    await new NotificationService(tem).documentChanged(document.id);
    await new ApprovalService({ ...context, em: tem }).start(document.id, null);
  });
}

/**
 * mailings' approval requests (issue 12), consumed idempotently: the document id comes with the request, so a
 * redelivery finds the document and does nothing. A refusal (no permission, unknown or archived counterparty, no
 * route template for commercial offers) is an answer for mailings (`documents.mailing-approval.refused`), not a
 * failure to retry. The outcome of the route reaches mailings through `documents.document.signed` and
 * `documents.document.activity`.
 */
export const mailingApprovalHandlers: EventHandlers = {
  [MAILING_APPROVAL_REQUESTED]: async (event, em) => {
    const request = parseOrPark(mailingApprovalRequestedContract, event);
    if (await em.findOne(Document, { id: request.documentId })) return;
    const refuse = async (error: string) => {
      const payload: MailingApprovalRefused = { mailingId: request.mailingId, documentId: request.documentId, error: error.slice(0, 5000) };
      await publishEvent(em, MAILING_APPROVAL_REFUSED, payload);
    };
    const identity = await requester(em, request.requestedById);
    if (!hasPermission(identity, 'documents:write')) return refuse('The requester may not send documents for approval');
    try {
      await fileAndStart(em, identity, request);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await refuse(error.message);
    }
  },
};
