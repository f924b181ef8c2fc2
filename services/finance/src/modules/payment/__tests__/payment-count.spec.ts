import { randomUUID } from 'node:crypto';
import { type Identity, LIST_COUNT_CAP, LoaderRegistry } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { financeSubgraph } from '../../../subgraph';
import { daysAgo, storePayment } from '../../../testing/finance.fixtures';
import { PaymentService } from '../payment.service';

/** The payments registry's counts: exact `totalCount` only when selected, `totalCountAtLeast` / `totalCountCapped` up to a cap. */
const accountant: Identity = demoIdentity('viewer@kartoteka.local');
const COUNTERPARTY = randomUUID();
let subgraph: TestSubgraph;
let statements: string[] = [];

beforeAll(async () => {
  subgraph = await startTestSubgraph(financeSubgraph(undefined, { workers: false }), { onQuery: (sql) => statements.push(sql) });
  for (let i = 0; i < 5; i += 1) await storePayment(subgraph.orm, { counterpartyId: COUNTERPARTY, amountMinor: 100 * (i + 1), date: daysAgo(i) });
  await storePayment(subgraph.orm, { counterpartyId: randomUUID(), amountMinor: 700, date: daysAgo(1) });
});
afterAll(() => subgraph?.close());

const service = () => new PaymentService({ em: subgraph.orm.em.fork(), identity: accountant, loaders: new LoaderRegistry() });
const countStatements = () => statements.filter((sql) => /count\(/i.test(sql) && /payments/.test(sql));

describe('payments registry counts', () => {
  it('counts up to the cap: exact below it, a lower bound flagged as capped beyond it', async () => {
    expect(LIST_COUNT_CAP).toBeGreaterThan(6);
    expect((await service().list({ counterpartyId: COUNTERPARTY }, { first: 2, countUpTo: 5 })).cappedCount).toEqual({ atLeast: 5, capped: false });
    const beyond = await service().list({ counterpartyId: COUNTERPARTY }, { first: 2, countUpTo: 3 });
    expect(beyond.cappedCount).toEqual({ atLeast: 3, capped: true });
    expect(beyond.totalCount).toBe(5);
    expect((await service().list(null, { first: 2, countUpTo: 6 })).cappedCount).toEqual({ atLeast: 6, capped: false });
  });

  it('counts only what the query selects', async () => {
    statements = [];
    const page = await subgraph.request<{ payments: { edges: unknown[] } }>('query($c: ID) { payments(first: 2, filter: { counterpartyId: $c }) { edges { node { id } } } }', { c: COUNTERPARTY }, accountant);
    expect(page.errors).toBeUndefined();
    expect(page.data?.payments.edges).toHaveLength(2);
    expect(countStatements()).toEqual([]);

    statements = [];
    const capped = await subgraph.request<{ payments: unknown }>('query($c: ID) { payments(first: 2, filter: { counterpartyId: $c }) { totalCountAtLeast totalCountCapped } }', { c: COUNTERPARTY }, accountant);
    expect(capped.data?.payments).toEqual({ totalCountAtLeast: 5, totalCountCapped: false });
    expect(countStatements()).toHaveLength(1);
    expect(countStatements()[0]).toMatch(/limit/i);

    statements = [];
    const exact = await subgraph.request<{ payments: unknown }>('query($c: ID) { payments(first: 2, filter: { counterpartyId: $c }) { totalCount } }', { c: COUNTERPARTY }, accountant);
    expect(exact.data?.payments).toEqual({ totalCount: 5 });
    expect(countStatements()).toHaveLength(1);
  });
});
