import { DEMO_COUNTERPARTY_IDS, DOCUMENT_SIGNED, DOCUMENT_VERIFIED_CHANGED, demoFinanceHistory, documentSignedContract, signedDocumentChangedContract } from '@kartoteka/kit';
import { startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings } from '../../config';
import { documentsSubgraph } from '../../subgraph';
import { seedDocuments } from '../documents.seed';
import { seedFinanceDemoDocuments } from '../finance-demo.seed';

let subgraph: TestSubgraph;
const today = '2026-12-06';
const history = demoFinanceHistory(today);
const contracts = history.contracts;
const invoices = contracts.flatMap((contract) => contract.invoices);
const acts = contracts.flatMap((contract) => contract.acts);

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }));
});
afterAll(() => subgraph?.close());

const sql = <T>(query: string, params: unknown[] = []) => subgraph.orm.em.getConnection().execute<T[]>(query, params);
const outbox = (topic: string) => sql<{ payload: Record<string, unknown> }>('select payload from outbox_events where topic = ? order by created_at, id', [topic]);

describe('the demo finance history in the EDMS', () => {
  it('creates the signed contracts, invoices and acts with their links, and publishes a signed event for each, once', async () => {
    const em = subgraph.orm.em.fork();
    const message = await em.transactional((tem) => seedFinanceDemoDocuments(tem, { today }));
    expect(message).toBe(`documents: demo finance history (${contracts.length} contracts, ${invoices.length} invoices, ${acts.length} acts, signed events published)`);

    const rows = await sql<{ id: string; type: string; status: string; number: string; date: string; amount_minor: string; due_date: string | null; start_date: string | null; end_date: string | null; period_end: string | null; signed_at: Date | null }>(
      `select id, type, status, number, to_char(date, 'YYYY-MM-DD') as date, amount_minor, to_char(due_date, 'YYYY-MM-DD') as due_date, to_char(start_date, 'YYYY-MM-DD') as start_date,
              to_char(end_date, 'YYYY-MM-DD') as end_date, to_char(period_end, 'YYYY-MM-DD') as period_end, signed_at from documents`,
    );
    expect(rows).toHaveLength(contracts.length + invoices.length + acts.length);
    expect(rows.every((row) => row.signed_at !== null)).toBe(true);
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const contract of contracts) expect(byId.get(contract.id)).toMatchObject({ type: 'CONTRACT', status: contract.status, number: contract.number, start_date: contract.startDate, end_date: contract.endDate });
    for (const invoice of invoices) expect(byId.get(invoice.id)).toMatchObject({ type: 'INVOICE', status: 'SIGNED', number: invoice.number, date: invoice.date, due_date: invoice.dueDate, amount_minor: String(invoice.amountMinor) });
    for (const act of acts) expect(byId.get(act.id)).toMatchObject({ type: 'ACT', status: 'SIGNED', period_end: act.periodEnd });
    const links = await sql<{ source_id: string; target_id: string; kind: string }>('select source_id, target_id, kind from document_links');
    expect(links).toHaveLength(invoices.length + acts.length + acts.filter((act) => act.invoiceId).length);
    expect(links).toEqual(expect.arrayContaining(invoices.map((invoice) => ({ source_id: invoice.id, target_id: invoice.contractId, kind: 'INVOICE_FOR' }))));
    expect(links).toEqual(expect.arrayContaining(acts.map((act) => ({ source_id: act.id, target_id: act.contractId, kind: 'ACT_FOR' }))));

    // One `documents.document.signed` per document, valid under kit's contract, with what finance needs.
    const signed = (await outbox(DOCUMENT_SIGNED)).map((row) => {
      const parsed = documentSignedContract.parse({ payload: row.payload as never });
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.value;
    });
    expect(signed).toHaveLength(rows.length);
    const event = new Map(signed.map((payload) => [payload.documentId, payload]));
    for (const contract of contracts) {
      expect(event.get(contract.id)).toMatchObject({ documentType: 'CONTRACT', status: 'IN_FORCE', counterpartyId: contract.counterpartyId, contractId: null, startDate: contract.startDate, endDate: contract.endDate, amountMinor: contract.amountMinor, currency: 'RUB', responsibleId: contract.responsibleId });
    }
    for (const invoice of invoices) {
      expect(event.get(invoice.id)).toMatchObject({ documentType: 'INVOICE', status: 'SIGNED', number: invoice.number, date: invoice.date, contractId: invoice.contractId, invoiceId: null, dueDate: invoice.dueDate, amountMinor: invoice.amountMinor });
    }
    for (const act of acts) expect(event.get(act.id)).toMatchObject({ documentType: 'ACT', contractId: act.contractId, invoiceId: act.invoiceId, periodEnd: act.periodEnd, amountMinor: act.amountMinor });
    // In the order of the signatures: a contract before its invoices.
    const order = signed.map((payload) => payload.documentId);
    for (const invoice of invoices) expect(order.indexOf(invoice.contractId)).toBeLessThan(order.indexOf(invoice.id));

    // Contracts executed or terminated since their signature: a status change each, published as verified-changed.
    const changed = (await outbox(DOCUMENT_VERIFIED_CHANGED)).map((row) => {
      const parsed = signedDocumentChangedContract.parse({ payload: row.payload as never });
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.value;
    });
    const later = contracts.filter((contract) => contract.status !== 'IN_FORCE');
    expect(changed.map((payload) => [payload.documentId, payload.status]).sort()).toEqual(later.map((contract) => [contract.id, contract.status]).sort());
    expect(later.some((contract) => contract.status === 'TERMINATED')).toBe(true);
    const terminated = later.find((contract) => contract.status === 'TERMINATED')!;
    const history = await sql<{ from_status: string | null; status: string }>('select from_status, status from document_status_changes where document_id = ? order by seq', [terminated.id]);
    expect(history).toEqual([
      { from_status: null, status: 'DRAFT' },
      { from_status: 'DRAFT', status: 'SIGNED' },
      { from_status: 'SIGNED', status: 'IN_FORCE' },
      { from_status: 'IN_FORCE', status: 'TERMINATED' },
    ]);

    // Once.
    expect(await em.fork().transactional((tem) => seedFinanceDemoDocuments(tem, { today }))).toBe('documents: demo finance documents exist, nothing seeded');
    expect(await sql('select id from documents')).toHaveLength(rows.length);
    expect(await outbox(DOCUMENT_SIGNED)).toHaveLength(rows.length);
  });

  it('comes with the demo archive for the demo counterparties, and not for others', async () => {
    await sql('delete from document_links');
    await sql('delete from document_status_changes');
    await sql('delete from documents');
    await sql('delete from outbox_events');
    const others = ['8d0c0000-5eed-4000-8000-000000000000', '8d0c0001-5eed-4000-8000-000000000001'];
    expect(await subgraph.orm.em.fork().transactional((em) => seedDocuments(em, { counterpartyIds: others, today, minimum: 10 }))).toMatch(/^documents: \d+ demo documents for 2 counterparties$/);
    expect(await outbox(DOCUMENT_SIGNED)).toHaveLength(0);

    await sql('delete from document_links');
    await sql('delete from document_status_changes');
    await sql('delete from documents');
    const message = await subgraph.orm.em.fork().transactional((em) => seedDocuments(em, { counterpartyIds: DEMO_COUNTERPARTY_IDS.slice(0, 12), today, minimum: 20 }));
    expect(message).toMatch(/^documents: \d+ demo documents for 12 counterparties\ndocuments: demo finance history \(\d+ contracts/);
    const seededContracts = contracts.filter((contract) => DEMO_COUNTERPARTY_IDS.slice(0, 12).includes(contract.counterpartyId));
    expect(seededContracts.length).toBeGreaterThan(0);
    expect(seededContracts.length).toBeLessThan(contracts.length);
    const ids = new Set((await sql<{ id: string }>('select id from documents')).map((row) => row.id));
    expect(contracts.map((contract) => ids.has(contract.id))).toEqual(contracts.map((contract) => seededContracts.includes(contract)));
  });
});
