import { addDays, DEMO_FINANCE_SIGNER_ID, DOCUMENT_SIGNED, DOCUMENT_VERIFIED_CHANGED, demoFinanceHistory, type DemoFinanceContract, officeTime, Prng, publishEvent, type SignedDocumentChanged, todayUtc } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DocumentLink, DocumentLinkKind } from '../modules/document/document-link.entity';
import { DocumentStatusChange } from '../modules/document/document-status-change.entity';
import { Document, DocumentStatus, DocumentType } from '../modules/document/document.entity';
import { documentSignedOf } from '../modules/document/document.events';

export type FinanceDemoDocumentsOptions = {
  /** The day the demo history ends on (YYYY-MM-DD); today by default. The finance seed must use the same day. */
  today?: string;
  /** Only the demo finance counterparties among these get documents (all of them when omitted). */
  counterpartyIds?: readonly string[];
};

type Seeded = { document: Document; final: DocumentStatus; finalAt: Date | null };

/**
 * The EDMS side of the demo finance history (kit's `demoFinanceHistory`): the contracts, invoices and acts of the demo
 * finance counterparties as signed documents — contracts IN_FORCE, EXECUTED or TERMINATED, invoices and acts SIGNED —
 * linked INVOICE_FOR / ACT_FOR to their contract (an act also ACT_FOR its invoice), with their details, status history
 * and, in the caller's transaction, the events a real sign-off publishes: `documents.document.signed` for each (a
 * contract as IN_FORCE), then `documents.document.verified-changed` for the contracts executed or terminated since.
 * Finance learns the facts from these events only. Ids are fixed (kit's demo finance ids), so finance's demo seed
 * refers to them without reading this database. Idempotent: nothing when the first demo contract exists.
 */
export async function seedFinanceDemoDocuments(em: EntityManager, options: FinanceDemoDocumentsOptions = {}): Promise<string | null> {
  const history = demoFinanceHistory(options.today ?? todayUtc());
  const wanted = options.counterpartyIds ? new Set(options.counterpartyIds) : null;
  const contracts = history.contracts.filter((contract) => !wanted || wanted.has(contract.counterpartyId));
  if (!contracts.length) return null;
  if (await em.count(Document, { id: { $in: contracts.map((contract) => contract.id) } })) return 'documents: demo finance documents exist, nothing seeded';

  const prng = new Prng(0xf1a9d0c5);
  const seeded: Seeded[] = [];
  for (const contract of contracts) seeded.push(...documentsOf(em, prng, contract));
  await em.flush();

  // As the sign-offs happened: one `signed` event each (the payload a real sign-off publishes), in the order they were
  // signed (a contract went in force on signing). Each event a millisecond after the previous one: the relay delivers
  // by creation time, so a contract's event goes before its invoices'.
  let clock = Date.now();
  const publish = async (topic: string, payload: Parameters<typeof publishEvent>[2]) => {
    const event = await publishEvent(em, topic, payload);
    clock = Math.max(clock + 1, Date.now());
    event.createdAt = new Date(clock);
  };
  const bySignature = [...seeded].sort((a, b) => a.document.signedAt!.getTime() - b.document.signedAt!.getTime() || a.document.id.localeCompare(b.document.id));
  for (const { document } of bySignature) await publish(DOCUMENT_SIGNED, await documentSignedOf(em, document));
  // Then what changed afterwards: executed and terminated contracts (a contract belongs to no contract or invoice).
  const changed = seeded.filter((item) => item.final !== item.document.status).sort((a, b) => a.finalAt!.getTime() - b.finalAt!.getTime());
  for (const item of changed) {
    em.create(DocumentStatusChange, { documentId: item.document.id, fromStatus: item.document.status, status: item.final, at: item.finalAt!, actorId: item.document.responsibleId, actorKind: 'user', reason: item.final === DocumentStatus.TERMINATED ? 'Расторгнут по соглашению сторон' : null });
    item.document.status = item.final;
    const payload: SignedDocumentChanged = { documentId: item.document.id, documentType: item.document.type, status: item.final, contractId: null, invoiceId: null, changedAt: new Date(clock + 1).toISOString() };
    await publish(DOCUMENT_VERIFIED_CHANGED, payload);
  }
  await em.flush();
  const invoices = contracts.reduce((sum, contract) => sum + contract.invoices.length, 0);
  const acts = contracts.reduce((sum, contract) => sum + contract.acts.length, 0);
  return `documents: demo finance history (${contracts.length} contracts, ${invoices} invoices, ${acts} acts, signed events published)`;
}

/** The documents of one demo contract, created signed (a contract IN_FORCE) with their status history and links. */
function documentsOf(em: EntityManager, prng: Prng, contract: DemoFinanceContract): Seeded[] {
  const result: Seeded[] = [];
  const create = (fields: Partial<Document> & Pick<Document, 'id' | 'type' | 'title' | 'date' | 'number'>, createdOn: string, signedOn: string, status: DocumentStatus): Document => {
    const createdAt = officeTime(prng, createdOn);
    const signedAt = new Date(Math.max(officeTime(prng, signedOn).getTime(), createdAt.getTime() + 3_600_000));
    const document = em.create(Document, {
      counterpartyId: contract.counterpartyId,
      amountMinor: null,
      currency: 'RUB',
      authorId: contract.responsibleId,
      responsibleId: contract.responsibleId,
      createdAt,
      updatedAt: signedAt,
      registeredAt: createdAt,
      signedAt,
      signedById: DEMO_FINANCE_SIGNER_ID,
      ...fields,
      status,
    });
    em.create(DocumentStatusChange, { documentId: document.id, fromStatus: null, status: DocumentStatus.DRAFT, at: createdAt, actorId: contract.responsibleId, actorKind: 'user' });
    em.create(DocumentStatusChange, { documentId: document.id, fromStatus: DocumentStatus.DRAFT, status: DocumentStatus.SIGNED, at: signedAt, actorId: DEMO_FINANCE_SIGNER_ID, actorKind: 'user' });
    return document;
  };
  const link = (source: Document, targetId: string, kind: DocumentLinkKind) => em.create(DocumentLink, { sourceId: source.id, targetId, kind, createdById: contract.responsibleId, createdAt: source.createdAt, updatedAt: source.createdAt });

  const document = create(
    {
      id: contract.id,
      type: DocumentType.CONTRACT,
      number: contract.number,
      date: contract.date,
      title: contract.title,
      amountMinor: contract.amountMinor,
      subject: contract.subject,
      startDate: contract.startDate,
      endDate: contract.endDate,
      paymentTerms: contract.paymentTerms,
      summary: contract.direction === 'RECEIVABLE' ? 'Доходный договор: оплачивает контрагент' : 'Расходный договор: оплачиваем мы',
    },
    addDays(contract.date, -prng.int(2, 6)),
    contract.date,
    DocumentStatus.IN_FORCE,
  );
  // Signed, then in force (the start date has come by the signature, or on it).
  const inForceAt = contract.startDate <= contract.date ? document.signedAt! : officeTime(prng, contract.startDate);
  em.create(DocumentStatusChange, { documentId: document.id, fromStatus: DocumentStatus.SIGNED, status: DocumentStatus.IN_FORCE, at: inForceAt, actorKind: 'system', reason: 'start date reached' });
  document.updatedAt = inForceAt;
  result.push({ document, final: DocumentStatus[contract.status], finalAt: contract.closedOn ? officeTime(prng, contract.closedOn) : null });

  for (const invoice of contract.invoices) {
    const created = create(
      { id: invoice.id, type: DocumentType.INVOICE, number: invoice.number, date: invoice.date, title: invoice.title, amountMinor: invoice.amountMinor, vatMinor: invoice.vatMinor, dueDate: invoice.dueDate },
      invoice.date,
      invoice.date,
      DocumentStatus.SIGNED,
    );
    link(created, contract.id, DocumentLinkKind.INVOICE_FOR);
    result.push({ document: created, final: DocumentStatus.SIGNED, finalAt: null });
  }
  for (const act of contract.acts) {
    const created = create(
      { id: act.id, type: DocumentType.ACT, number: act.number, date: act.date, title: act.title, amountMinor: act.amountMinor, vatMinor: act.vatMinor, periodStart: act.periodStart, periodEnd: act.periodEnd },
      act.date,
      act.date,
      DocumentStatus.SIGNED,
    );
    link(created, contract.id, DocumentLinkKind.ACT_FOR);
    if (act.invoiceId) link(created, act.invoiceId, DocumentLinkKind.ACT_FOR);
    result.push({ document: created, final: DocumentStatus.SIGNED, finalAt: null });
  }
  return result;
}
