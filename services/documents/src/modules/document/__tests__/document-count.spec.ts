import { LIST_COUNT_CAP, LoaderRegistry } from '@kartoteka/kit';
import { startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings } from '../../../config';
import { documentsSubgraph } from '../../../subgraph';
import { COUNTERPARTY_ID, fillStaffDirectory, manager, ok } from '../../approval/__tests__/approval.fixtures';
import { DocumentService } from '../document.service';

/**
 * The registry's counts: `totalCount` exact and counted only when selected; `totalCountAtLeast` / `totalCountCapped`
 * counted up to a cap (a lower bound beyond it), so a list over a million documents never reads them all.
 */
let subgraph: TestSubgraph;
let statements: string[] = [];
const MARK = `Счёт ${Math.random().toString(36).slice(2, 8)}`;

type Counts = { documents: { totalCount?: number; totalCountAtLeast?: number; totalCountCapped?: boolean; edges: { node: { id: string } }[] } };

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }), { onQuery: (sql) => statements.push(sql) });
  await fillStaffDirectory(subgraph);
  for (let i = 0; i < 5; i += 1) {
    ok(await subgraph.request(`mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`, { input: { type: 'OTHER', counterpartyId: COUNTERPARTY_ID, title: `${MARK} ${i}` } }, manager));
  }
});
afterAll(() => subgraph?.close());

const service = () => new DocumentService({ em: subgraph.orm.em.fork(), identity: manager, loaders: new LoaderRegistry() });
const countStatements = () => statements.filter((sql) => /count\(/i.test(sql) && /"?documents"?/.test(sql));

describe('documents registry counts', () => {
  it('counts up to the cap: exact below it, a lower bound flagged as capped beyond it', async () => {
    expect(LIST_COUNT_CAP).toBeGreaterThan(5);
    const below = await service().list({ search: MARK }, { first: 2, countUpTo: 5 });
    expect(below.cappedCount).toEqual({ atLeast: 5, capped: false });
    expect(below.totalCount).toBe(5);
    const beyond = await service().list({ search: MARK }, { first: 2, countUpTo: 3 });
    expect(beyond.cappedCount).toEqual({ atLeast: 3, capped: true });
    expect(beyond.edges).toHaveLength(2);
    // the filter applies to the capped count as to the page
    const filtered = await service().list({ search: `${MARK} 4` }, { first: 2, countUpTo: 3 });
    expect(filtered.cappedCount).toEqual({ atLeast: 1, capped: false });
  });

  it('counts only what the query selects', async () => {
    statements = [];
    const pageOnly = ok(await subgraph.request<Counts>(`query($s: String) { documents(search: $s, first: 2) { edges { node { id } } } }`, { s: MARK }, manager));
    expect(pageOnly.documents.edges).toHaveLength(2);
    expect(countStatements()).toEqual([]);

    statements = [];
    const capped = ok(await subgraph.request<Counts>(`query($s: String) { documents(search: $s, first: 2) { totalCountAtLeast totalCountCapped } }`, { s: MARK }, manager));
    expect(capped.documents).toEqual({ totalCountAtLeast: 5, totalCountCapped: false });
    expect(countStatements()).toHaveLength(1);
    expect(countStatements()[0]).toMatch(/limit/i);

    statements = [];
    const exact = ok(await subgraph.request<Counts>(`query($s: String) { documents(search: $s, first: 2) { totalCount } }`, { s: MARK }, manager));
    expect(exact.documents.totalCount).toBe(5);
    expect(countStatements()).toHaveLength(1);
  });

  it("derives the capped fields of a counterparty's documents from its exact total", async () => {
    const data = ok(
      await subgraph.request<{ _entities: { documents: { totalCount: number; totalCountAtLeast: number; totalCountCapped: boolean } }[] }>(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Counterparty { documents(first: 1) { totalCount totalCountAtLeast totalCountCapped } } } }`,
        { r: [{ __typename: 'Counterparty', id: COUNTERPARTY_ID }] },
        manager,
      ),
    );
    const [{ documents }] = data._entities;
    expect(documents.totalCount).toBeGreaterThanOrEqual(5);
    expect(documents).toEqual({ totalCount: documents.totalCount, totalCountAtLeast: Math.min(documents.totalCount, LIST_COUNT_CAP), totalCountCapped: documents.totalCount > LIST_COUNT_CAP });
  });
});
