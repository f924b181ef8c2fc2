import type { MailingStatus, RecipientStatus } from '../api/mailings.queries';

type TagType = 'default' | 'info' | 'success' | 'warning' | 'error';

const MAILING_TAGS: Record<MailingStatus, TagType> = {
  DRAFT: 'default',
  ON_APPROVAL: 'info',
  APPROVED: 'success',
  REJECTED: 'error',
  SENDING: 'info',
  PAUSED: 'warning',
  COMPLETED: 'success',
  CANCELLED: 'default',
};
const RECIPIENT_TAGS: Record<RecipientStatus, TagType> = { QUEUED: 'default', SENT: 'success', FAILED: 'error', BOUNCED: 'warning', UNSUBSCRIBED: 'default' };

/** The colour of a mailing's status tag. */
export const statusTagType = (status: MailingStatus): TagType => MAILING_TAGS[status];

/** The colour of a recipient's status tag. */
export const recipientTagType = (status: RecipientStatus): TagType => RECIPIENT_TAGS[status];

/** Statuses in which the content and the audience can still change (REJECTED goes back to DRAFT when saved). */
export const isEditable = (status: MailingStatus): boolean => status === 'DRAFT' || status === 'REJECTED';

/** Statuses the mailing can be cancelled from. */
export const isCancellable = (status: MailingStatus): boolean => ['DRAFT', 'ON_APPROVAL', 'APPROVED', 'SENDING', 'PAUSED'].includes(status);

/** Statuses that have a fixed list of recipients with their own statuses. */
export const hasRecipients = (status: MailingStatus): boolean => ['SENDING', 'PAUSED', 'COMPLETED', 'CANCELLED'].includes(status);
