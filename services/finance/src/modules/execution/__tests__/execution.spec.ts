import { randomUUID } from 'node:crypto';
import { ANONYMOUS } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { financeSubgraph } from '../../../subgraph';
import { change, daysAgo, daysAhead, sign, storePayment } from '../../../testing/finance.fixtures';
import { PaymentDirection, PaymentMatchStatus } from '../../payment/payment.entity';

const EXECUTION = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Document { id execution {
  contractId number title date direction termsSet status currency
  contracted { minor } invoiced { minor } delivered { minor } paid { minor } outstanding { minor } overdue { minor } overdueDays nextDueDate
  schedule { kind amount { minor } resolvedDueDate settled { minor } state daysLate }
  invoices { id type number date amount { minor currency } dueDate document { id } }
  acts { id type amount { minor } }
  payments { id number date amount { minor currency } matchStatus invoice { id } counterparty { id } }
} } } }`;
const SET = 'mutation($input: ContractTermsInput!) { setContractTerms(input: $input) { contractId } }';

type Money = { minor: number; currency?: string };
type Execution = {
  contractId: string; number: string | null; title: string | null; date: string | null; direction: string; termsSet: boolean; status: string; currency: string;
  contracted: Money; invoiced: Money; delivered: Money; paid: Money; outstanding: Money; overdue: Money; overdueDays: number; nextDueDate: string | null;
  schedule: { kind: string; amount: Money; resolvedDueDate: string | null; settled: Money; state: string; daysLate: number }[];
  invoices: { id: string; type: string; number: string | null; date: string; amount: Money; dueDate: string | null; document: { id: string } }[];
  acts: { id: string; type: string; amount: Money }[];
  payments: { id: string; number: string; date: string; amount: Money; matchStatus: string; invoice: { id: string } | null; counterparty: { id: string } | null }[];
};
type Entities = { _entities: ({ id: string; execution: Execution | null } | null)[] };

const viewer = demoIdentity('viewer@kartoteka.local');
const manager = demoIdentity('manager@kartoteka.local');

describe('Document.execution', () => {
  let subgraph: TestSubgraph;
  const queries: string[] = [];
  beforeAll(async () => {
    subgraph = await startTestSubgraph(financeSubgraph(), { onQuery: (sql) => queries.push(sql) });
  });
  afterAll(() => subgraph?.close());

  const executions = async (ids: string[], identity = viewer) => {
    const result = await subgraph.request<Entities>(EXECUTION, { representations: ids.map((id) => ({ __typename: 'Document', id })) }, identity);
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data._entities.map((entity) => entity?.execution ?? null);
  };

  /** A contract of 1 000 000 ₽: a 30 % advance (paid on time), a postpayment 10 days after the act (unpaid: overdue), one delivery (act 5 days late). */
  async function seededContract(): Promise<{ counterpartyId: string; contractId: string; invoiceId: string; actId: string; advancePaymentId: string }> {
    const counterpartyId = randomUUID();
    const contractId = await sign(subgraph.orm, { documentType: 'CONTRACT', counterpartyId, amountMinor: 1_000_000_00, number: 'Д-7', title: 'Договор поставки', status: 'IN_FORCE', date: daysAgo(60) });
    const set = await subgraph.request(SET, {
      input: {
        contractId,
        direction: 'RECEIVABLE',
        schedule: [
          { kind: 'ADVANCE', amount: { minor: 300_000_00 }, dueDate: daysAgo(40) },
          { kind: 'POSTPAYMENT', amount: { minor: 700_000_00 }, daysAfterAct: 10 },
          { kind: 'DELIVERY', amount: { minor: 1_000_000_00 }, dueDate: daysAgo(20) },
        ],
      },
    }, manager);
    expect(set.errors).toBeUndefined();
    const invoiceId = await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId, contractId, number: 'С-1', amountMinor: 300_000_00, date: daysAgo(45), dueDate: daysAgo(40) });
    const actId = await sign(subgraph.orm, { documentType: 'ACT', counterpartyId, contractId, amountMinor: 1_000_000_00, date: daysAgo(15) });
    // the advance: linked to the contract through its invoice only, paid a day early
    const advancePaymentId = await storePayment(subgraph.orm, { counterpartyId, invoiceId, amountMinor: 300_000_00, date: daysAgo(41), number: '101' });
    // money that does not count: unmatched, another counterparty, the other direction (a refund)
    await storePayment(subgraph.orm, { counterpartyId: null, contractId, amountMinor: 50_00, date: daysAgo(3), matchStatus: PaymentMatchStatus.UNMATCHED });
    await storePayment(subgraph.orm, { counterpartyId: randomUUID(), contractId, amountMinor: 60_00, date: daysAgo(3) });
    await storePayment(subgraph.orm, { counterpartyId, contractId, amountMinor: 70_00, date: daysAgo(3), direction: PaymentDirection.OUTGOING });
    return { counterpartyId, contractId, invoiceId, actId, advancePaymentId };
  }

  it('sums what was contracted, invoiced, delivered and paid; the unpaid postpayment is overdue', async () => {
    const { contractId, counterpartyId, invoiceId, actId, advancePaymentId } = await seededContract();
    const [execution] = await executions([contractId]);
    expect(execution).toMatchObject({
      contractId, number: 'Д-7', title: 'Договор поставки', date: daysAgo(60), direction: 'RECEIVABLE', termsSet: true, status: 'IN_FORCE', currency: 'RUB',
      contracted: { minor: 1_000_000_00 }, invoiced: { minor: 300_000_00 }, delivered: { minor: 1_000_000_00 }, paid: { minor: 300_000_00 },
      outstanding: { minor: 700_000_00 }, overdue: { minor: 700_000_00 }, overdueDays: 5, nextDueDate: null,
    });
    expect(execution?.schedule).toEqual([
      { kind: 'ADVANCE', amount: { minor: 300_000_00 }, resolvedDueDate: daysAgo(40), settled: { minor: 300_000_00 }, state: 'PAID', daysLate: 0 },
      { kind: 'POSTPAYMENT', amount: { minor: 700_000_00 }, resolvedDueDate: daysAgo(5), settled: { minor: 0 }, state: 'OVERDUE', daysLate: 5 },
      { kind: 'DELIVERY', amount: { minor: 1_000_000_00 }, resolvedDueDate: daysAgo(20), settled: { minor: 1_000_000_00 }, state: 'PAID', daysLate: 5 }, // the act came 5 days late
    ]);
    expect(execution?.invoices).toEqual([{ id: invoiceId, type: 'INVOICE', number: 'С-1', date: daysAgo(45), amount: { minor: 300_000_00, currency: 'RUB' }, dueDate: daysAgo(40), document: { id: invoiceId } }]);
    expect(execution?.acts).toEqual([{ id: actId, type: 'ACT', amount: { minor: 1_000_000_00 } }]);
    expect(execution?.payments).toEqual([{ id: advancePaymentId, number: '101', date: daysAgo(41), amount: { minor: 300_000_00, currency: 'RUB' }, matchStatus: 'MATCHED', invoice: { id: invoiceId }, counterparty: { id: counterpartyId } }]);
  });

  it('is null for anything but a verified contract', async () => {
    const counterpartyId = randomUUID();
    const invoiceId = await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId, amountMinor: 100 });
    const cancelled = await sign(subgraph.orm, { documentType: 'CONTRACT', counterpartyId, amountMinor: 100 });
    await change(subgraph.orm, { documentId: cancelled, documentType: 'CONTRACT', status: 'CANCELLED', contractId: null, invoiceId: null, changedAt: new Date(Date.now() + 1000).toISOString() });
    expect(await executions([invoiceId, cancelled, randomUUID(), 'not-a-uuid'])).toEqual([null, null, null, null]);
  });

  it('without terms: RECEIVABLE, the invoices are the obligations', async () => {
    const counterpartyId = randomUUID();
    const contractId = await sign(subgraph.orm, { documentType: 'CONTRACT', counterpartyId, amountMinor: null });
    await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId, contractId, amountMinor: 200_00, date: daysAgo(10), dueDate: daysAhead(5) });
    await storePayment(subgraph.orm, { counterpartyId, contractId, amountMinor: 50_00, date: daysAgo(1) });
    const [execution] = await executions([contractId]);
    expect(execution).toMatchObject({ direction: 'RECEIVABLE', termsSet: false, contracted: { minor: 0 }, invoiced: { minor: 200_00 }, paid: { minor: 50_00 }, outstanding: { minor: 150_00 }, overdue: { minor: 0 }, nextDueDate: daysAhead(5), schedule: [] });
  });

  it('a list of contracts costs the same statements as one', async () => {
    const one = await seededContract();
    const more = await Promise.all([seededContract(), seededContract(), seededContract()]);
    queries.length = 0;
    await executions([one.contractId]);
    const single = queries.length;
    queries.length = 0;
    const many = await executions([one.contractId, ...more.map((seeded) => seeded.contractId)]);
    expect(many.every((execution) => execution?.overdue.minor === 700_000_00)).toBe(true);
    expect(queries.length).toBe(single);
  });

  it('needs finance:read', async () => {
    const result = await subgraph.request(EXECUTION, { representations: [{ __typename: 'Document', id: randomUUID() }] }, ANONYMOUS);
    expect(result.errors?.[0].extensions?.code).toMatch(/UNAUTHENTICATED|FORBIDDEN/);
  });
});
