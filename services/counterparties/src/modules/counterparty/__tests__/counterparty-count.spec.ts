import { type Identity, LIST_COUNT_CAP } from '@kartoteka/kit';
import { makeInn10 } from '@kartoteka/kit/requisites';
import { demoIdentity, seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { counterpartiesSubgraph } from '../../../subgraph';
import { CounterpartyRepository } from '../counterparty.repository';

/**
 * The list's counts: `totalCount` exact and counted only when selected; `totalCountAtLeast` / `totalCountCapped`
 * counted up to a cap (a lower bound beyond it), with and without a search (a database of its own).
 */
const manager: Identity = demoIdentity('manager@kartoteka.local');
let subgraph: TestSubgraph;
let statements: string[] = [];

beforeAll(async () => {
  subgraph = await startTestSubgraph(counterpartiesSubgraph(), { onQuery: (sql) => statements.push(sql) });
  await seedDemoUserRefs(subgraph.orm.em);
  for (let i = 0; i < 5; i += 1) {
    const input = { name: `ООО «Подсчёт ${i}»`, kind: 'LEGAL_ENTITY', inn: makeInn10(`77061${String(i).padStart(4, '0')}`), kpp: '770601001' };
    const result = await subgraph.request('mutation($input: CreateCounterpartyInput!) { createCounterparty(input: $input) { id } }', { input }, manager);
    expect(result.errors).toBeUndefined();
  }
});
afterAll(() => subgraph?.close());

const repository = () => new CounterpartyRepository(subgraph.orm.em.fork());
const countStatements = () => statements.filter((sql) => /count\(\*\)/i.test(sql));

describe('counterparty list counts', () => {
  it('counts up to the cap: exact below it, a lower bound flagged as capped beyond it, with and without a search', async () => {
    expect(LIST_COUNT_CAP).toBeGreaterThan(5);
    expect((await repository().list({ first: 2, countUpTo: 5 })).cappedCount).toEqual({ atLeast: 5, capped: false });
    const beyond = await repository().list({ first: 2, countUpTo: 3 });
    expect(beyond.cappedCount).toEqual({ atLeast: 3, capped: true });
    expect(beyond.totalCount).toBe(5);
    expect((await repository().list({ search: 'подсчёт', first: 2, countUpTo: 3 })).cappedCount).toEqual({ atLeast: 3, capped: true });
    // an INN prefix of one of them
    expect((await repository().list({ search: '770610004', first: 2, countUpTo: 3 })).cappedCount).toEqual({ atLeast: 1, capped: false });
    expect((await repository().list({ status: 'ARCHIVED', first: 2, countUpTo: 3 })).cappedCount).toEqual({ atLeast: 0, capped: false });
  });

  it('counts only what the query selects', async () => {
    statements = [];
    const page = await subgraph.request<{ counterparties: { edges: unknown[] } }>('{ counterparties(first: 2) { edges { node { id } } } }', {}, manager);
    expect(page.data?.counterparties.edges).toHaveLength(2);
    expect(countStatements()).toEqual([]);

    statements = [];
    const capped = await subgraph.request<{ counterparties: unknown }>('{ counterparties(first: 2) { totalCountAtLeast totalCountCapped } }', {}, manager);
    expect(capped.data?.counterparties).toEqual({ totalCountAtLeast: 5, totalCountCapped: false });
    expect(countStatements()).toHaveLength(1);
    expect(countStatements()[0]).toMatch(/limit/i);

    statements = [];
    const exact = await subgraph.request<{ counterparties: unknown }>('{ counterparties(first: 2) { totalCount } }', {}, manager);
    expect(exact.data?.counterparties).toEqual({ totalCount: 5 });
    expect(countStatements()).toHaveLength(1);
  });
});
