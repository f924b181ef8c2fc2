import { randomUUID } from 'node:crypto';
import { createLogger, OBLIGATION_OVERDUE, obligationOverdueContract, type ObligationOverdue } from '@kartoteka/kit';
import { demoIdentity, seedCounterpartyRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { financeSubgraph } from '../../../subgraph';
import { daysAgo, daysAhead, sign, storePayment } from '../../../testing/finance.fixtures';
import { overdueJob } from '../overdue.job';

const SET = 'mutation($input: ContractTermsInput!) { setContractTerms(input: $input) { contractId } }';
const manager = demoIdentity('manager@kartoteka.local');
const RESPONSIBLE = '00000000-0000-4000-8000-000000000002';
const ACCOUNTANT = '00000000-0000-4000-8000-000000000007';
const logger = createLogger('overdue-spec', 'silent');

describe('the overdue job', () => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(financeSubgraph());
  });
  afterAll(() => subgraph?.close());

  const job = () => overdueJob({ orm: subgraph.orm, logger, intervalMs: 60_000 });
  const announced = async (): Promise<ObligationOverdue[]> => {
    const rows = await subgraph.orm.em.fork().getConnection().execute<{ payload: unknown }[]>(`select payload from outbox_events where topic = ? order by created_at, id`, [OBLIGATION_OVERDUE]);
    return rows.map((row) => {
      const parsed = obligationOverdueContract.parse({ payload: row.payload as never });
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.value;
    });
  };

  /** A contract with a payment 3 days overdue (500 ₽, 200 ₽ paid), a future advance, and an invoice outside contracts 2 days overdue. */
  async function seeded(): Promise<{ counterpartyId: string; contractId: string; invoiceId: string; paymentItemId: string }> {
    const counterpartyId = randomUUID();
    await seedCounterpartyRefs(subgraph.orm.em, [{ id: counterpartyId, name: 'ООО «Поздний плательщик»', shortName: 'Поздний плательщик' }]);
    const contractId = await sign(subgraph.orm, { documentType: 'CONTRACT', counterpartyId, number: 'Д-42', amountMinor: 1500_00, responsibleId: RESPONSIBLE });
    const set = await subgraph.request<{ setContractTerms: { contractId: string } }>(SET, {
      input: { contractId, direction: 'RECEIVABLE', schedule: [{ kind: 'PAYMENT', amount: { minor: 500_00 }, dueDate: daysAgo(3) }, { kind: 'ADVANCE', amount: { minor: 1000_00 }, dueDate: daysAhead(3) }] },
    }, manager);
    expect(set.errors).toBeUndefined();
    await storePayment(subgraph.orm, { counterpartyId, contractId, amountMinor: 200_00, date: daysAgo(5) });
    const invoiceId = await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId, number: 'С-9', amountMinor: 100_00, date: daysAgo(12), dueDate: daysAgo(2), responsibleId: ACCOUNTANT });
    const [item] = await subgraph.orm.em.fork().getConnection().execute<{ id: string }[]>(`select id from schedule_items where contract_id = ? and kind = 'PAYMENT'`, [contractId]);
    return { counterpartyId, contractId, invoiceId, paymentItemId: item.id };
  }

  it('announces each overdue obligation once, with whom to notify', async () => {
    const { counterpartyId, contractId, invoiceId, paymentItemId } = await seeded();
    const overdue = job();
    expect(await overdue.runOnce()).toBe(true);
    // the first run of the day also refreshes the ratings of counterparties with open obligations (once a day)
    expect(overdue.lastResult()).toMatchObject({ published: 2 });
    expect(overdue.lastResult()?.ratingsRefreshed).toBeGreaterThanOrEqual(1);
    const rating = await subgraph.orm.em.fork().getConnection().execute<{ counterparty_id: string }[]>('select counterparty_id from ratings where counterparty_id = ?', [counterpartyId]);
    expect(rating).toHaveLength(1);
    const events = await announced();
    expect(events).toHaveLength(2);
    expect(events).toEqual(
      expect.arrayContaining([
        {
          obligationKey: `schedule:${paymentItemId}`, counterpartyId, counterpartyName: 'Поздний плательщик', contractId, documentId: contractId, documentNumber: 'Д-42',
          responsibleId: RESPONSIBLE, direction: 'RECEIVABLE', amountMinor: 300_00, currency: 'RUB', dueDate: daysAgo(3), daysOverdue: 3,
        },
        {
          obligationKey: `invoice:${invoiceId}`, counterpartyId, counterpartyName: 'Поздний плательщик', contractId: null, documentId: invoiceId, documentNumber: 'С-9',
          responsibleId: ACCOUNTANT, direction: 'RECEIVABLE', amountMinor: 100_00, currency: 'RUB', dueDate: daysAgo(2), daysOverdue: 2,
        },
      ]),
    );

    // the next runs (this instance or another) announce nothing new
    expect(await overdue.runOnce()).toBe(true);
    expect(overdue.lastResult()).toEqual({ published: 0, ratingsRefreshed: 0 });
    expect(await job().runOnce()).toBe(true);
    expect(await announced()).toHaveLength(2);
  });

  it('two instances running at once announce a new obligation once', async () => {
    const before = (await announced()).length;
    await seeded();
    const results = await Promise.all([job().runOnce(), job().runOnce(), job().runOnce()]);
    expect(results).toContain(true);
    expect((await announced()).length).toBe(before + 2);
  });

  it('works through the counterparties in batches (keyset pages): every overdue obligation announced once, whatever the batch size', async () => {
    const before = (await announced()).length;
    const counterparties = Array.from({ length: 5 }, () => randomUUID());
    const invoices: string[] = [];
    for (const counterpartyId of counterparties) {
      invoices.push(await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId, amountMinor: 10_00, date: daysAgo(9), dueDate: daysAgo(1) }));
    }
    const small = overdueJob({ orm: subgraph.orm, logger, intervalMs: 60_000, batchSize: 2 });
    expect(await small.runOnce()).toBe(true);
    expect(small.lastResult()?.published).toBe(5);
    const events = (await announced()).slice(before);
    expect(events.map((event) => event.obligationKey).sort()).toEqual(invoices.map((id) => `invoice:${id}`).sort());
    expect(events.map((event) => event.counterpartyId).sort()).toEqual([...counterparties].sort());
    // a page of one, or the default size: nothing new
    const tiny = overdueJob({ orm: subgraph.orm, logger, intervalMs: 60_000, batchSize: 1 });
    expect(await tiny.runOnce()).toBe(true);
    expect(tiny.lastResult()?.published).toBe(0);
    expect(await job().runOnce()).toBe(true);
    expect((await announced()).length).toBe(before + 5);
  });

  it('announces nothing that is not overdue', async () => {
    const before = (await announced()).length;
    const counterpartyId = randomUUID();
    const paid = await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId, amountMinor: 100_00, dueDate: daysAgo(4), date: daysAgo(10) });
    await storePayment(subgraph.orm, { counterpartyId, invoiceId: paid, amountMinor: 100_00, date: daysAgo(6) });
    await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId, amountMinor: 100_00, dueDate: daysAhead(1), date: daysAgo(1) });
    expect(await job().runOnce()).toBe(true);
    expect((await announced()).length).toBe(before);
  });
});
