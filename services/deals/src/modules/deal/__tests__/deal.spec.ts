import { randomUUID } from 'node:crypto';
import { apiKeyIdentity, DEMO_MANAGER_IDS, type Identity } from '@kartoteka/kit';
import { collectPages, demoIdentity, startTestSubgraph, type TestSubgraph, seedCounterpartyRefs, seedDemoUserRefs } from '@kartoteka/kit/testing';
import { seedDeals } from '../../../seed/deals.seed';
import { dealsSubgraph } from '../../../subgraph';
import { DEFAULT_DEFINITION, DEFAULT_TEMPLATE_ID } from '../../case-template/case-template.defaults';
import { Deal } from '../deal.entity';

/** A counterparty id the deals service knows (in its read model, as counterparties' events would put it). */
async function knownCounterparty(): Promise<string> {
  const id = randomUUID();
  await seedCounterpartyRefs(subgraph.orm.em, [id]);
  return id;
}

const MANAGER_ID = '00000000-0000-4000-8000-000000000002';
const SALES_ID = '00000000-0000-4000-8000-000000000003';
const manager: Identity = demoIdentity('manager@kartoteka.local');
const viewer: Identity = demoIdentity('viewer@kartoteka.local');
const readOnlyPartner: Identity = apiKeyIdentity('00000000-0000-4000-8000-00000000aaaa', '1C', ['counterparties:read']);
const dealsPartner: Identity = apiKeyIdentity('00000000-0000-4000-8000-00000000bbbb', 'ERP', ['deals:read', 'deals:write']);

let subgraph: TestSubgraph;
let statements: string[] = [];

beforeAll(async () => {
  subgraph = await startTestSubgraph(dealsSubgraph(), { onQuery: (sql) => statements.push(sql) });
  await seedDemoUserRefs(subgraph.orm.em);
  await seedCounterpartyRefs(subgraph.orm.em, ['3f2b8a52-3a7e-4c55-9a4c-1f1b2c3d4e5f']);
});
afterAll(() => subgraph?.close());

const FIELDS = 'id title stage counterpartyId expectedCloseDate version createdAt updatedAt amount { minor currency } counterparty { id } owner { id }';
const CREATE = `mutation($input: CreateDealInput!) { createDeal(input: $input) { ${FIELDS} } }`;
const LIST = `query($counterpartyId: ID, $stage: String, $first: Int!, $after: String) {
  deals(counterpartyId: $counterpartyId, stage: $stage, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id title stage } }
  }
}`;
const ENTITIES = `query($r: [_Any!]!, $first: Int!, $after: String) { _entities(representations: $r) { ... on Counterparty {
  id deals(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id title owner { id } counterparty { id } } } }
} } }`;

type Node = { id: string; title: string; stage: string };
type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: Node }[] };
type EntityPage = { id: string; deals: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: { id: string; owner: { id: string } | null; counterparty: { id: string } } }[] } | null };

async function rowCount(): Promise<number> {
  const rows = await subgraph.orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from deals');
  return rows[0].n;
}

/** Inserts deals straight into the database (fixtures); pairs share a creation time to exercise the id tie-break. */
async function insertDeals(counterpartyId: string, count: number, stages: string[] = ['lead']): Promise<void> {
  const em = subgraph.orm.em.fork();
  for (let i = 0; i < count; i += 1) {
    em.create(Deal, {
      title: `Сделка ${i + 1}`,
      counterpartyId,
      stageKey: stages[i % stages.length],
      amountMinor: 1_000_000 + i,
      currency: 'RUB',
      ownerId: MANAGER_ID,
      createdAt: new Date(Date.UTC(2025, 0, 1) + Math.floor(i / 2) * 60_000),
    });
  }
  await em.flush();
}

async function listAll(counterpartyId: string, first: number): Promise<Node[]> {
  const { nodes } = await collectPages(async (after) => {
    const result = await subgraph.request<{ deals: Page }>(LIST, { counterpartyId, first, after }, viewer);
    expect(result.errors).toBeUndefined();
    return result.data!.deals;
  });
  return nodes;
}

/** The documented order: createdAt desc, id desc. */
async function expectedOrder(counterpartyId: string): Promise<string[]> {
  const rows = await subgraph.orm.em.getConnection().execute<{ id: string }[]>('select id from deals where counterparty_id = ? order by created_at desc, id desc', [counterpartyId]);
  return rows.map((row) => row.id);
}

describe('createDeal, deal, deals', () => {
  it('opens a deal on the first stage owned by its creator, and reads it back', async () => {
    const counterpartyId = await knownCounterparty();
    const input = { title: '  Поставка серверного оборудования  ', counterpartyId, amountMinor: 1_250_000_00, expectedCloseDate: '2026-12-25' };
    const created = await subgraph.request<{ createDeal: Record<string, unknown> & { id: string } }>(CREATE, { input }, manager);
    expect(created.errors).toBeUndefined();
    const deal = created.data!.createDeal;
    expect(deal).toMatchObject({
      title: 'Поставка серверного оборудования',
      stage: 'lead',
      version: 1,
      counterpartyId,
      expectedCloseDate: '2026-12-25',
      amount: { minor: 1_250_000_00, currency: 'RUB' },
      counterparty: { id: counterpartyId },
      owner: { id: MANAGER_ID },
    });
    const stored = await subgraph.orm.em.getConnection().execute<Record<string, unknown>[]>('select * from deals where id = ?', [deal.id]);
    expect(stored[0]).toMatchObject({ amount_minor: '125000000', currency: 'RUB', owner_id: MANAGER_ID, stage: 'lead', expected_close_date: '2026-12-25' });

    const fetched = await subgraph.request<{ deal: Record<string, unknown> }>(`query($id: ID!) { deal(id: $id) { ${FIELDS} } }`, { id: deal.id }, viewer);
    expect(fetched.data?.deal).toEqual(deal);
    const missing = await subgraph.request<{ a: null; b: null }>('{ a: deal(id: "6a1c7e4e-0000-4000-8000-000000000000") { id } b: deal(id: "nope") { id } }', {}, viewer);
    expect(missing.errors).toBeUndefined();
    expect(missing.data).toEqual({ a: null, b: null });
    const listed = await subgraph.request<{ deals: Page }>(LIST, { counterpartyId, first: 20 }, viewer);
    expect(listed.data?.deals.totalCount).toBe(1);
    expect(listed.data?.deals.edges.map((edge) => edge.node.id)).toEqual([deal.id]);
  });

  it('takes a given stage, owner and currency, and keeps an unestimated amount empty', async () => {
    const counterpartyId = await knownCounterparty();
    const given = await subgraph.request<{ createDeal: { stage: string; owner: { id: string }; amount: unknown } }>(
      CREATE,
      { input: { title: 'Лизинг грузовых автомобилей', counterpartyId, stage: 'negotiation', ownerId: SALES_ID, amountMinor: 500_00, currency: 'EUR' } },
      manager,
    );
    expect(given.data?.createDeal).toMatchObject({ stage: 'negotiation', owner: { id: SALES_ID }, amount: { minor: 500_00, currency: 'EUR' } });
    const bare = await subgraph.request<{ createDeal: { amount: unknown; expectedCloseDate: unknown } }>(CREATE, { input: { title: 'Новый лид', counterpartyId, currency: 'USD' } }, manager);
    expect(bare.data?.createDeal).toMatchObject({ amount: null, expectedCloseDate: null });
  });

  it('pages the list newest first with a stable keyset cursor and filters by stage', async () => {
    const counterpartyId = await knownCounterparty();
    await insertDeals(counterpartyId, 17, ['lead', 'won', 'lost']);
    const expected = await expectedOrder(counterpartyId);
    expect(expected).toHaveLength(17);
    for (const first of [1, 4, 17, 100]) expect((await listAll(counterpartyId, first)).map((node) => node.id)).toEqual(expected);
    const won = await subgraph.request<{ deals: Page }>(LIST, { counterpartyId, stage: 'won', first: 2 }, viewer);
    expect(won.data?.deals.totalCount).toBe(6);
    expect(won.data?.deals.edges.map((edge) => edge.node.stage)).toEqual(['won', 'won']);
    const unknown = await subgraph.request(LIST, { counterpartyId, stage: 'closed', first: 2 }, viewer);
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stage' });
  });
});

describe('validation', () => {
  const valid = { title: 'Внедрение CRM-системы', counterpartyId: '3f2b8a52-3a7e-4c55-9a4c-1f1b2c3d4e5f', amountMinor: 1000, currency: 'RUB', stage: 'proposal', expectedCloseDate: '2026-03-31' };
  const cases: [string, Record<string, unknown>, string][] = [
    ['blank title', { title: '  ' }, 'title'],
    ['unknown stage', { stage: 'signed' }, 'stage'],
    ['negative amount', { amountMinor: -100 }, 'amountMinor'],
    ['bad currency', { currency: 'рубли' }, 'currency'],
    ['counterparty id that is not a uuid', { counterpartyId: '7701234567' }, 'counterpartyId'],
    ['owner id that is not a uuid', { ownerId: 'olga' }, 'ownerId'],
    ['close date that does not exist', { expectedCloseDate: '2026-02-29' }, 'expectedCloseDate'],
    ['close date in another format', { expectedCloseDate: '31/03/2026' }, 'expectedCloseDate'],
  ];

  it.each(cases)('refuses a %s with BAD_USER_INPUT on the field and writes nothing', async (_name, change, field) => {
    const before = await rowCount();
    const result = await subgraph.request(CREATE, { input: { ...valid, ...change } }, manager);
    expect(result.data).toBeNull();
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await rowCount()).toBe(before);
  });

  it('refuses bad page arguments', async () => {
    const zero = await subgraph.request(LIST, { first: 0 }, viewer);
    expect(zero.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const forged = await subgraph.request(LIST, { first: 5, after: Buffer.from('["yesterday","x"]').toString('base64url') }, viewer);
    expect(forged.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('permissions', () => {
  const input = { title: 'Монтаж системы видеонаблюдения', counterpartyId: '3f2b8a52-3a7e-4c55-9a4c-1f1b2c3d4e5f' };

  it('lets only holders of deals:write create, and nobody anonymous read', async () => {
    const before = await rowCount();
    expect((await subgraph.request(CREATE, { input }, viewer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await subgraph.request(CREATE, { input })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await rowCount()).toBe(before);
    expect((await subgraph.request(LIST, { first: 5 })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses deals to an API key with only counterparties:read, also on the Counterparty field', async () => {
    const list = await subgraph.request(LIST, { first: 5 }, readOnlyPartner);
    expect(list.data).toBeNull();
    expect(list.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const id = randomUUID();
    await insertDeals(id, 2);
    const entities = await subgraph.request<{ _entities: EntityPage[] }>(ENTITIES, { r: [{ __typename: 'Counterparty', id }], first: 5 }, readOnlyPartner);
    expect(entities.data?._entities).toEqual([{ id, deals: null }]);
    expect(entities.errors?.[0]).toMatchObject({ path: ['_entities', 0, 'deals'], extensions: { code: 'FORBIDDEN' } });
  });

  it('lets a partner key with deals scopes create (without a staff owner) and resolve Deal references', async () => {
    const created = await subgraph.request<{ createDeal: { id: string; owner: unknown } }>(CREATE, { input }, dealsPartner);
    expect(created.errors).toBeUndefined();
    expect(created.data?.createDeal.owner).toBeNull();
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Deal { id title } } }';
    const r = [{ __typename: 'Deal', id: created.data!.createDeal.id }, { __typename: 'Deal', id: randomUUID() }];
    expect((await subgraph.request<{ _entities: unknown[] }>(query, { r }, dealsPartner)).data?._entities).toEqual([{ id: created.data!.createDeal.id, title: input.title }, null]);
    expect((await subgraph.request(query, { r }, readOnlyPartner)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('Counterparty.deals through _entities', () => {
  it('returns the right page and total per counterparty, and pages on with the cursor', async () => {
    const [busy, single, empty] = [randomUUID(), randomUUID(), randomUUID()];
    await insertDeals(busy, 23);
    await insertDeals(single, 1);
    const result = await subgraph.request<{ _entities: EntityPage[] }>(ENTITIES, { r: [busy, single, empty].map((id) => ({ __typename: 'Counterparty', id })), first: 20 }, viewer);
    expect(result.errors).toBeUndefined();
    const [first, second, third] = result.data!._entities;
    const busyOrder = await expectedOrder(busy);
    expect(first.deals?.totalCount).toBe(23);
    expect(first.deals?.edges.map((edge) => edge.node.id)).toEqual(busyOrder.slice(0, 20));
    expect(first.deals?.pageInfo.hasNextPage).toBe(true);
    expect(first.deals?.edges.every((edge) => edge.node.counterparty.id === busy && edge.node.owner?.id === MANAGER_ID)).toBe(true);
    expect(second.deals).toMatchObject({ totalCount: 1, pageInfo: { hasNextPage: false } });
    expect(third.deals).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
    const next = await subgraph.request<{ _entities: EntityPage[] }>(ENTITIES, { r: [{ __typename: 'Counterparty', id: busy }], first: 20, after: first.deals?.pageInfo.endCursor }, viewer);
    expect(next.data?._entities[0].deals?.edges.map((edge) => edge.node.id)).toEqual(busyOrder.slice(20));
    expect((await listAll(busy, 20)).map((node) => node.id)).toEqual(busyOrder);
  });

  it('runs the same small number of SQL statements whatever the number of deals and counterparties', async () => {
    const [one, many, other] = [randomUUID(), randomUUID(), randomUUID()];
    await insertDeals(one, 1);
    await insertDeals(many, 200);
    await insertDeals(other, 30);
    const measure = async (ids: string[]) => {
      statements = [];
      const result = await subgraph.request<{ _entities: EntityPage[] }>(ENTITIES, { r: ids.map((id) => ({ __typename: 'Counterparty', id })), first: 20 }, viewer);
      expect(result.errors).toBeUndefined();
      // Bounded: every statement reading rows of the table is limited or an aggregate.
      expect(statements.every((sql) => /\blimit\b/i.test(sql) || /count\(\*\)/i.test(sql))).toBe(true);
      return { count: statements.length, entities: result.data!._entities };
    };
    const withOne = await measure([one]);
    const withMany = await measure([many]);
    const withThree = await measure([one, many, other]);
    expect(withOne.entities[0].deals?.totalCount).toBe(1);
    expect(withMany.entities[0].deals?.totalCount).toBe(200);
    expect(withThree.entities.map((entity) => [entity.deals?.totalCount, entity.deals?.edges.length])).toEqual([[1, 1], [200, 20], [30, 20]]);
    expect(withOne.count).toBeGreaterThan(0);
    expect(withOne.count).toBeLessThanOrEqual(2);
    expect(withMany.count).toBe(withOne.count);
    expect(withThree.count).toBe(withOne.count);
  });
});

describe('demo seed', () => {
  let seeded: TestSubgraph;
  const counterpartyIds = Array.from({ length: 15 }, (_, i) => `8d0c${String(i).padStart(4, '0')}-5eed-4000-8000-0000000000${String(i).padStart(2, '0')}`);
  const today = '2026-11-27';
  const snapshot = () =>
    seeded.orm.em
      .getConnection()
      .execute<Record<string, unknown>[]>('select id, title, amount_minor, currency, stage, status, template_id, template_version_id, form_data, counterparty_id, owner_id, expected_close_date, created_at from deals order by id');
  const run = () => seeded.orm.em.fork().transactional((em) => seedDeals(em, { counterpartyIds, today }));

  beforeAll(async () => {
    seeded = await startTestSubgraph(dealsSubgraph());
  });
  afterAll(() => seeded?.close());

  it('creates at least 60 deals over all stages of the default template (and some on a second one) for the given counterparties, deterministically and once', async () => {
    expect(await run()).toMatch(/^deals: \d+ demo deals/);
    const rows = await snapshot();
    const sales = rows.filter((row) => row.template_id === DEFAULT_TEMPLATE_ID);
    expect(sales.length).toBeGreaterThanOrEqual(60);
    expect(rows.length - sales.length).toBeGreaterThanOrEqual(6);
    expect(new Set(rows.map((row) => row.counterparty_id))).toEqual(new Set(counterpartyIds));
    expect(new Set(sales.map((row) => row.stage))).toEqual(new Set(DEFAULT_DEFINITION.stages.map((stage) => stage.key)));
    expect(rows.every((row) => row.status === (row.stage === 'won' || row.stage === 'delivered' ? 'WON' : row.stage === 'lost' ? 'LOST' : 'OPEN'))).toBe(true);
    expect(rows.every((row) => DEMO_MANAGER_IDS.includes(row.owner_id as string))).toBe(true);
    expect(rows.every((row) => (row.amount_minor === null) === (row.currency === null))).toBe(true);
    expect(rows.filter((row) => row.amount_minor !== null).length).toBeGreaterThan(50);
    const created = rows.map((row) => String(row.created_at).slice(0, 10));
    expect(created.every((date) => date >= '2024-11-27' && date < today)).toBe(true);
    const closed = rows.filter((row) => row.status !== 'OPEN');
    expect(closed.every((row) => String(row.expected_close_date) < today)).toBe(true);
    expect(rows.some((row) => row.status === 'OPEN' && String(row.expected_close_date) > today)).toBe(true);

    expect(await run()).toBe('deals: deals exist, nothing seeded');
    expect((await snapshot()).length).toBe(rows.length);
    // wiping the demo data deletes history entries, which the append-only history refuses: an operator's act, done with its trigger off
    await seeded.orm.em.getConnection().execute('alter table deal_changes disable trigger deal_changes_no_update_delete');
    await seeded.orm.em.getConnection().execute('delete from deals');
    await seeded.orm.em.getConnection().execute('alter table deal_changes enable trigger deal_changes_no_update_delete');
    await run();
    expect(await snapshot()).toEqual(rows);
  });
});
