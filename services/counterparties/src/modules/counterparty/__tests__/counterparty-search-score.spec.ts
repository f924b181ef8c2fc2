import { decodeCursor, type Identity } from '@kartoteka/kit';
import { makeInn10 } from '@kartoteka/kit/requisites';
import { demoIdentity, seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { counterpartiesSubgraph } from '../../../subgraph';
import { CounterpartyRepository, SEARCH_SIMILARITY_THRESHOLD } from '../counterparty.repository';

// Relevance search (a database of its own): the scores and the order are those of the documented formula over the
// lowercased names, whatever the case of the names; archived counterparties only when asked for.

const manager: Identity = demoIdentity('manager@kartoteka.local');
let subgraph: TestSubgraph;
const ids = new Map<string, string>();

const NAMES: [string, string | null, boolean][] = [
  ['ООО «РОМАШКА»', null, false],
  ['Общество с ограниченной ответственностью «Ромашка-Плюс Трейд»', 'ООО «Ромашка-Плюс»', false],
  ['АО «СибирьРомашка»', null, false],
  ['ИП Рамашкин', null, false],
  ['ООО «Лютик»', 'ООО «ромашка лютик»', false],
  ['ЗАО «Ромашка Архив»', null, true],
  ['ООО «Василёк»', null, false],
  // found by its short name only, with a typo (the third branch of the relevance search)
  ['Общество с ограниченной ответственностью «Ландыш»', 'ЛАНДЫШ-РОМАШКОВО', false],
];

beforeAll(async () => {
  subgraph = await startTestSubgraph(counterpartiesSubgraph());
  await seedDemoUserRefs(subgraph.orm.em);
  let sequence = 0;
  for (const [name, shortName, archived] of NAMES) {
    sequence += 1;
    const input = { name, shortName, kind: 'LEGAL_ENTITY', inn: makeInn10(`77099${String(sequence).padStart(4, '0')}`), kpp: '770901001' };
    const result = await subgraph.request<{ createCounterparty: { id: string } }>('mutation($input: CreateCounterpartyInput!) { createCounterparty(input: $input) { id } }', { input }, manager);
    expect(result.errors).toBeUndefined();
    const id = result.data!.createCounterparty.id;
    ids.set(name, id);
    if (archived) expect((await subgraph.request('mutation($id: ID!) { archiveCounterparty(id: $id) { id } }', { id }, manager)).errors).toBeUndefined();
  }
});
afterAll(() => subgraph?.close());

/** The matches and their scores by the formula as documented (everything lowercased), best first. */
async function reference(search: string, archived: boolean): Promise<[string, string][]> {
  const em = subgraph.orm.em.fork();
  return em.transactional(async (tx) => {
    await tx.execute(`select set_config('pg_trgm.word_similarity_threshold', '${SEARCH_SIMILARITY_THRESHOLD}', true)`);
    const rows = await tx.execute<{ id: string; score: string }[]>(
      `select id, round((greatest(word_similarity(lower(?), lower(name)), coalesce(word_similarity(lower(?), lower(short_name)), 0))
            + greatest(similarity(lower(?), lower(name)), coalesce(similarity(lower(?), lower(short_name)), 0)) / 2
            + case when lower(name) like lower(?) or lower(short_name) like lower(?) then 1 else 0 end)::numeric, 4)::text as score
         from counterparties
        where ${archived ? `status = 'ARCHIVED'` : `status <> 'ARCHIVED'`}
          and (lower(name) like lower(?) or lower(short_name) like lower(?) or lower(?) <% lower(name) or lower(?) <% lower(short_name))
        order by 2 desc, 1 asc`,
      [search, search, search, search, `%${search}%`, `%${search}%`, `%${search}%`, `%${search}%`, search, search],
    );
    return rows.map((row) => [row.id, row.score]);
  });
}

async function searched(search: string, archived: boolean, first: number): Promise<[string, string][]> {
  const found: [string, string][] = [];
  let after: string | null = null;
  for (;;) {
    const page = await new CounterpartyRepository(subgraph.orm.em.fork()).list({ search, first, after, status: archived ? 'ARCHIVED' : null, countUpTo: 1000 });
    for (const edge of page.edges) {
      const [, score, id] = decodeCursor(edge.cursor, ['string', 'decimal', 'uuid']);
      expect(id).toBe(edge.node.id);
      found.push([String(id), String(score)]);
    }
    expect(page.cappedCount?.atLeast).toBeGreaterThanOrEqual(found.length);
    if (!page.pageInfo.hasNextPage) return found;
    after = page.pageInfo.endCursor;
  }
}

describe('counterparty relevance search', () => {
  it.each(['ромашка', 'РОМАШКА', 'рамашка', 'Ромашка-плюс', 'лютик', 'рамашково'])('scores and orders %s as the formula over lowercased names does', async (search) => {
    const want = await reference(search, false);
    expect(want.length).toBeGreaterThan(0);
    expect(await searched(search, false, 2)).toEqual(want);
    expect(await searched(search, false, 50)).toEqual(want);
  });

  it('finds a name by its short name alone, and scores it by the short name', async () => {
    const found = await searched('рамашково', false, 50);
    const landysh = ids.get('Общество с ограниченной ответственностью «Ландыш»');
    expect(found.map(([id]) => id)).toContain(landysh);
    const [id, score] = found.find(([row]) => row === landysh)!;
    expect(id).toBe(landysh);
    expect(Number(score)).toBeGreaterThan(SEARCH_SIMILARITY_THRESHOLD);
  });

  it('searches INN prefixes by number: the exact INN first, then by id', async () => {
    const rows = await subgraph.orm.em.fork().execute<{ id: string; inn: string }[]>(`select id, inn from counterparties where status <> 'ARCHIVED' and inn like '77099%' order by id`);
    expect(rows.length).toBe(NAMES.length - 1);
    expect(await searched('77099', false, 3)).toEqual(rows.map((row) => [row.id, '0.0000']));
    const exact = rows[rows.length - 1];
    expect((await searched(exact.inn, false, 3))[0]).toEqual([exact.id, '1.0000']);
  });

  it('leaves the archived out unless asked for them, and finds them then', async () => {
    const active = (await searched('ромашка', false, 50)).map(([id]) => id);
    expect(active).not.toContain(ids.get('ЗАО «Ромашка Архив»'));
    expect(active).toContain(ids.get('ООО «РОМАШКА»'));
    expect(active).toContain(ids.get('ООО «Лютик»'));
    expect(active).not.toContain(ids.get('ООО «Василёк»'));
    const archived = await searched('ромашка', true, 50);
    expect(archived).toEqual(await reference('ромашка', true));
    expect(archived.map(([id]) => id)).toEqual([ids.get('ЗАО «Ромашка Архив»')]);
  });
});
