import { randomUUID } from 'node:crypto';
import { DOCUMENT_SIGNED, type EventPayload, UnprocessableEventError } from '@kartoteka/kit';
import { startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { financeSubgraph } from '../../../subgraph';
import { FinanceDocument } from '../finance-document.entity';
import { busEvent, change, deliver, sign, signedPayload } from '../../../testing/finance.fixtures';

describe('ledger: documents\' verified facts become finance documents', () => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(financeSubgraph());
  });
  afterAll(() => subgraph?.close());

  const find = (id: string) => subgraph.orm.em.fork().findOne(FinanceDocument, { id });

  it('stores a signed contract, invoice and act with the figures they carry', async () => {
    const counterpartyId = randomUUID();
    const contractId = await sign(subgraph.orm, {
      documentType: 'CONTRACT',
      counterpartyId,
      number: 'Д-1/2026',
      title: 'Поставка серверов',
      date: '2026-01-15',
      amountMinor: 1_200_000_00,
      startDate: '2026-01-15',
      endDate: '2026-12-31',
      status: 'IN_FORCE',
      responsibleId: '00000000-0000-4000-8000-000000000002',
      contractId: randomUUID(), // a contract never belongs to a contract: ignored
    });
    const invoiceId = await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId, contractId, amountMinor: 400_000_00, date: '2026-02-01', dueDate: '2026-02-11' });
    const actId = await sign(subgraph.orm, { documentType: 'ACT', counterpartyId, contractId, invoiceId, amountMinor: 400_000_00, date: '2026-02-20', periodEnd: '2026-02-20' });

    const contract = await find(contractId);
    expect(contract).toMatchObject({
      type: 'CONTRACT', counterpartyId, contractId: null, number: 'Д-1/2026', title: 'Поставка серверов', date: '2026-01-15', amountMinor: 1_200_000_00,
      currency: 'RUB', startDate: '2026-01-15', endDate: '2026-12-31', status: 'IN_FORCE', verified: true, responsibleId: '00000000-0000-4000-8000-000000000002',
    });
    expect(await find(invoiceId)).toMatchObject({ type: 'INVOICE', contractId, invoiceId: null, amountMinor: 400_000_00, dueDate: '2026-02-11' });
    expect(await find(actId)).toMatchObject({ type: 'ACT', contractId, invoiceId, periodEnd: '2026-02-20', dueDate: null });
  });

  it('keeps the document date, or the sign-off date when the document has none', async () => {
    const id = await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId: randomUUID(), signedAt: '2026-03-05T10:00:00.000Z', date: null, amountMinor: 100 });
    expect((await find(id))?.date).toBe('2026-03-05');
  });

  it('ignores documents that are not money facts — a signed PAYMENT_ORDER is an order, not a payment', async () => {
    const counterpartyId = randomUUID();
    const order = await sign(subgraph.orm, { documentType: 'PAYMENT_ORDER', counterpartyId, amountMinor: 500_00 });
    const letter = await sign(subgraph.orm, { documentType: 'LETTER_OUTGOING', counterpartyId });
    expect(await find(order)).toBeNull();
    expect(await find(letter)).toBeNull();
    expect(await subgraph.orm.em.fork().count(FinanceDocument, { counterpartyId })).toBe(0);
  });

  it('the newest event wins: a signed event redelivered late does not undo a later change', async () => {
    const counterpartyId = randomUUID();
    const contractId = randomUUID();
    const original = signedPayload({ documentType: 'INVOICE', counterpartyId, amountMinor: 100_00, signedAt: '2026-04-01T09:00:00.000Z' });
    await deliver(subgraph.orm, busEvent(DOCUMENT_SIGNED, original as unknown as EventPayload));
    await change(subgraph.orm, { documentId: original.documentId, documentType: 'INVOICE', status: 'EXECUTED', contractId, invoiceId: null, changedAt: '2026-04-02T09:00:00.000Z' });
    expect(await find(original.documentId)).toMatchObject({ status: 'EXECUTED', contractId, verified: true });

    // the first event again (a redelivery, a replay): older than what is stored, so nothing changes
    await deliver(subgraph.orm, busEvent(DOCUMENT_SIGNED, original as unknown as EventPayload));
    expect(await find(original.documentId)).toMatchObject({ status: 'EXECUTED', contractId });

    // an older change arriving late changes nothing either
    await change(subgraph.orm, { documentId: original.documentId, documentType: 'INVOICE', status: 'SIGNED', contractId: null, invoiceId: null, changedAt: '2026-04-01T12:00:00.000Z' });
    expect(await find(original.documentId)).toMatchObject({ status: 'EXECUTED', contractId });

    // a newer signature (signed again after a change) replaces the figures
    await deliver(subgraph.orm, busEvent(DOCUMENT_SIGNED, { ...original, amountMinor: 150_00, status: 'SIGNED', signedAt: '2026-04-03T09:00:00.000Z' } as unknown as EventPayload));
    expect(await find(original.documentId)).toMatchObject({ amountMinor: 150_00, status: 'SIGNED', contractId: null });
  });

  it('a CANCELLED document is no longer verified; links follow the changes', async () => {
    const counterpartyId = randomUUID();
    const contractId = await sign(subgraph.orm, { documentType: 'CONTRACT', counterpartyId, amountMinor: 1000_00 });
    const actId = await sign(subgraph.orm, { documentType: 'ACT', counterpartyId, amountMinor: 100_00 });
    const invoiceId = randomUUID();
    const later = new Date(Date.now() + 60_000).toISOString();
    await change(subgraph.orm, { documentId: actId, documentType: 'ACT', status: 'SIGNED', contractId, invoiceId, changedAt: later });
    expect(await find(actId)).toMatchObject({ contractId, invoiceId, verified: true });

    await change(subgraph.orm, { documentId: contractId, documentType: 'CONTRACT', status: 'CANCELLED', contractId: randomUUID(), invoiceId: null, changedAt: later });
    expect(await find(contractId)).toMatchObject({ status: 'CANCELLED', verified: false, contractId: null });
  });

  it('ignores a change of a document it never saw signed (only signed documents are facts)', async () => {
    const documentId = randomUUID();
    await change(subgraph.orm, { documentId, documentType: 'INVOICE', status: 'EXECUTED', contractId: null, invoiceId: null, changedAt: new Date().toISOString() });
    expect(await find(documentId)).toBeNull();
  });

  it('recomputes the counterparty\'s rating in the same transaction; a PAYMENT_ORDER or an unknown change moves nothing', async () => {
    const counterpartyId = randomUUID();
    const ratingOf = async () =>
      subgraph.orm.em.fork().getConnection().execute<{ computed_at: string }[]>('select computed_at from ratings where counterparty_id = ?', [counterpartyId]);
    await sign(subgraph.orm, { documentType: 'PAYMENT_ORDER', counterpartyId, amountMinor: 100_00 });
    expect(await ratingOf()).toHaveLength(0);
    const contractId = await sign(subgraph.orm, { documentType: 'CONTRACT', counterpartyId, amountMinor: 100_00 });
    const [first] = await ratingOf();
    expect(first).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await change(subgraph.orm, { documentId: contractId, documentType: 'CONTRACT', status: 'TERMINATED', contractId: null, invoiceId: null, changedAt: new Date(Date.now() + 1000).toISOString() });
    const [second] = await ratingOf();
    expect(new Date(second.computed_at).getTime()).toBeGreaterThan(new Date(first.computed_at).getTime());
    expect(await find(contractId)).toMatchObject({ status: 'TERMINATED', verified: true });
  });

  it('parks a malformed payload', async () => {
    await expect(deliver(subgraph.orm, busEvent(DOCUMENT_SIGNED, { documentId: 'nope', documentType: 'INVOICE' }))).rejects.toBeInstanceOf(UnprocessableEventError);
    await expect(
      deliver(subgraph.orm, busEvent(DOCUMENT_SIGNED, signedPayload({ documentType: 'INVOICE', counterpartyId: randomUUID(), dueDate: '2026-02-30' }) as unknown as EventPayload)),
    ).rejects.toBeInstanceOf(UnprocessableEventError);
  });
});
