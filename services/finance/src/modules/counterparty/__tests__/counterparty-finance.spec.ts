import { randomUUID } from 'node:crypto';
import { todayUtc } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { financeSubgraph } from '../../../subgraph';
import { daysAgo, daysAhead, sign, storePayment } from '../../../testing/finance.fixtures';
import { PaymentDirection } from '../../payment/payment.entity';
import { lastTwelveMonths } from '../counterparty-finance.service';

const FINANCE = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Counterparty { id finance {
  currency receivable { minor currency } payable { minor } overdue { minor } overdueDays
  lastPayment { id number date amount { minor } }
  contracts { contractId direction outstanding { minor } overdue { minor } }
  months { month invoiced { minor } paid { minor } }
} } } }`;
const SET = 'mutation($input: ContractTermsInput!) { setContractTerms(input: $input) { contractId } }';

type Finance = {
  currency: string; receivable: { minor: number; currency: string }; payable: { minor: number }; overdue: { minor: number }; overdueDays: number;
  lastPayment: { id: string; number: string; date: string; amount: { minor: number } } | null;
  contracts: { contractId: string; direction: string; outstanding: { minor: number }; overdue: { minor: number } }[];
  months: { month: string; invoiced: { minor: number }; paid: { minor: number } }[];
};

const viewer = demoIdentity('viewer@kartoteka.local');
const manager = demoIdentity('manager@kartoteka.local');

describe('Counterparty.finance', () => {
  let subgraph: TestSubgraph;
  const queries: string[] = [];
  beforeAll(async () => {
    subgraph = await startTestSubgraph(financeSubgraph(), { onQuery: (sql) => queries.push(sql) });
  });
  afterAll(() => subgraph?.close());

  const finances = async (ids: string[]) => {
    const result = await subgraph.request<{ _entities: { id: string; finance: Finance }[] }>(FINANCE, { representations: ids.map((id) => ({ __typename: 'Counterparty', id })) }, viewer);
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data._entities.map((entity) => entity.finance);
  };

  /**
   * A client: a receivable contract (1 000 ₽ invoiced, due 10 days ago, 400 ₽ paid: 600 ₽ overdue for 10 days), an invoice
   * outside contracts (300 ₽, due in 5 days, unpaid) — and a supplier contract we pay (PAYABLE, 2 000 ₽ due in 20 days, 500 ₽ paid).
   */
  async function seeded(): Promise<{ counterpartyId: string; receivableId: string; payableId: string; lastPaymentId: string }> {
    const counterpartyId = randomUUID();
    const receivableId = await sign(subgraph.orm, { documentType: 'CONTRACT', counterpartyId, amountMinor: null, date: daysAgo(90), signedAt: new Date(Date.now() - 90 * 86_400_000).toISOString() });
    const invoice = await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId, contractId: receivableId, amountMinor: 1000_00, date: daysAgo(20), dueDate: daysAgo(10) });
    await storePayment(subgraph.orm, { counterpartyId, invoiceId: invoice, amountMinor: 400_00, date: daysAgo(12), number: '1' });
    await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId, amountMinor: 300_00, date: daysAgo(1), dueDate: daysAhead(5) });

    const payableId = await sign(subgraph.orm, { documentType: 'CONTRACT', counterpartyId, amountMinor: 2000_00, date: daysAgo(30) });
    const set = await subgraph.request(SET, { input: { contractId: payableId, direction: 'PAYABLE', schedule: [{ kind: 'PAYMENT', amount: { minor: 2000_00 }, dueDate: daysAhead(20) }] } }, manager);
    expect(set.errors).toBeUndefined();
    const lastPaymentId = await storePayment(subgraph.orm, { counterpartyId, contractId: payableId, amountMinor: 500_00, date: daysAgo(2), number: '2', direction: PaymentDirection.OUTGOING });
    return { counterpartyId, receivableId, payableId, lastPaymentId };
  }

  it('sums receivable, payable and overdue; lists contracts newest first and the last 12 months', async () => {
    const { counterpartyId, receivableId, payableId, lastPaymentId } = await seeded();
    const [finance] = await finances([counterpartyId]);
    expect(finance).toMatchObject({
      currency: 'RUB',
      receivable: { minor: 600_00 + 300_00, currency: 'RUB' },
      payable: { minor: 1500_00 },
      overdue: { minor: 600_00 },
      overdueDays: 10,
      lastPayment: { id: lastPaymentId, number: '2', date: daysAgo(2), amount: { minor: 500_00 } },
    });
    expect(finance.contracts).toEqual([
      { contractId: payableId, direction: 'PAYABLE', outstanding: { minor: 1500_00 }, overdue: { minor: 0 } },
      { contractId: receivableId, direction: 'RECEIVABLE', outstanding: { minor: 600_00 }, overdue: { minor: 0 + 600_00 } },
    ]);
    expect(finance.months.map((month) => month.month)).toEqual(lastTwelveMonths(todayUtc()));
    const total = (key: 'invoiced' | 'paid') => finance.months.reduce((sum, month) => sum + month[key].minor, 0);
    expect(total('invoiced')).toBe(1300_00);
    expect(total('paid')).toBe(900_00);
    const monthOf = (date: string) => finance.months.find((month) => month.month === date.slice(0, 7));
    expect(monthOf(daysAgo(1))?.invoiced.minor).toBeGreaterThanOrEqual(300_00);
  });

  it('is all zero for a counterparty finance knows nothing about', async () => {
    const [finance] = await finances([randomUUID()]);
    expect(finance).toMatchObject({ receivable: { minor: 0 }, payable: { minor: 0 }, overdue: { minor: 0 }, overdueDays: 0, lastPayment: null, contracts: [] });
    expect(finance.months).toHaveLength(12);
  });

  it('a list of counterparties costs the same statements as one', async () => {
    const ids = [(await seeded()).counterpartyId, (await seeded()).counterpartyId, (await seeded()).counterpartyId];
    queries.length = 0;
    await finances([ids[0]]);
    const single = queries.length;
    queries.length = 0;
    const all = await finances(ids);
    expect(all.map((finance) => finance.overdue.minor)).toEqual([600_00, 600_00, 600_00]);
    expect(queries.length).toBe(single);
  });

  it('months: the 12 months ending with the current one', () => {
    expect(lastTwelveMonths('2026-03-31')).toEqual(['2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03']);
  });
});
