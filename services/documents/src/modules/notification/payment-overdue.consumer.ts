import type { EntityManager } from '@mikro-orm/postgresql';
import { type EventHandlers, OBLIGATION_OVERDUE, type ObligationOverdue, obligationOverdueContract, parseOrPark, UnprocessableEventError } from '@kartoteka/kit';
import { Document } from '../document/document.entity';
import { NotificationService } from './notification.service';

/**
 * Whom to tell about an overdue obligation: the staff member finance names, else the document's responsible
 * person, else its author (none for a document a partner system created and nobody took over).
 */
function recipientOf(overdue: ObligationOverdue, document: Document): string | null {
  return overdue.responsibleId ?? document.responsibleId ?? document.authorId;
}

/** A notification of this obligation falling overdue on this due date was already written (an event published again). */
async function alreadyNotified(em: EntityManager, overdue: ObligationOverdue, userId: string): Promise<boolean> {
  const rows = await em.execute<{ found: number }[]>(
    `select 1 as found from notifications where user_id = ? and kind = 'PAYMENT_OVERDUE' and document_id = ?
        and params->'payment'->>'obligationKey' = ? and params->'payment'->>'dueDate' = ? limit 1`,
    [userId, overdue.documentId, overdue.obligationKey, overdue.dueDate],
  );
  return rows.length > 0;
}

/**
 * `finance.obligation.overdue` → a PAYMENT_OVERDUE notification (in-app, and e-mail unless the recipient muted the
 * kind) with a link to the contract or invoice. Idempotent: the consumer's inbox drops a redelivered event, and the
 * same obligation and due date published again under another event id writes nothing (serialized per obligation).
 */
export const paymentOverdueHandlers: EventHandlers = {
  [OBLIGATION_OVERDUE]: async (event, em) => {
    const overdue = parseOrPark(obligationOverdueContract, event);
    const document = await em.findOne(Document, { id: overdue.documentId });
    if (!document) throw new UnprocessableEventError(`Document ${overdue.documentId} of the overdue obligation ${overdue.obligationKey} does not exist`);
    const userId = recipientOf(overdue, document);
    if (!userId) return;
    await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`payment-overdue:${overdue.obligationKey}`]);
    if (await alreadyNotified(em, overdue, userId)) return;
    await new NotificationService(em).notify({
      userIds: [userId],
      kind: 'PAYMENT_OVERDUE',
      documentId: document.id,
      documentTitle: document.title,
      documentNumber: document.number ?? overdue.documentNumber,
      actorName: overdue.counterpartyName,
      payment: {
        obligationKey: overdue.obligationKey,
        counterpartyId: overdue.counterpartyId,
        counterpartyName: overdue.counterpartyName,
        direction: overdue.direction,
        amountMinor: overdue.amountMinor,
        currency: overdue.currency,
        dueDate: overdue.dueDate,
        daysOverdue: overdue.daysOverdue,
      },
    });
  },
};
