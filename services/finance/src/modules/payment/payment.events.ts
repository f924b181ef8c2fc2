import type { EntityManager } from '@mikro-orm/postgresql';
import { OutboxEvent, PAYMENT_RECEIVED, publishEvent, type PaymentReceived } from '@kartoteka/kit';

type MatchedRow = {
  id: string;
  counterparty_id: string;
  direction: 'INCOMING' | 'OUTGOING';
  amount_minor: string | number;
  currency: string;
  number: string | null;
  date: string;
  purpose: string | null;
  invoice_id: string | null;
  contract_id: string | null;
};

/**
 * `finance.payment.received` for each of these payments that is now matched to a counterparty (statement import,
 * automatic re-matching, or by hand), in the caller's transaction: for the counterparty timeline and others. One
 * read for all of them; the relay is woken once.
 */
export async function publishPaymentsMatched(em: EntityManager, paymentIds: readonly string[], matchedById: string | null, at: Date): Promise<void> {
  if (!paymentIds.length) return;
  const rows = await em.execute<MatchedRow[]>(
    `select id, counterparty_id, direction, amount_minor, currency, number, to_char(date, 'YYYY-MM-DD') as date, purpose, invoice_id, contract_id
     from payments where id in (?) and match_status = 'MATCHED' and counterparty_id is not null order by date, id`,
    [[...new Set(paymentIds)]],
  );
  const payloads = rows.map(
    (row): PaymentReceived => ({
      paymentId: row.id,
      counterpartyId: row.counterparty_id,
      direction: row.direction,
      amountMinor: Number(row.amount_minor),
      currency: row.currency,
      number: row.number,
      date: row.date,
      purpose: row.purpose ? row.purpose.slice(0, 2000) : null,
      invoiceId: row.invoice_id,
      contractId: row.contract_id,
      matchedAt: at.toISOString(),
      matchedById,
    }),
  );
  const last = payloads.pop();
  for (const payload of payloads) em.create(OutboxEvent, { topic: PAYMENT_RECEIVED, payload }, { persist: true });
  // the last one through publishEvent: it also wakes the relay on commit
  if (last) await publishEvent(em, PAYMENT_RECEIVED, last);
}
