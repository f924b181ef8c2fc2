import type { EntityManager } from '@mikro-orm/postgresql';
import { DocumentLinkKind } from './document-link.entity';
import { DocumentType } from './document.entity';

/** What a signed document belongs to, for finance: the contract, and the invoice an act or a payment order refers to. */
export type FinanceLinks = { contractId: string | null; invoiceId: string | null };

/** The link kinds that tie a document to a contract or an invoice (the others are no news for finance). */
export const FINANCE_LINK_KINDS: readonly DocumentLinkKind[] = [DocumentLinkKind.SUPPLEMENT_TO, DocumentLinkKind.INVOICE_FOR, DocumentLinkKind.ACT_FOR, DocumentLinkKind.PAYMENT_FOR];

/** The one link kind each type belongs to a contract/invoice by. */
const KIND_OF_TYPE: Partial<Record<DocumentType, DocumentLinkKind>> = {
  [DocumentType.SUPPLEMENTARY_AGREEMENT]: DocumentLinkKind.SUPPLEMENT_TO,
  [DocumentType.INVOICE]: DocumentLinkKind.INVOICE_FOR,
  [DocumentType.ACT]: DocumentLinkKind.ACT_FOR,
  [DocumentType.PAYMENT_ORDER]: DocumentLinkKind.PAYMENT_FOR,
};

/** act → invoice → supplementary agreement → contract is the longest chain the link rules allow. */
const MAX_DEPTH = 3;

type LinkRow = { target_id: string; target_type: DocumentType };

async function targetsOf(em: EntityManager, documentId: string, kind: DocumentLinkKind): Promise<LinkRow[]> {
  return em.execute<LinkRow[]>(
    `select l.target_id, t.type as target_type from document_links l join documents t on t.id = l.target_id
      where l.source_id = ? and l.kind = ? order by l.created_at, l.id`,
    [documentId, kind],
  );
}

/**
 * The contract a document belongs to and the invoice it refers to, by its links (the oldest link wins when there are
 * several): SUPPLEMENT_TO / INVOICE_FOR / ACT_FOR / PAYMENT_FOR → a contract gives the contract; an INVOICE_FOR → a
 * supplementary agreement gives that agreement's contract; an ACT_FOR / PAYMENT_FOR → an invoice gives the invoice and
 * that invoice's contract (unless the document is linked to a contract directly). A contract belongs to none.
 */
export async function financeLinksOf(em: EntityManager, document: { id: string; type: DocumentType }, depth = 0): Promise<FinanceLinks> {
  const kind = KIND_OF_TYPE[document.type];
  if (!kind || depth >= MAX_DEPTH) return { contractId: null, invoiceId: null };
  const targets = await targetsOf(em, document.id, kind);
  const invoice = document.type === DocumentType.ACT || document.type === DocumentType.PAYMENT_ORDER ? (targets.find((row) => row.target_type === DocumentType.INVOICE) ?? null) : null;
  const contract = targets.find((row) => row.target_type === DocumentType.CONTRACT);
  if (contract) return { contractId: contract.target_id, invoiceId: invoice?.target_id ?? null };
  // No direct contract link: through the invoice (act, payment order) or the supplementary agreement (invoice).
  const via = invoice ?? targets.find((row) => row.target_type === DocumentType.SUPPLEMENTARY_AGREEMENT) ?? null;
  const contractId = via ? (await financeLinksOf(em, { id: via.target_id, type: via.target_type }, depth + 1)).contractId : null;
  return { contractId, invoiceId: invoice?.target_id ?? null };
}

/**
 * The documents whose contract/invoice may change when the finance links of `documentId` change: the document itself
 * and those that resolve through it (an act or a payment order of an invoice, an invoice of an agreement …).
 */
export async function financeDependentsOf(em: EntityManager, documentId: string): Promise<string[]> {
  const found = new Set([documentId]);
  let frontier = [documentId];
  for (let depth = 0; depth < MAX_DEPTH && frontier.length; depth += 1) {
    const rows = await em.execute<{ source_id: string }[]>('select distinct source_id from document_links where target_id = any(array[?]::uuid[]) and kind in (?)', [frontier, [...FINANCE_LINK_KINDS]]);
    frontier = rows.map((row) => row.source_id).filter((id) => !found.has(id));
    frontier.forEach((id) => found.add(id));
  }
  return [...found];
}
