import { randomUUID } from 'node:crypto';
import { apiKeyIdentity, COUNTERPARTY_CHANGED, COUNTERPARTY_CREATED, type EventPayload } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { financeSubgraph } from '../../../subgraph';
import { busEvent, daysAgo, daysAhead, deliver, sign, storePayment } from '../../../testing/finance.fixtures';

const MINE = `query($first: Int, $after: String) { myOverdueReceivables(first: $first, after: $after) {
  totalCount totals { minor currency } pageInfo { hasNextPage endCursor }
  edges { cursor node { key counterparty { id } counterpartyName document { id } documentId documentType documentNumber contractId contractNumber dueDate daysOverdue outstanding { minor currency } } }
} }`;

type Row = {
  key: string; counterparty: { id: string }; counterpartyName: string; document: { id: string }; documentId: string; documentType: string; documentNumber: string | null;
  contractId: string | null; contractNumber: string | null; dueDate: string; daysOverdue: number; outstanding: { minor: number; currency: string };
};
type Page = { totalCount: number; totals: { minor: number; currency: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: Row }[] };

const manager = demoIdentity('manager@kartoteka.local');
const sales = demoIdentity('sales@kartoteka.local');
const managerId = manager.kind === 'user' ? manager.id : '';
const salesId = sales.kind === 'user' ? sales.id : '';

describe('myOverdueReceivables: the overdue invoices of my counterparties', () => {
  let subgraph: TestSubgraph;
  const queries: string[] = [];
  beforeAll(async () => {
    subgraph = await startTestSubgraph(financeSubgraph(), { onQuery: (sql) => queries.push(sql) });
  });
  afterAll(() => subgraph?.close());

  let inn = 7700000000;
  /** A counterparty as the counterparties service announces it, with its responsible manager. */
  async function counterparty(name: string, responsibleManagerId: string | null, options: { id?: string; topic?: string; updatedAt?: Date } = {}): Promise<string> {
    const id = options.id ?? randomUUID();
    const payload = { id, name, shortName: name, inn: String(inn++), kpp: null, status: 'CLIENT', responsibleManagerId, updatedAt: (options.updatedAt ?? new Date()).toISOString() };
    await deliver(subgraph.orm, busEvent(options.topic ?? COUNTERPARTY_CREATED, payload as unknown as EventPayload, 'counterparties'));
    return id;
  }

  const mine = async (identity = manager, variables: Record<string, unknown> = { first: 10 }) => {
    const result = await subgraph.request<{ myOverdueReceivables: Page }>(MINE, variables, identity);
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.myOverdueReceivables;
  };

  /** A receivable contract (1 000 ₽ invoiced, due 30 days ago, 400 ₽ paid) and an unpaid invoice outside contracts (500 ₽, due 10 days ago). */
  async function owing(counterpartyId: string): Promise<{ contractId: string; contractInvoice: string; looseInvoice: string }> {
    const contractId = await sign(subgraph.orm, { documentType: 'CONTRACT', counterpartyId, number: 'Д-7', amountMinor: 1000_00, date: daysAgo(60) });
    const contractInvoice = await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId, contractId, number: 'С-1', amountMinor: 1000_00, date: daysAgo(40), dueDate: daysAgo(30) });
    await storePayment(subgraph.orm, { counterpartyId, invoiceId: contractInvoice, amountMinor: 400_00, date: daysAgo(35) });
    const looseInvoice = await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId, number: 'С-2', amountMinor: 500_00, date: daysAgo(20), dueDate: daysAgo(10) });
    // not overdue yet, and a paid one: neither is listed
    await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId, amountMinor: 700_00, date: daysAgo(1), dueDate: daysAhead(5) });
    const paid = await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId, amountMinor: 200_00, date: daysAgo(20), dueDate: daysAgo(15) });
    await storePayment(subgraph.orm, { counterpartyId, invoiceId: paid, amountMinor: 200_00, date: daysAgo(16) });
    return { contractId, contractInvoice, looseInvoice };
  }

  let mineId = '';
  let owed: Awaited<ReturnType<typeof owing>>;

  it('lists the overdue receivables of the counterparties I manage, the longest overdue first, with the totals', async () => {
    mineId = await counterparty('ООО «Мой клиент»', managerId);
    owed = await owing(mineId);
    // someone else's client owes too: not mine
    await owing(await counterparty('ООО «Чужой клиент»', salesId));

    const page = await mine();
    expect(page.totalCount).toBe(2);
    expect(page.totals).toEqual([{ minor: 600_00 + 500_00, currency: 'RUB' }]);
    expect(page.pageInfo.hasNextPage).toBe(false);
    expect(page.edges.map((edge) => edge.node)).toEqual([
      {
        key: `invoice:${owed.contractInvoice}`,
        counterparty: { id: mineId },
        counterpartyName: 'ООО «Мой клиент»',
        document: { id: owed.contractInvoice },
        documentId: owed.contractInvoice,
        documentType: 'INVOICE',
        documentNumber: 'С-1',
        contractId: owed.contractId,
        contractNumber: 'Д-7',
        dueDate: daysAgo(30),
        daysOverdue: 30,
        outstanding: { minor: 600_00, currency: 'RUB' },
      },
      expect.objectContaining({ key: `invoice:${owed.looseInvoice}`, documentType: 'INVOICE', documentNumber: 'С-2', contractId: null, contractNumber: null, daysOverdue: 10, outstanding: { minor: 500_00, currency: 'RUB' } }),
    ]);
    // the other manager sees only their own client's
    const theirs = await mine(sales);
    expect(theirs.totalCount).toBe(2);
    expect(theirs.edges.every((edge) => edge.node.counterparty.id !== mineId)).toBe(true);
  });

  it('pages with first/after, and refuses a broken cursor', async () => {
    const first = await mine(manager, { first: 1 });
    expect(first.edges).toHaveLength(1);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.totals).toEqual([{ minor: 1100_00, currency: 'RUB' }]);
    const second = await mine(manager, { first: 1, after: first.pageInfo.endCursor });
    expect(second.edges.map((edge) => edge.node.key)).toEqual([`invoice:${owed.looseInvoice}`]);
    expect(second.pageInfo.hasNextPage).toBe(false);

    const broken = await subgraph.request(MINE, { first: 1, after: 'not-a-cursor' }, manager);
    expect(broken.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('follows the responsible manager from counterparties\' events; an older event arriving late changes nothing', async () => {
    const now = Date.now();
    await counterparty('ООО «Мой клиент»', salesId, { id: mineId, topic: COUNTERPARTY_CHANGED, updatedAt: new Date(now + 60_000) });
    expect((await mine()).totalCount).toBe(0);
    // a late, older state naming me again is ignored
    await counterparty('ООО «Мой клиент»', managerId, { id: mineId, topic: COUNTERPARTY_CHANGED, updatedAt: new Date(now + 30_000) });
    expect((await mine()).totalCount).toBe(0);
    await counterparty('ООО «Мой клиент»', managerId, { id: mineId, topic: COUNTERPARTY_CHANGED, updatedAt: new Date(now + 120_000) });
    expect((await mine()).totalCount).toBe(2);
  });

  it('costs the same statements for many counterparties as for one', async () => {
    queries.length = 0;
    await mine();
    const one = queries.length;
    for (let i = 0; i < 3; i += 1) await owing(await counterparty(`ООО «Клиент ${i}»`, managerId));
    queries.length = 0;
    const page = await mine();
    expect(page.totalCount).toBe(2 + 3 * 2);
    expect(queries.length).toBe(one);
  });

  it('is for staff: an API key has no counterparties of its own', async () => {
    const result = await subgraph.request(MINE, { first: 10 }, apiKeyIdentity(randomUUID(), 'partner', ['finance:read']));
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
