import type { DocumentSigned, SignedDocumentChanged } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rematchPending } from '../payment/payment.service';
import { recomputeRatings } from '../rating/rating.service';
import { FINANCE_DOCUMENT_TYPES, type FinanceDocumentType } from './finance-document.entity';

/** The status that takes a signed document out of the verified facts. */
export const CANCELLED = 'CANCELLED';

export function isFinanceDocumentType(type: string): type is FinanceDocumentType {
  return (FINANCE_DOCUMENT_TYPES as readonly string[]).includes(type);
}

/** What a change of the ledger touched: whose rating to recompute, whose pending payments to re-try. */
export type LedgerChange = { counterpartyId: string; type: FinanceDocumentType } | null;

/**
 * Stores a signed document as a verified fact (insert, or update when this event is at least as new as what is
 * stored: `updated_at` is the version, so an older event arriving late changes nothing). A contract's own
 * `contractId` is always null; only invoices and acts keep `invoiceId`'s meaning (an act's invoice).
 * Returns null when nothing changed.
 */
export async function recordSignedDocument(em: EntityManager, signed: DocumentSigned): Promise<LedgerChange> {
  if (!isFinanceDocumentType(signed.documentType)) return null;
  const type = signed.documentType;
  const signedAt = new Date(signed.signedAt);
  const rows = await em.execute<{ id: string }[]>(
    `insert into finance_documents as d (id, type, counterparty_id, contract_id, invoice_id, number, title, date, amount_minor, currency,
       due_date, start_date, end_date, period_end, status, verified, responsible_id, signed_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (id) do update set type = excluded.type, counterparty_id = excluded.counterparty_id, contract_id = excluded.contract_id,
       invoice_id = excluded.invoice_id, number = excluded.number, title = excluded.title, date = excluded.date,
       amount_minor = excluded.amount_minor, currency = excluded.currency, due_date = excluded.due_date, start_date = excluded.start_date,
       end_date = excluded.end_date, period_end = excluded.period_end, status = excluded.status, verified = excluded.verified,
       responsible_id = excluded.responsible_id, signed_at = excluded.signed_at, updated_at = excluded.updated_at
     where d.updated_at <= excluded.updated_at
     returning d.id`,
    [
      signed.documentId,
      type,
      signed.counterpartyId,
      type === 'CONTRACT' ? null : signed.contractId,
      type === 'ACT' ? signed.invoiceId : null,
      signed.number,
      signed.title,
      signed.date ?? signed.signedAt.slice(0, 10),
      signed.amountMinor,
      signed.currency ?? 'RUB',
      type === 'INVOICE' ? signed.dueDate : null,
      type === 'CONTRACT' || type === 'SUPPLEMENTARY_AGREEMENT' ? signed.startDate : null,
      type === 'CONTRACT' || type === 'SUPPLEMENTARY_AGREEMENT' ? signed.endDate : null,
      type === 'ACT' ? signed.periodEnd : null,
      signed.status,
      signed.status !== CANCELLED,
      signed.responsibleId,
      signedAt,
      signedAt,
    ],
  );
  return rows.length ? { counterpartyId: signed.counterpartyId, type } : null;
}

/**
 * Applies a later change of a signed document (status, links to a contract or an invoice) when it is newer than
 * what is stored. A document finance never saw signed (or of a type it does not keep) is ignored: only signed
 * documents become facts. CANCELLED makes it no longer verified.
 */
export async function recordSignedDocumentChange(em: EntityManager, change: SignedDocumentChanged): Promise<LedgerChange> {
  if (!isFinanceDocumentType(change.documentType)) return null;
  const rows = await em.execute<{ counterparty_id: string; type: FinanceDocumentType }[]>(
    `update finance_documents set status = ?, verified = ?,
       contract_id = case when type = 'CONTRACT' then null else ?::uuid end,
       invoice_id = case when type = 'ACT' then ?::uuid else null end,
       updated_at = ?
     where id = ? and updated_at <= ?
     returning counterparty_id, type`,
    [change.status, change.status !== CANCELLED, change.contractId, change.invoiceId, new Date(change.changedAt), change.documentId, new Date(change.changedAt)],
  );
  const [row] = rows;
  return row ? { counterpartyId: row.counterparty_id, type: row.type } : null;
}

/**
 * After the ledger changed, in the same transaction: the counterparty's rating follows the facts, and payments
 * waiting in the review queue get another chance to match (a new invoice or contract may be what they pay).
 */
export async function afterLedgerChange(em: EntityManager, change: LedgerChange, now: Date = new Date()): Promise<void> {
  if (!change) return;
  if (change.type === 'INVOICE' || change.type === 'CONTRACT') await rematchPending(em, { counterpartyIds: [change.counterpartyId] });
  await recomputeRatings(em, [change.counterpartyId], now);
}
