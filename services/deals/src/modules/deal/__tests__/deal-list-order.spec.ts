import { randomUUID } from 'node:crypto';
import { demoIdentity, seedCounterpartyRefs, seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { dealsSubgraph } from '../../../subgraph';
import { installDefaultTemplate } from '../../case-template/case-template.service';
import { Deal } from '../deal.entity';

/** The deals list sorted by a column: server side, empty values last, stable keyset pages bound to their order. */
let subgraph: TestSubgraph;
const viewer = demoIdentity('viewer@kartoteka.local');
const COUNTERPARTY_ID = randomUUID();

type Row = { id: string; title: string; stageKey: string; expectedCloseDate: string | null; amount: { minor: number } | null };
type Page = { deals: { edges: { node: Row }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null }; totalCount: number } };
const LIST = `query($sort: DealSort, $direction: SortDirection, $first: Int!, $after: String, $counterpartyId: ID) {
  deals(sort: $sort, direction: $direction, first: $first, after: $after, counterpartyId: $counterpartyId) {
    edges { node { id title stageKey expectedCloseDate amount { minor } } } pageInfo { hasNextPage endCursor } totalCount
  }
}`;

// Stages of the default funnel: lead → qualification → proposal → negotiation → won → lost. Their keys'
// alphabet (lead, lost, proposal, won) differs from the funnel, so the STAGE order proves the funnel is used.
// Two deals share an amount, two a stage and an expected close date, two an update millisecond: the id breaks those ties.
const SPECS = [
  { title: 'Б', amountMinor: 300_00, stageKey: 'won', expectedCloseDate: '2027-03-01', updatedAt: '2026-11-01 10:00:00.123456+00' },
  { title: 'А', amountMinor: 100_00, stageKey: 'proposal', expectedCloseDate: '2027-01-15', updatedAt: '2026-11-03 10:00:00+00' },
  { title: 'Г', amountMinor: null, stageKey: 'lead', expectedCloseDate: null, updatedAt: '2026-11-02 10:00:00+00' },
  { title: 'В', amountMinor: 300_00, stageKey: 'lost', expectedCloseDate: '2027-02-01', updatedAt: '2026-11-01 10:00:00.123789+00' },
  { title: 'Д', amountMinor: 200_00, stageKey: 'proposal', expectedCloseDate: '2027-01-15', updatedAt: '2026-10-01 10:00:00+00' },
];
const idOf: Record<string, string> = {};

beforeAll(async () => {
  subgraph = await startTestSubgraph(dealsSubgraph());
  await seedDemoUserRefs(subgraph.orm.em);
  await seedCounterpartyRefs(subgraph.orm.em, [COUNTERPARTY_ID]);
  const em = subgraph.orm.em.fork();
  // Deals without a version run on the default template's first version (as the API would have installed it).
  await installDefaultTemplate(em);
  for (const [index, spec] of SPECS.entries()) {
    const deal = em.create(Deal, {
      title: spec.title,
      counterpartyId: COUNTERPARTY_ID,
      stageKey: spec.stageKey,
      amountMinor: spec.amountMinor,
      currency: spec.amountMinor === null ? null : 'RUB',
      expectedCloseDate: spec.expectedCloseDate,
      createdAt: new Date(Date.UTC(2026, 0, 1 + index)),
    });
    idOf[spec.title] = deal.id;
  }
  await em.flush();
  // Times with microseconds, as PostgreSQL's now() writes them (a cursor keeps milliseconds).
  for (const spec of SPECS) await em.getConnection().execute('update deals set updated_at = ?::timestamptz where id = ?', [spec.updatedAt, idOf[spec.title]]);
});
afterAll(() => subgraph?.close());

/** Every row, two per page, following the cursors. */
async function all(sort: string, direction: string | null): Promise<Row[]> {
  const rows: Row[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 10; guard += 1) {
    const result: { data?: Page | null; errors?: readonly unknown[] } = await subgraph.request<Page>(LIST, { sort, direction, first: 2, after, counterpartyId: COUNTERPARTY_ID }, viewer);
    expect(result.errors).toBeUndefined();
    const page: Page['deals'] = result.data!.deals;
    expect(page.totalCount).toBe(SPECS.length);
    rows.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) {
      expect(new Set(rows.map((row) => row.id)).size).toBe(SPECS.length);
      return rows;
    }
    after = page.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

const titles = (rows: Row[]) => rows.map((row) => row.title).join('');
/** The two titles ordered by their ids in the direction. */
const tie = (a: string, b: string, desc = false) => [a, b].sort((x, y) => (idOf[x] < idOf[y] ? -1 : 1) * (desc ? -1 : 1)).join('');

function errorOf(result: { errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }) {
  expect(result.errors?.length).toBeGreaterThan(0);
  const [error] = result.errors!;
  return { code: error.extensions?.code, field: error.extensions?.field, message: error.message };
}

describe('deals list sorting', () => {
  it('sorts by title and amount in both directions across pages, empty values last, ties by id', async () => {
    expect(titles(await all('TITLE', 'ASC'))).toBe('АБВГД');
    expect(titles(await all('TITLE', 'DESC'))).toBe('ДГВБА');
    expect(titles(await all('TITLE', null))).toBe('АБВГД');
    // Largest first without a direction; the two 300.00 deals by id in the same direction.
    expect(titles(await all('AMOUNT', null))).toBe(`${tie('Б', 'В', true)}ДАГ`);
    expect(titles(await all('AMOUNT', 'ASC'))).toBe(`АД${tie('Б', 'В')}Г`);
  });

  it('sorts by the stage\'s place in the funnel, not by the keys\' alphabet', async () => {
    expect((await all('STAGE', 'ASC')).map((row) => row.stageKey)).toEqual(['lead', 'proposal', 'proposal', 'won', 'lost']);
    expect(titles(await all('STAGE', 'ASC'))).toBe(`Г${tie('А', 'Д')}БВ`);
    expect(titles(await all('STAGE', 'DESC'))).toBe(`ВБ${tie('А', 'Д', true)}Г`);
  });

  it('sorts by the expected close date (soonest first), the last change and the creation (latest first)', async () => {
    expect(titles(await all('EXPECTED_CLOSE', null))).toBe(`${tie('А', 'Д')}ВБГ`);
    expect(titles(await all('EXPECTED_CLOSE', 'DESC'))).toBe(`БВ${tie('А', 'Д', true)}Г`);
    // Б and В changed in the same millisecond (different microseconds): one tie, broken by id, on the page boundary.
    expect(titles(await all('UPDATED', null))).toBe(`АГ${tie('Б', 'В', true)}Д`);
    expect(titles(await all('UPDATED', 'ASC'))).toBe(`Д${tie('Б', 'В')}ГА`);
    expect(titles(await all('CREATED', null))).toBe('ДВГАБ');
    expect(titles(await all('CREATED', 'ASC'))).toBe('БАГВД');
  });

  it('refuses an unknown column or direction, a direction alone and a cursor of another order', async () => {
    expect(errorOf(await subgraph.request(LIST, { sort: 'title; drop table deals', first: 2 }, viewer)).message).toMatch(/DealSort/);
    expect(errorOf(await subgraph.request(LIST, { sort: 'TITLE', direction: 'UP', first: 2 }, viewer)).message).toMatch(/SortDirection/);
    expect(errorOf(await subgraph.request(LIST, { direction: 'DESC', first: 2 }, viewer))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'direction' });
    const page = await subgraph.request<Page>(LIST, { sort: 'TITLE', direction: 'ASC', first: 2, counterpartyId: COUNTERPARTY_ID }, viewer);
    const cursor = page.data!.deals.pageInfo.endCursor;
    for (const other of [
      { sort: 'AMOUNT', direction: 'ASC' },
      { sort: 'TITLE', direction: 'DESC' },
      { sort: null, direction: null },
    ]) {
      expect(errorOf(await subgraph.request(LIST, { ...other, first: 2, after: cursor, counterpartyId: COUNTERPARTY_ID }, viewer))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    }
    const unsorted = await subgraph.request<Page>(LIST, { first: 2, counterpartyId: COUNTERPARTY_ID }, viewer);
    expect(errorOf(await subgraph.request(LIST, { sort: 'CREATED', first: 2, after: unsorted.data!.deals.pageInfo.endCursor, counterpartyId: COUNTERPARTY_ID }, viewer))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
  });
});
