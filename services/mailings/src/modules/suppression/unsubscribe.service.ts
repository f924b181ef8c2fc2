import type { EntityManager } from '@mikro-orm/postgresql';
import { publishRecipientStatus } from '../delivery/delivery.events';
import { SuppressionReason } from './suppression.entity';
import { isSuppressed, suppressAddress } from './suppression.service';
import type { UnsubscribeClaim } from './unsubscribe-token';

export type UnsubscribeResult = 'done' | 'already';

type RecipientRow = { id: string; mailing_id: string; mailing_name: string | null; counterparty_id: string; contact_id: string | null; contact_name: string | null; status: string };

/**
 * Unsubscribes the address of a verified token, in one transaction: the recipient becomes UNSUBSCRIBED (a queued
 * message is then never sent; the worker checks just before sending), the address goes on the suppression list,
 * and the counterparty's timeline hears of it. Idempotent: a second call changes nothing and says `already`.
 * The token's address is authentic (signed), so it is suppressed even if its recipient row is gone.
 */
export async function unsubscribe(em: EntityManager, claim: UnsubscribeClaim): Promise<UnsubscribeResult> {
  return em.transactional(async (tx) => {
    const [recipient] = await tx.execute<RecipientRow[]>(
      `select r.id, r.mailing_id, m.name as mailing_name, r.counterparty_id, r.contact_id, r.contact_name, r.status
       from mailing_recipients r left join mailings m on m.id = r.mailing_id
       where r.id = ? and r.email = ? for update of r`,
      [claim.recipientId, claim.email],
    );
    const wasSuppressed = await isSuppressed(tx, claim.email);
    await suppressAddress(tx, claim.email, SuppressionReason.UNSUBSCRIBED, recipient?.mailing_id ?? null);
    let changed = !wasSuppressed;
    if (recipient && recipient.status !== 'UNSUBSCRIBED') {
      const [{ at }] = await tx.execute<{ at: Date }[]>(
        `update mailing_recipients set status = 'UNSUBSCRIBED', next_attempt_at = null, updated_at = now() where id = ? returning updated_at as at`,
        [recipient.id],
      );
      await publishRecipientStatus(
        tx,
        { mailingId: recipient.mailing_id, mailingName: recipient.mailing_name ?? '', counterpartyId: recipient.counterparty_id, recipientId: recipient.id, contactId: recipient.contact_id, contactName: recipient.contact_name },
        'UNSUBSCRIBED',
        new Date(at),
      );
      changed = true;
    }
    return changed ? 'done' : 'already';
  });
}

/** What the GET page shows: whether there is still something to confirm (reads only). */
export async function unsubscribeState(em: EntityManager, claim: UnsubscribeClaim): Promise<'confirm' | 'already'> {
  return (await isSuppressed(em, claim.email)) ? 'already' : 'confirm';
}
