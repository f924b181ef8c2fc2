import { randomUUID } from 'node:crypto';
import { apiKeyIdentity, DEMO_MANAGER_IDS, type Identity } from '@kartoteka/kit';
import { collectPages, demoIdentity, seedCounterpartyRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { seedDocuments } from '../../../seed/documents.seed';
import { documentsSubgraph } from '../../../subgraph';
import { Document, DocumentStatus, DocumentType } from '../document.entity';

const MANAGER_ID = '00000000-0000-4000-8000-000000000002';
const manager: Identity = demoIdentity('manager@kartoteka.local');
const viewer: Identity = demoIdentity('viewer@kartoteka.local');
const readOnlyPartner: Identity = apiKeyIdentity('00000000-0000-4000-8000-00000000aaaa', '1C', ['counterparties:read']);
const documentsPartner: Identity = apiKeyIdentity('00000000-0000-4000-8000-00000000bbbb', 'ERP', ['documents:read', 'documents:write']);

let subgraph: TestSubgraph;
let statements: string[] = [];

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(), { onQuery: (sql) => statements.push(sql) });
  await seedCounterpartyRefs(subgraph.orm.em, ['3f2b8a52-3a7e-4c55-9a4c-1f1b2c3d4e5f']);
});
afterAll(() => subgraph?.close());

const FIELDS = 'id type number date title status counterpartyId dealId version createdAt updatedAt amount { minor currency } counterparty { id } author { id }';
const CREATE = `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { ${FIELDS} } }`;
const LIST = `query($counterpartyId: ID, $type: DocumentType, $status: DocumentStatus, $first: Int!, $after: String) {
  documents(counterpartyId: $counterpartyId, type: $type, status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id date title type status } }
  }
}`;
const ENTITIES = `query($r: [_Any!]!, $first: Int!, $after: String) { _entities(representations: $r) { ... on Counterparty {
  id documents(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id date title author { id } counterparty { id } } } }
} } }`;

type Node = { id: string; date: string | null; title: string; type: string; status: string };
type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: Node }[] };
type EntityPage = { id: string; documents: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: { id: string; date: string | null; author: { id: string } | null; counterparty: { id: string } } }[] } | null };

async function rowCount(): Promise<number> {
  const rows = await subgraph.orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from documents');
  return rows[0].n;
}

/** Inserts documents straight into the database (fixtures), dates going back one day each. */
async function insertDocuments(counterpartyId: string, count: number, firstDate = '2025-06-30', undated = 0): Promise<void> {
  const em = subgraph.orm.em.fork();
  const start = Date.parse(`${firstDate}T00:00:00Z`);
  for (let i = 0; i < count; i += 1) {
    em.create(Document, {
      type: DocumentType.INVOICE,
      counterpartyId,
      title: `Счёт на оплату № ${i + 1}`,
      date: i < undated ? null : new Date(start - Math.floor((i - undated) / 2) * 86_400_000).toISOString().slice(0, 10),
      amountMinor: 100_000 + i,
      currency: 'RUB',
      authorId: MANAGER_ID,
      createdAt: new Date(Date.UTC(2025, 0, 1) + i * 1000),
    });
  }
  await em.flush();
}

/** Every document of a counterparty via the top-level list, page by page. */
async function listAll(counterpartyId: string, first: number): Promise<Node[]> {
  const { nodes } = await collectPages(async (after) => {
    const result = await subgraph.request<{ documents: Page }>(LIST, { counterpartyId, first, after }, viewer);
    expect(result.errors).toBeUndefined();
    return result.data!.documents;
  });
  return nodes;
}

/** The documented order: date desc (undated first), createdAt desc, id desc. */
async function expectedOrder(counterpartyId: string): Promise<string[]> {
  const rows = await subgraph.orm.em
    .getConnection()
    .execute<{ id: string }[]>('select id from documents where counterparty_id = ? order by date desc nulls first, created_at desc, id desc', [counterpartyId]);
  return rows.map((row) => row.id);
}

describe('createDocument, document, documents', () => {
  it('creates a draft with its author, money and stubs, and reads it back', async () => {
    const counterpartyId = randomUUID();
    await seedCounterpartyRefs(subgraph.orm.em, [counterpartyId]);
    const dealId = randomUUID();
    const input = { type: 'CONTRACT', counterpartyId, title: '  Договор поставки № 15/25-П  ', date: '2025-03-31', number: '15/25-П', amountMinor: 125_000_000, dealId, contract: { subject: 'Поставка металлопроката', startDate: '2025-04-01' } };
    const created = await subgraph.request<{ createDocument: Record<string, unknown> & { id: string } }>(CREATE, { input }, manager);
    expect(created.errors).toBeUndefined();
    const document = created.data!.createDocument;
    expect(document).toMatchObject({
      type: 'CONTRACT',
      title: 'Договор поставки № 15/25-П',
      date: '2025-03-31',
      number: '15/25-П',
      status: 'DRAFT',
      version: 1,
      counterpartyId,
      dealId,
      amount: { minor: 125_000_000, currency: 'RUB' },
      counterparty: { id: counterpartyId },
      author: { id: MANAGER_ID },
    });

    const stored = await subgraph.orm.em.getConnection().execute<Record<string, unknown>[]>('select * from documents where id = ?', [document.id]);
    expect(stored[0]).toMatchObject({ amount_minor: '125000000', currency: 'RUB', author_id: MANAGER_ID, counterparty_id: counterpartyId, status: 'DRAFT', date: '2025-03-31' });

    const fetched = await subgraph.request<{ document: Record<string, unknown> }>(`query($id: ID!) { document(id: $id) { ${FIELDS} } }`, { id: document.id }, viewer);
    expect(fetched.data?.document).toEqual(document);
    const missing = await subgraph.request<{ a: null; b: null }>('{ a: document(id: "6a1c7e4e-0000-4000-8000-000000000000") { id } b: document(id: "nope") { id } }', {}, viewer);
    expect(missing.errors).toBeUndefined();
    expect(missing.data).toEqual({ a: null, b: null });

    const listed = await subgraph.request<{ documents: Page }>(LIST, { counterpartyId, first: 20 }, viewer);
    expect(listed.data?.documents.totalCount).toBe(1);
    expect(listed.data?.documents.edges.map((edge) => edge.node.id)).toEqual([document.id]);
  });

  it('keeps amount and currency empty without an amount, and takes the currency given', async () => {
    const counterpartyId = randomUUID();
    await seedCounterpartyRefs(subgraph.orm.em, [counterpartyId]);
    const plain = await subgraph.request<{ createDocument: { amount: unknown; number: unknown; date: unknown } }>(CREATE, { input: { type: 'INCOMING_LETTER', counterpartyId, title: 'Письмо о смене реквизитов', currency: 'EUR', number: '  ' } }, manager);
    expect(plain.data?.createDocument).toMatchObject({ amount: null, number: null, date: null });
    const euro = await subgraph.request<{ createDocument: { amount: unknown } }>(CREATE, { input: { type: 'INVOICE', counterpartyId, title: 'Invoice 7', amountMinor: 0, currency: 'EUR', invoice: { dueDate: '2025-05-01' } } }, manager);
    expect(euro.data?.createDocument.amount).toEqual({ minor: 0, currency: 'EUR' });
  });

  it('pages the list in the documented order with filters and a stable keyset cursor', async () => {
    const counterpartyId = randomUUID();
    await insertDocuments(counterpartyId, 23, '2025-05-10', 3);
    const em = subgraph.orm.em.fork();
    const signed = await em.find(Document, { counterpartyId }, { limit: 4, orderBy: { title: 'asc' } });
    for (const document of signed) document.status = DocumentStatus.SIGNED;
    await em.flush();

    const expected = await expectedOrder(counterpartyId);
    expect(expected).toHaveLength(23);
    for (const first of [1, 5, 7, 23]) expect((await listAll(counterpartyId, first)).map((node) => node.id)).toEqual(expected);
    const all = await listAll(counterpartyId, 100);
    expect(all.slice(0, 3).map((node) => node.date)).toEqual([null, null, null]);
    expect(all[3].date).toBe('2025-05-10');

    const onlySigned = await subgraph.request<{ documents: Page }>(LIST, { counterpartyId, status: 'SIGNED', first: 2 }, viewer);
    expect(onlySigned.data?.documents.totalCount).toBe(4);
    expect(onlySigned.data?.documents.edges.every((edge) => edge.node.status === 'SIGNED')).toBe(true);
    expect(onlySigned.data?.documents.pageInfo.hasNextPage).toBe(true);
    const noActs = await subgraph.request<{ documents: Page }>(LIST, { counterpartyId, type: 'ACT', first: 5 }, viewer);
    expect(noActs.data?.documents).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
  });
});

describe('validation', () => {
  const valid = { type: 'INVOICE', counterpartyId: '3f2b8a52-3a7e-4c55-9a4c-1f1b2c3d4e5f', title: 'Счёт на оплату № 1', date: '2025-01-15', amountMinor: 1000, currency: 'RUB' };
  const cases: [string, Record<string, unknown>, string][] = [
    ['blank title', { title: '   ' }, 'title'],
    ['date in another format', { date: '15.01.2025' }, 'date'],
    ['date that does not exist', { date: '2025-02-30' }, 'date'],
    ['negative amount', { amountMinor: -1 }, 'amountMinor'],
    ['lower-case currency', { currency: 'rub' }, 'currency'],
    ['four-letter currency', { currency: 'RUBL' }, 'currency'],
    ['counterparty id that is not a uuid', { counterpartyId: 'ООО Ромашка' }, 'counterpartyId'],
    ['deal id that is not a uuid', { dealId: '42' }, 'dealId'],
    ['title too long', { title: 'Д'.repeat(501) }, 'title'],
  ];

  it.each(cases)('refuses a %s with BAD_USER_INPUT on the field and writes nothing', async (_name, change, field) => {
    const before = await rowCount();
    const result = await subgraph.request(CREATE, { input: { ...valid, ...change } }, manager);
    expect(result.data).toBeNull();
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(typeof result.errors?.[0].message).toBe('string');
    expect(await rowCount()).toBe(before);
  });

  it('refuses bad page arguments', async () => {
    const zero = await subgraph.request(LIST, { first: 0 }, viewer);
    expect(zero.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const huge = await subgraph.request(LIST, { first: 101 }, viewer);
    expect(huge.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const forged = await subgraph.request(LIST, { first: 5, after: Buffer.from('["x","y","z"]').toString('base64url') }, viewer);
    expect(forged.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const garbage = await subgraph.request(ENTITIES, { r: [{ __typename: 'Counterparty', id: randomUUID() }], first: 5, after: 'garbage' }, viewer);
    expect(garbage.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('permissions', () => {
  const input = { type: 'OUTGOING_LETTER', counterpartyId: '3f2b8a52-3a7e-4c55-9a4c-1f1b2c3d4e5f', title: 'Письмо о согласовании графика поставки' };

  it('lets only holders of documents:write create, and nobody anonymous read', async () => {
    const before = await rowCount();
    const byViewer = await subgraph.request(CREATE, { input }, viewer);
    expect(byViewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const byAnonymous = await subgraph.request(CREATE, { input });
    expect(byAnonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await rowCount()).toBe(before);
    for (const query of [LIST, 'query { document(id: "3f2b8a52-3a7e-4c55-9a4c-1f1b2c3d4e5f") { id } }']) {
      const anonymous = await subgraph.request(query, { first: 5 });
      expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses documents to an API key with only counterparties:read, also on the Counterparty field', async () => {
    const list = await subgraph.request(LIST, { first: 5 }, readOnlyPartner);
    expect(list.data).toBeNull();
    expect(list.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const id = randomUUID();
    await insertDocuments(id, 2);
    const entities = await subgraph.request<{ _entities: EntityPage[] }>(ENTITIES, { r: [{ __typename: 'Counterparty', id }], first: 5 }, readOnlyPartner);
    expect(entities.data?._entities).toEqual([{ id, documents: null }]);
    expect(entities.errors?.[0]).toMatchObject({ path: ['_entities', 0, 'documents'], extensions: { code: 'FORBIDDEN' } });
  });

  it('lets a partner key with documents scopes create (without a staff author) and read', async () => {
    const created = await subgraph.request<{ createDocument: { id: string; author: unknown } }>(CREATE, { input }, documentsPartner);
    expect(created.errors).toBeUndefined();
    expect(created.data?.createDocument.author).toBeNull();
    const reference = await subgraph.request<{ _entities: { id: string; title: string }[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Document { id title } } }',
      { r: [{ __typename: 'Document', id: created.data!.createDocument.id }] },
      documentsPartner,
    );
    expect(reference.data?._entities).toEqual([{ id: created.data!.createDocument.id, title: input.title }]);
    const refused = await subgraph.request('query($r: [_Any!]!) { _entities(representations: $r) { ... on Document { id } } }', { r: [{ __typename: 'Document', id: created.data!.createDocument.id }] }, readOnlyPartner);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('Counterparty.documents through _entities', () => {
  it('returns the right page and total per counterparty, and pages on with the cursor', async () => {
    const [busy, single, empty] = [randomUUID(), randomUUID(), randomUUID()];
    await insertDocuments(busy, 25, '2025-04-01', 2);
    await insertDocuments(single, 1);
    const representations = [busy, single, empty, busy].map((id) => ({ __typename: 'Counterparty', id }));
    const result = await subgraph.request<{ _entities: EntityPage[] }>(ENTITIES, { r: representations, first: 20 }, viewer);
    expect(result.errors).toBeUndefined();
    const [first, second, third, again] = result.data!._entities;
    const busyOrder = await expectedOrder(busy);
    expect(first.id).toBe(busy);
    expect(first.documents?.totalCount).toBe(25);
    expect(first.documents?.edges.map((edge) => edge.node.id)).toEqual(busyOrder.slice(0, 20));
    expect(first.documents?.pageInfo.hasNextPage).toBe(true);
    expect(first.documents?.edges.every((edge) => edge.node.counterparty.id === busy && edge.node.author?.id === MANAGER_ID)).toBe(true);
    expect(again).toEqual(first);
    expect(second.documents).toMatchObject({ totalCount: 1, pageInfo: { hasNextPage: false } });
    expect(second.documents?.edges).toHaveLength(1);
    expect(third.documents).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });

    const next = await subgraph.request<{ _entities: EntityPage[] }>(ENTITIES, { r: [{ __typename: 'Counterparty', id: busy }], first: 20, after: first.documents?.pageInfo.endCursor }, viewer);
    expect(next.data?._entities[0].documents?.edges.map((edge) => edge.node.id)).toEqual(busyOrder.slice(20));
    expect(next.data?._entities[0].documents).toMatchObject({ totalCount: 25, pageInfo: { hasNextPage: false } });
    // The card and the list agree.
    expect((await listAll(busy, 20)).map((node) => node.id)).toEqual(busyOrder);
  });

  it('runs the same small number of SQL statements whatever the number of documents and counterparties', async () => {
    const [one, many, other, third] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await insertDocuments(one, 1);
    await insertDocuments(many, 200);
    await insertDocuments(other, 30);
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
    const withFour = await measure([one, many, other, third]);
    expect(withOne.entities[0].documents?.totalCount).toBe(1);
    expect(withMany.entities[0].documents?.totalCount).toBe(200);
    expect(withMany.entities[0].documents?.edges).toHaveLength(20);
    expect(withThree.entities.map((entity) => entity.documents?.totalCount)).toEqual([1, 200, 30]);
    expect(withFour.entities.map((entity) => entity.documents?.edges.length)).toEqual([1, 20, 20, 0]);
    expect(withOne.count).toBeGreaterThan(0);
    expect(withOne.count).toBeLessThanOrEqual(2);
    expect(withMany.count).toBe(withOne.count);
    expect(withThree.count).toBe(withOne.count);
    expect(withFour.count).toBe(withOne.count);
  });
});

describe('demo seed', () => {
  let seeded: TestSubgraph;
  const counterpartyIds = Array.from({ length: 12 }, (_, i) => `8d0c${String(i).padStart(4, '0')}-5eed-4000-8000-00000000000${i % 10}`);
  const today = '2026-11-27';
  const snapshot = () =>
    seeded.orm.em
      .getConnection()
      .execute<Record<string, unknown>[]>('select id, type, number, date, title, amount_minor, currency, status, counterparty_id, author_id, created_at from documents order by id');

  beforeAll(async () => {
    seeded = await startTestSubgraph(documentsSubgraph());
  });
  afterAll(() => seeded?.close());

  it('creates at least 300 realistic documents for the given counterparties, deterministically and once', async () => {
    const message = await seededRun();
    expect(message).toMatch(/^documents: \d+ demo documents/);
    const rows = await snapshot();
    expect(rows.length).toBeGreaterThanOrEqual(300);
    expect(new Set(rows.map((row) => row.counterparty_id))).toEqual(new Set(counterpartyIds));
    expect(new Set(rows.map((row) => row.type)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(rows.map((row) => row.status)).size).toBeGreaterThanOrEqual(7);
    const titles = rows.map((row) => String(row.title));
    for (const pattern of [/^Договор поставки .+ № \d+\/\d\d-П от \d\d\.\d\d\.\d{4}$/, /^Счёт на оплату № \d+ от /, /^Акт выполненных работ № /, /^Письмо о /, /^Коммерческое предложение на /]) {
      expect(titles.some((title) => pattern.test(title))).toBe(true);
    }
    const dates = rows.map((row) => row.date as string | null).filter((date): date is string => date !== null);
    expect(dates.every((date) => date < today && date >= '2024-11-27')).toBe(true);
    expect(Math.min(...dates.map((date) => Date.parse(date)))).toBeLessThan(Date.parse('2025-03-01'));
    expect(rows.every((row) => (row.amount_minor === null) === (row.currency === null))).toBe(true);
    expect(rows.every((row) => row.author_id === null || DEMO_MANAGER_IDS.includes(row.author_id as string) || String(row.author_id).startsWith('00000000-0000-4000-8000-'))).toBe(true);
    expect(rows.filter((row) => row.status === 'DRAFT').every((row) => row.number === null)).toBe(true);
    // Registration numbers are unique per type and year (payment orders carry the payer's numbers).
    const registered = rows.filter((row) => row.number !== null && row.type !== 'PAYMENT_ORDER').map((row) => `${row.type}:${String(row.date).slice(0, 4)}:${row.number}`);
    expect(registered.length).toBeGreaterThan(200);
    expect(new Set(registered).size).toBe(registered.length);

    expect(await seededRun()).toBe('documents: documents exist, nothing seeded');
    expect((await snapshot()).length).toBe(rows.length);

    await seeded.orm.em.getConnection().execute('delete from documents');
    await seededRun();
    expect(await snapshot()).toEqual(rows);
  });

  it('seeds nothing without counterparties', async () => {
    await seeded.orm.em.getConnection().execute('delete from documents');
    expect(await seedDocuments(seeded.orm.em.fork(), { counterpartyIds: [], today })).toBe('documents: no demo counterparties, nothing seeded');
    expect(await seeded.orm.em.fork().count(Document, {})).toBe(0);
  });

  function seededRun(): Promise<string> {
    return seeded.orm.em.fork().transactional((em) => seedDocuments(em, { counterpartyIds, today }));
  }
});
