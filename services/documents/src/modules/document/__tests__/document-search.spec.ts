import { LoaderRegistry } from '@kartoteka/kit';
import { startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings } from '../../../config';
import { documentsSubgraph } from '../../../subgraph';
import { COUNTERPARTY_ID, fillStaffDirectory, manager, ok } from '../../approval/__tests__/approval.fixtures';
import { DocumentService } from '../document.service';

/**
 * The registry's search in the list order: rare and frequent terms page through the same rows in the same order as
 * the list order over all matching documents, one statement a page, with the access rule applied.
 */
let subgraph: TestSubgraph;
let statements: string[] = [];
const RUN = Math.random().toString(36).slice(2, 8);
const MARK = `Поиск ${RUN}`;
const FILLER = `Наполнитель ${RUN}`;
/** More matches of a frequent term than several pages hold. */
const FILLERS = 130;

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }), { onQuery: (sql) => statements.push(sql) });
  await fillStaffDirectory(subgraph);
  const specs = [
    { title: `Договор ${MARK}`, date: '2026-03-01' },
    { title: `Акт`, summary: `по заявке ${MARK.toUpperCase()}`, date: null },
    { title: `${MARK} письмо`, date: '2026-05-01' },
    { title: `Счёт ${MARK}`, date: null },
    { title: `Без отметки ${RUN}x`, date: '2026-04-01' },
  ];
  for (const spec of specs) {
    ok(
      await subgraph.request(
        `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`,
        { input: { type: 'OTHER', counterpartyId: COUNTERPARTY_ID, title: spec.title, summary: spec.summary ?? null, date: spec.date } },
        manager,
      ),
    );
  }
  // Newer undated documents without the mark ahead of them in the list order (undated first, newest first).
  const em = subgraph.orm.em.fork();
  const [template] = await em.execute<{ id: string }[]>(`select id from documents where title = ?`, [`Счёт ${MARK}`]);
  await em.execute(
    `insert into documents
     select (jsonb_populate_record(null::documents, to_jsonb(d) || jsonb_build_object(
       'id', gen_random_uuid(), 'title', ? || ' ' || n, 'summary', null, 'number', null, 'sender_number', null, 'date', null, 'restricted', false,
       'created_at', now() + interval '1 day' + n * interval '1 second', 'source_action_id', null))).*
       from documents d, generate_series(1, ?) n where d.id = ?`,
    [FILLER, FILLERS, template.id],
  );
});
afterAll(() => subgraph?.close());

const service = () => new DocumentService({ em: subgraph.orm.em.fork(), identity: manager, loaders: new LoaderRegistry() });

/** The matching documents in the list order, straight from SQL. */
async function expected(term: string): Promise<string[]> {
  const rows = await subgraph.orm.em.fork().execute<{ id: string }[]>(
    `select id from documents d where d.restricted = false and (d.number ilike ? or d.title ilike ? or d.summary ilike ? or d.sender_number ilike ?)
      order by d.date desc nulls first, d.created_at desc, d.id desc`,
    Array(4).fill(`%${term}%`),
  );
  return rows.map((row) => row.id);
}

async function allPages(term: string, first: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const page = await service().list({ search: term }, { first, after, withTotal: false });
    pages += 1;
    ids.push(...page.edges.map((edge) => edge.node.id));
    if (!page.pageInfo.hasNextPage) return { ids, pages };
    after = page.pageInfo.endCursor;
  }
}

describe('documents search in the list order', () => {
  it('pages through a rare term in the list order, case-insensitively, in number/title/summary', async () => {
    const want = await expected(MARK);
    expect(want).toHaveLength(4);
    statements = [];
    const { ids, pages } = await allPages(MARK, 1);
    expect(ids).toEqual(want);
    expect(pages).toBe(4);
  });

  it('pages through a frequent term in one statement a page, with the same rows and order as over all matches', async () => {
    const want = await expected(FILLER);
    expect(want).toHaveLength(FILLERS);
    statements = [];
    const first = await service().list({ search: FILLER }, { first: 20, withTotal: false });
    expect(first.edges.map((edge) => edge.node.id)).toEqual(want.slice(0, 20));
    expect(first.pageInfo.hasNextPage).toBe(true);
    const pageStatements = statements.filter((sql) => /"?documents"?/.test(sql) && /ilike/i.test(sql));
    expect(pageStatements).toHaveLength(1);

    const { ids } = await allPages(FILLER, 100);
    expect(ids).toEqual(want);
  });

  it('keeps the access rule in a search: restricted documents of others stay hidden', async () => {
    const em = subgraph.orm.em.fork();
    const [hidden] = await em.execute<{ id: string }[]>(`select id from documents where title = ?`, [`${FILLER} 7`]);
    await em.execute(`update documents set restricted = true, author_id = null, responsible_id = null where id = ?`, [hidden.id]);
    const { ids } = await allPages(FILLER, 50);
    expect(ids).toHaveLength(FILLERS - 1);
    expect(ids).not.toContain(hidden.id);
  });
});
