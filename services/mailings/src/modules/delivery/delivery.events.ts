import { MAILING_RECIPIENT_STATUS_CHANGED, publishEvent, type MailingRecipientStatusChanged } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';

export type RecipientNews = {
  mailingId: string;
  mailingName: string;
  counterpartyId: string;
  recipientId: string;
  contactId: string | null;
  contactName: string | null;
};

/** The payload of `mailings.recipient.status-changed` (the counterparty's timeline shows it). */
export function recipientStatusPayload(recipient: RecipientNews, status: MailingRecipientStatusChanged['status'], at: Date, bounceKind: 'HARD' | 'SOFT' | null = null): MailingRecipientStatusChanged {
  return {
    mailingId: recipient.mailingId,
    mailingName: recipient.mailingName.slice(0, 500),
    counterpartyId: recipient.counterpartyId,
    recipientId: recipient.recipientId,
    contactId: recipient.contactId,
    contactName: recipient.contactName?.slice(0, 500) ?? null,
    status,
    bounceKind,
    at: at.toISOString(),
  };
}

/** Records the event in the outbox, in the caller's transaction (with the status change it tells). */
export async function publishRecipientStatus(em: EntityManager, recipient: RecipientNews, status: MailingRecipientStatusChanged['status'], at: Date, bounceKind: 'HARD' | 'SOFT' | null = null): Promise<void> {
  await publishEvent(em, MAILING_RECIPIENT_STATUS_CHANGED, recipientStatusPayload(recipient, status, at, bounceKind));
}
