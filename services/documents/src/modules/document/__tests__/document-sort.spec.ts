import { startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings } from '../../../config';
import { documentsSubgraph } from '../../../subgraph';
import { COUNTERPARTY_ID, errorOf, fillStaffDirectory, manager, ok, storedFile } from '../../approval/__tests__/approval.fixtures';

/** The registry sorted by a column: server side, empty values last, stable keyset pages, validated arguments. */
let subgraph: TestSubgraph;
let statements: string[] = [];
const MARK = `Сортировка ${Math.random().toString(36).slice(2, 8)}`;

type Row = { id: string; title: string; date: string | null; amount: { minor: number } | null; status: string };
type Page = { documents: { edges: { node: Row; cursor: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null }; totalCount: number } };
const LIST = `query($sort: DocumentSort, $direction: SortDirection, $first: Int!, $after: String, $search: String) {
  documents(sort: $sort, direction: $direction, first: $first, after: $after, search: $search) {
    edges { cursor node { id title date amount { minor } status } } pageInfo { hasNextPage endCursor } totalCount
  }
}`;

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }), { onQuery: (sql) => statements.push(sql) });
  await fillStaffDirectory(subgraph);
  // Five documents: two share an amount (the id breaks the tie), one has no amount and no date.
  const specs = [
    { title: `${MARK} В`, amountMinor: 300_00, date: '2026-03-01' },
    { title: `${MARK} А`, amountMinor: 100_00, date: '2026-05-01' },
    { title: `${MARK} Д`, amountMinor: null, date: null },
    { title: `${MARK} Б`, amountMinor: 300_00, date: '2026-01-15' },
    { title: `${MARK} Г`, amountMinor: 200_00, date: '2026-02-01' },
  ];
  for (const spec of specs) {
    ok(
      await subgraph.request(
        `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`,
        { input: { type: 'OTHER', counterpartyId: COUNTERPARTY_ID, title: spec.title, amountMinor: spec.amountMinor, currency: spec.amountMinor === null ? null : 'RUB', date: spec.date } },
        manager,
      ),
    );
  }
});
afterAll(() => subgraph?.close());

/** Every row, two per page, following the cursors. */
async function all(sort: string, direction: string | null): Promise<Row[]> {
  const rows: Row[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 10; guard += 1) {
    const page: Page = ok(await subgraph.request<Page>(LIST, { sort, direction, first: 2, after, search: MARK }, manager));
    rows.push(...page.documents.edges.map((edge) => edge.node));
    expect(page.documents.totalCount).toBe(5);
    if (!page.documents.pageInfo.hasNextPage) return rows;
    after = page.documents.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

const letters = (rows: Row[]) => rows.map((row) => row.title.slice(-1)).join('');

describe('documents registry sorting', () => {
  it('sorts by title, amount and date in both directions across pages, empty values last', async () => {
    expect(letters(await all('TITLE', 'ASC'))).toBe('АБВГД');
    expect(letters(await all('TITLE', 'DESC'))).toBe('ДГВБА');
    const byAmount = await all('AMOUNT', 'ASC');
    expect(byAmount.map((row) => row.amount?.minor ?? null)).toEqual([100_00, 200_00, 300_00, 300_00, null]);
    expect(new Set(byAmount.map((row) => row.id)).size).toBe(5);
    const byAmountDesc = await all('AMOUNT', 'DESC');
    expect(byAmountDesc.map((row) => row.amount?.minor ?? null)).toEqual([300_00, 300_00, 200_00, 100_00, null]);
    // Ties are broken by id in the sort's direction, so the two pages never overlap.
    expect(byAmountDesc.slice(0, 2).map((row) => row.id)).toEqual(byAmount.slice(2, 4).map((row) => row.id).reverse());
    expect((await all('DATE', 'ASC')).map((row) => row.date)).toEqual(['2026-01-15', '2026-02-01', '2026-03-01', '2026-05-01', null]);
    // Without a direction each column takes its natural one: the newest date and the largest amount first.
    expect((await all('DATE', null)).map((row) => row.date)).toEqual(['2026-05-01', '2026-03-01', '2026-02-01', '2026-01-15', null]);
    expect((await all('AMOUNT', null)).map((row) => row.id)).toEqual(byAmountDesc.map((row) => row.id));
  });

  it('sorts by status in the order of the life cycle, not by the codes\' alphabet', async () => {
    const mark = `Статус ${Math.random().toString(36).slice(2, 8)}`;
    const create = async (title: string): Promise<string> =>
      ok(
        await subgraph.request<{ createDocument: { id: string } }>(
          `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`,
          { input: { type: 'OTHER', counterpartyId: COUNTERPARTY_ID, title } },
          manager,
        ),
      ).createDocument.id;
    const setStatus = async (id: string, status: string) => {
      ok(await subgraph.request(`mutation($input: SetDocumentStatusInput!) { setDocumentStatus(input: $input) { id status } }`, { input: { id, status } }, manager));
    };
    await setStatus(await create(`${mark} отменён`), 'CANCELLED');
    await create(`${mark} черновик`);
    await setStatus(await create(`${mark} ещё отменён`), 'CANCELLED');
    const statuses = async (direction: string) => {
      const rows: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 10; guard += 1) {
        const page: Page = ok(await subgraph.request<Page>(LIST, { sort: 'STATUS', direction, first: 2, after, search: mark }, manager));
        rows.push(...page.documents.edges.map((edge) => edge.node.status));
        if (!page.documents.pageInfo.hasNextPage) return rows;
        after = page.documents.pageInfo.endCursor;
      }
      throw new Error('too many pages');
    };
    // Alphabetically CANCELLED would come before DRAFT; in the life cycle a draft comes first and cancelled last.
    expect(await statuses('ASC')).toEqual(['DRAFT', 'CANCELLED', 'CANCELLED']);
    expect(await statuses('DESC')).toEqual(['CANCELLED', 'CANCELLED', 'DRAFT']);
  });

  it('refuses an unknown column or direction and a cursor of another order', async () => {
    // The column and the direction are enums: anything else is refused by validation before the service.
    const unknown = await subgraph.request(LIST, { sort: 'author; drop table documents', first: 2 }, manager);
    expect(unknown.errors?.[0]?.message).toMatch(/DocumentSort/);
    const sideways = await subgraph.request(LIST, { sort: 'TITLE', direction: 'SIDEWAYS', first: 2 }, manager);
    expect(sideways.errors?.[0]?.message).toMatch(/SortDirection/);
    expect(errorOf(await subgraph.request(LIST, { direction: 'DESC', first: 2 }, manager))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'direction' });
    const page = ok(await subgraph.request<Page>(LIST, { sort: 'TITLE', direction: 'ASC', first: 2, search: MARK }, manager));
    const cursor = page.documents.pageInfo.endCursor;
    expect(errorOf(await subgraph.request(LIST, { sort: 'AMOUNT', direction: 'ASC', first: 2, after: cursor, search: MARK }, manager))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(errorOf(await subgraph.request(LIST, { sort: 'TITLE', direction: 'DESC', first: 2, after: cursor, search: MARK }, manager))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(errorOf(await subgraph.request(LIST, { first: 2, after: cursor, search: MARK }, manager))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('reads who must act and the main file of every row in batches: as many statements for one row as for many', async () => {
    const mark = `Пакет ${Math.random().toString(36).slice(2, 8)}`;
    const create = async (title: string) =>
      ok(
        await subgraph.request(
          `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`,
          { input: { type: 'OTHER', counterpartyId: COUNTERPARTY_ID, title, fileIds: [await storedFile(subgraph, `${title}.pdf`)] } },
          manager,
        ),
      );
    await create(`${mark} один`);
    for (let n = 0; n < 6; n += 1) await create(`${mark} много ${n}`);
    const ROWS = `query($search: String!) { documents(first: 20, search: $search, sort: TITLE) {
      edges { node { id awaitingActionFrom { id } myPendingSteps { id } currentVersion { number files { id name previewable } } } }
    } }`;
    const measure = async (search: string) => {
      statements = [];
      const page = ok(await subgraph.request<{ documents: { edges: { node: { currentVersion: { files: { id: string }[] } | null } }[] } }>(ROWS, { search }, manager));
      expect(page.documents.edges.every((edge) => edge.node.currentVersion?.files.length === 1)).toBe(true);
      return { rows: page.documents.edges.length, count: statements.filter((sql) => !/^(begin|commit|rollback)$/i.test(sql.trim())).length };
    };
    const one = await measure(`${mark} один`);
    const many = await measure(mark);
    expect([one.rows, many.rows]).toEqual([1, 7]);
    expect(many.count).toBe(one.count);
  });
});
