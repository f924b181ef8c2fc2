import { type Identity } from '@kartoteka/kit';
import { makeInn10, makeInn12 } from '@kartoteka/kit/requisites';
import { collectPages, demoIdentity, seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { counterpartiesSubgraph } from '../../../subgraph';
import { counterpartySortKey } from '../counterparty-sort-key';
import { SORT_KEY_CASES } from '../counterparty-sort-key.cases';

// The orders of the counterparty list on a database of its own (only this file's counterparties are listed).

const SMIRNOVA = '00000000-0000-4000-8000-000000000002'; // Ольга Смирнова
const KUZNETSOV = '00000000-0000-4000-8000-000000000003'; // Дмитрий Кузнецов
const manager: Identity = demoIdentity('manager@kartoteka.local');
const viewer: Identity = demoIdentity('viewer@kartoteka.local');

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(counterpartiesSubgraph());
  await seedDemoUserRefs(subgraph.orm.em);
});
afterAll(() => subgraph?.close());

let sequence = 0;
const pad = (value: number, length: number) => String(value).padStart(length, '0');

type Created = { id: string; name: string; inn: string };

async function createLegal(name: string, responsibleManagerId: string | null = null): Promise<Created> {
  sequence += 1;
  const input = { name, kind: 'LEGAL_ENTITY', inn: makeInn10(`7705${pad(sequence, 5)}`), kpp: '770501001', responsibleManagerId };
  const result = await subgraph.request<{ createCounterparty: Created }>(
    'mutation($input: CreateCounterpartyInput!) { createCounterparty(input: $input) { id name inn } }',
    { input },
    manager,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.createCounterparty;
}

async function createPerson(name: string): Promise<Created> {
  sequence += 1;
  const input = { name, kind: 'SOLE_PROPRIETOR', inn: makeInn12(`5005${pad(sequence, 6)}`) };
  const result = await subgraph.request<{ createCounterparty: Created }>(
    'mutation($input: CreateCounterpartyInput!) { createCounterparty(input: $input) { id name inn } }',
    { input },
    manager,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.createCounterparty;
}

type Node = { id: string; name: string; inn: string };
type Page = { edges: { node: Node; cursor: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null }; totalCount: number };
type Variables = { sort?: string; direction?: string; search?: string; first?: number; after?: string | null };

const LIST = `query($sort: CounterpartySort, $direction: SortDirection, $search: String, $first: Int, $after: String) {
  counterparties(sort: $sort, direction: $direction, search: $search, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name inn } } } }`;

async function page(variables: Variables) {
  return subgraph.request<{ counterparties: Page }>(LIST, variables, viewer);
}

/** Every page of an order, `size` at a time: the names in the order they came. */
async function names(variables: Variables, size = 2): Promise<string[]> {
  const collected = await collectPages(async (after) => {
    const result = await page({ ...variables, first: size, after });
    expect(result.errors).toBeUndefined();
    return result.data!.counterparties;
  });
  const ids = collected.nodes.map((node) => node.id);
  expect(new Set(ids).size).toBe(ids.length);
  return collected.nodes.map((node) => node.name);
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

let all: Created[] = [];

beforeAll(async () => {
  all = [
    await createLegal('Акционерное общество "Ромашка"', KUZNETSOV),
    await createLegal('ООО «Яхта»', SMIRNOVA),
    await createPerson('ИП Иванов Иван Иванович'),
    await createLegal('Публичное акционерное общество «Вектор»'),
    await createLegal('ООО «Ромашка»', SMIRNOVA),
    await createLegal('Банк «Альфа»'),
    await createLegal('Ёлка, ООО', KUZNETSOV),
    await createLegal('Закрытое акционерное общество «Енисей»'),
  ];
});

describe('the sort key in the database', () => {
  it('is the rule of counterpartySortKey for every case of its unit spec', async () => {
    const connection = subgraph.orm.em.fork().getConnection();
    for (const [name, key] of SORT_KEY_CASES) {
      const [row] = await connection.execute<{ key: string }[]>('select counterparty_sort_key(?) as key', [name]);
      expect({ name, key: row.key }).toEqual({ name, key });
    }
  });

  it('is a generated column: rows written with plain SQL get it too', async () => {
    const connection = subgraph.orm.em.fork().getConnection();
    const [row] = await connection.execute<{ sort_name: string }[]>(
      `insert into counterparties (id, name, kind, status, inn, kpp, tags, version, created_at, updated_at)
       values (gen_random_uuid(), 'ООО «Тест SQL»', 'LEGAL_ENTITY', 'ARCHIVED', '7700000000', null, '{}', 1, now(), now()) returning sort_name`,
    );
    expect(row.sort_name).toBe('тест sql');
    await connection.execute(`delete from counterparties where name = 'ООО «Тест SQL»'`);
  });
});

describe('sort: NAME', () => {
  const expectedOrder = () => [
    'Банк «Альфа»',
    'Публичное акционерное общество «Вектор»',
    // ё sorts as е: «елка» before «енисей»
    'Ёлка, ООО',
    'Закрытое акционерное общество «Енисей»',
    'ИП Иванов Иван Иванович',
    // the same key «ромашка»: by id
    ...['Акционерное общество "Ромашка"', 'ООО «Ромашка»'].sort((a, b) => byCodePoint(all.find((c) => c.name === a)!.id, all.find((c) => c.name === b)!.id)),
    'ООО «Яхта»',
  ];

  it('orders by the name without its legal form, paging exactly', async () => {
    const expected = expectedOrder();
    expect(await names({ sort: 'NAME' })).toEqual(expected);
    // the default order without a search is the same
    expect(await names({}, 3)).toEqual(expected);
    expect(expected.map(counterpartySortKey)).toEqual([...expected.map(counterpartySortKey)].sort(byCodePoint));
  });

  it('reverses with direction DESC', async () => {
    const expected = expectedOrder();
    expect(await names({ sort: 'NAME', direction: 'DESC' }, 3)).toEqual([...expected].reverse());
  });

  it('orders the matches of a search by name when asked', async () => {
    const expected = expectedOrder();
    expect(await names({ sort: 'NAME', search: 'ромашка' }, 1)).toEqual(expected.filter((name) => name.includes('Ромашка')));
  });
});

describe('other orders', () => {
  it('INN, both directions', async () => {
    const inns = [...all].sort((a, b) => byCodePoint(a.inn, b.inn)).map((c) => c.name);
    expect(await names({ sort: 'INN' }, 3)).toEqual(inns);
    expect(await names({ sort: 'INN', direction: 'DESC' }, 3)).toEqual([...inns].reverse());
  });

  it('MANAGER: by the manager’s name, counterparties without one last', async () => {
    const ordered = await names({ sort: 'MANAGER' }, 3);
    // Кузнецов before Смирнова, then the ones without a manager
    expect(ordered.slice(0, 2).sort()).toEqual(['Акционерное общество "Ромашка"', 'Ёлка, ООО'].sort());
    expect(ordered.slice(2, 4).sort()).toEqual(['ООО «Ромашка»', 'ООО «Яхта»'].sort());
    expect(ordered).toHaveLength(all.length);
    const desc = await names({ sort: 'MANAGER', direction: 'DESC' }, 3);
    expect(desc).toEqual([...ordered].reverse());
  });

  it('UPDATED: the last changed first by default', async () => {
    const target = all.find((c) => c.name === 'ИП Иванов Иван Иванович')!;
    const current = await subgraph.request<{ counterparty: { version: number } }>('query($id: ID!) { counterparty(id: $id) { version } }', { id: target.id }, viewer);
    const updated = await subgraph.request(
      'mutation($input: UpdateCounterpartyInput!) { updateCounterparty(input: $input) { id } }',
      { input: { id: target.id, version: current.data!.counterparty.version, tags: ['обновлён'] } },
      manager,
    );
    expect(updated.errors).toBeUndefined();
    const newestFirst = await names({ sort: 'UPDATED' }, 3);
    expect(newestFirst[0]).toBe(target.name);
    expect(newestFirst).toHaveLength(all.length);
    expect(await names({ sort: 'UPDATED', direction: 'ASC' }, 3)).toEqual([...newestFirst].reverse());
  });

  it('refuses the cursor of another order', async () => {
    const first = await page({ sort: 'NAME', first: 1 });
    const result = await page({ sort: 'INN', first: 1, after: first.data!.counterparties.pageInfo.endCursor });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const reversed = await page({ sort: 'NAME', direction: 'DESC', first: 1, after: first.data!.counterparties.pageInfo.endCursor });
    expect(reversed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('counterpartiesByIds', () => {
  const BY_IDS = 'query($ids: [ID!]!) { counterpartiesByIds(ids: $ids) { id name status } }';

  it('returns the counterparties in the order of the ids, archived ones too, leaving out unknown ids', async () => {
    const [a, b, c] = all;
    const archived = await subgraph.request('mutation($id: ID!) { archiveCounterparty(id: $id) { id } }', { id: c.id }, manager);
    expect(archived.errors).toBeUndefined();
    const result = await subgraph.request<{ counterpartiesByIds: { id: string; status: string }[] }>(
      BY_IDS,
      { ids: [b.id, '00000000-0000-4000-8000-00000000ffff', c.id, a.id, b.id] },
      viewer,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.counterpartiesByIds.map((row) => row.id)).toEqual([b.id, c.id, a.id]);
    expect(result.data!.counterpartiesByIds[1].status).toBe('ARCHIVED');
    await subgraph.request('mutation($id: ID!) { restoreCounterparty(id: $id) { id } }', { id: c.id }, manager);
  });

  it('takes at most 50 ids and only ids', async () => {
    const many = Array.from({ length: 51 }, (_, index) => `00000000-0000-4000-8000-${pad(index, 12)}`);
    const tooMany = await subgraph.request(BY_IDS, { ids: many }, viewer);
    expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });
    const fifty = await subgraph.request(BY_IDS, { ids: many.slice(0, 50) }, viewer);
    expect(fifty.errors).toBeUndefined();
    const malformed = await subgraph.request(BY_IDS, { ids: ['not-an-id'] }, viewer);
    expect(malformed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });
  });

  it('needs counterparties:read', async () => {
    const result = await subgraph.request(BY_IDS, { ids: [all[0].id] }, { kind: 'anonymous' });
    expect(result.errors?.[0].extensions?.code).toMatch(/UNAUTHENTICATED|FORBIDDEN/);
  });
});
