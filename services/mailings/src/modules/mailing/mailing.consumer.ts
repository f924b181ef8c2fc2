import {
  DOCUMENT_ACTIVITY,
  DOCUMENT_SIGNED,
  documentActivityContract,
  documentSignedContract,
  MAILING_APPROVAL_REFUSED,
  mailingApprovalRefusedContract,
  parseOrPark,
  type EventHandlers,
} from '@kartoteka/kit';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Mailing, MailingStatus } from './mailing.entity';

/** Document statuses that end an approval without a sign-off (rejected; recalled or stopped back to a draft; cancelled). */
const NOT_APPROVED = new Set(['REJECTED', 'DRAFT', 'CANCELLED']);

async function mailingOfDocument(em: EntityManager, documentId: string): Promise<Mailing | null> {
  return em.findOne(Mailing, { approvalDocumentId: documentId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

/** ON_APPROVAL → REJECTED with the reason (a later, more specific comment fills an empty one). */
async function reject(em: EntityManager, documentId: string, comment: string | null): Promise<void> {
  const mailing = await mailingOfDocument(em, documentId);
  if (!mailing) return;
  if (mailing.status === MailingStatus.ON_APPROVAL) {
    mailing.status = MailingStatus.REJECTED;
    mailing.approvalComment = comment;
  } else if (mailing.status === MailingStatus.REJECTED && !mailing.approvalComment && comment) {
    mailing.approvalComment = comment;
  } else return;
  await em.flush();
}

/**
 * The EDMS's answers about a mailing's approval document (each in the consumer's transaction with its inbox row, so
 * a redelivery changes nothing): signed → APPROVED; rejected, recalled or cancelled → REJECTED with the comment;
 * refused before a route could start → REJECTED with the reason. Answers about an older document of the mailing
 * (a previous submission) or in another state are ignored.
 */
export const mailingApprovalHandlers: EventHandlers = {
  [DOCUMENT_SIGNED]: async (event, em) => {
    const signed = parseOrPark(documentSignedContract, event);
    const mailing = await mailingOfDocument(em, signed.documentId);
    if (!mailing || mailing.status !== MailingStatus.ON_APPROVAL) return;
    mailing.status = MailingStatus.APPROVED;
    mailing.approvalComment = null;
    await em.flush();
  },
  [DOCUMENT_ACTIVITY]: async (event, em) => {
    const activity = parseOrPark(documentActivityContract, event);
    if (!NOT_APPROVED.has(activity.status)) return;
    if (activity.action !== 'STATUS_CHANGED' && activity.action !== 'STEP_REJECTED') return;
    const fallback = activity.status === 'REJECTED' ? null : `The approval was ${activity.status === 'CANCELLED' ? 'cancelled' : 'recalled'} in the EDMS`;
    await reject(em, activity.documentId, activity.comment ?? fallback);
  },
  [MAILING_APPROVAL_REFUSED]: async (event, em) => {
    const refused = parseOrPark(mailingApprovalRefusedContract, event);
    await reject(em, refused.documentId, refused.error);
  },
};
