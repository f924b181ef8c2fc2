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

  it('counts the matches of a search in the statement that ranks them, on every page and past the last one', async () => {
    statements = [];
    const first = await repository().list({ search: 'подсчёт', first: 2, countUpTo: 3 });
    expect(first.edges).toHaveLength(2);
    expect(first.totalCount).toBe(5);
    expect(first.cappedCount).toEqual({ atLeast: 3, capped: true });
    // the ranking statement carries the count: no statement of its own
    expect(countStatements()).toHaveLength(1);
    expect(countStatements()[0]).toMatch(/with matches as materialized/i);

    const seen = first.edges.map((edge) => edge.node.id);
    let after = first.pageInfo.endCursor;
    for (let page = 0; page < 3 && after; page += 1) {
      const next = await repository().list({ search: 'подсчёт', first: 2, after, countUpTo: 3 });
      expect(next.totalCount).toBe(5);
      expect(next.cappedCount).toEqual({ atLeast: 3, capped: true });
      seen.push(...next.edges.map((edge) => edge.node.id));
      after = next.pageInfo.hasNextPage ? next.pageInfo.endCursor : null;
    }
    expect(new Set(seen).size).toBe(5);

    // an empty page (after the last match) still counts the matches; no match at all counts 0
    const last = await repository().list({ search: 'подсчёт', first: 5 });
    const past = await repository().list({ search: 'подсчёт', first: 2, after: last.pageInfo.endCursor, countUpTo: 3 });
    expect(past.edges).toEqual([]);
    expect(past.pageInfo.hasNextPage).toBe(false);
    expect(past.totalCount).toBe(5);
    expect(past.cappedCount).toEqual({ atLeast: 3, capped: true });
    const none = await repository().list({ search: 'несуществующее', first: 2, countUpTo: 3 });
    expect(none.edges).toEqual([]);
    expect(none.totalCount).toBe(0);
    expect(none.cappedCount).toEqual({ atLeast: 0, capped: false });
    // withTotal: false leaves the exact count at 0, as for the other orders
    expect((await repository().list({ search: 'подсчёт', first: 2, withTotal: false })).totalCount).toBe(0);
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
