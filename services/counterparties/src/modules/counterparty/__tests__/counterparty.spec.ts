import { apiKeyIdentity, type Identity } from '@kartoteka/kit';
import { makeInn10, makeInn12, makeOgrn, makeOgrnip, makeSettlementAccount, requisiteMessages } from '@kartoteka/kit/requisites';
import { collectPages, demoIdentity, type GraphQLResponse, seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { counterpartiesSubgraph } from '../../../subgraph';

const MANAGER_ID = '00000000-0000-4000-8000-000000000002';
const OTHER_MANAGER_ID = '00000000-0000-4000-8000-000000000003';
const manager: Identity = demoIdentity('manager@kartoteka.local');
const otherManager: Identity = demoIdentity('sales@kartoteka.local');
const viewer: Identity = demoIdentity('viewer@kartoteka.local');
const PARTNER_KEY_ID = '00000000-0000-4000-8000-00000000aaaa';
const partner: Identity = apiKeyIdentity(PARTNER_KEY_ID, '1C integration', ['counterparties:read', 'counterparties:write']);

let subgraph: TestSubgraph;
const queries: string[] = [];

beforeAll(async () => {
  subgraph = await startTestSubgraph(counterpartiesSubgraph(), { onQuery: (sql) => queries.push(sql) });
  await seedDemoUserRefs(subgraph.orm.em);
});
afterAll(() => subgraph?.close());

// ---------------------------------------------------------------------------------------------------------
// Fixtures: valid requisites made with kit's generators, unique per call.

let sequence = 0;
const next = () => (sequence += 1);
const pad = (value: number, length: number) => String(value).padStart(length, '0');

const SBERBANK = { bankName: 'ПАО Сбербанк', bik: '044525225', account: '40702810638000000000', correspondentAccount: '30101810400000000225' };
const ALFA = { bankName: 'АО «Альфа-Банк»', bik: '044525593', account: '40702810501006297269', correspondentAccount: '30101810200000000593' };

type Input = Record<string, unknown>;

function legalEntity(overrides: Input = {}): Input {
  const n = next();
  const inn = makeInn10(`7701${pad(n, 5)}`);
  return {
    name: `Общество с ограниченной ответственностью «Тестовая компания ${n}»`,
    shortName: `ООО «Тестовая компания ${n}»`,
    kind: 'LEGAL_ENTITY',
    status: 'CLIENT',
    inn,
    kpp: '770101001',
    ogrn: makeOgrn(`10277${pad(n, 7)}`),
    legalAddress: '101000, г. Москва, ул. Мясницкая, д. 1',
    postalAddress: '101000, г. Москва, а/я 1',
    bankAccounts: [SBERBANK],
    contacts: [{ name: 'Иванов Иван Иванович', position: 'Генеральный директор', email: `director${n}@example.ru`, phone: '+7 (495) 123-45-67' }],
    tags: ['опт'],
    ...overrides,
  };
}

function soleProprietor(overrides: Input = {}): Input {
  const n = next();
  return {
    name: `Индивидуальный предприниматель Петров Пётр Петрович ${n}`,
    shortName: `ИП Петров П. П. ${n}`,
    kind: 'SOLE_PROPRIETOR',
    inn: makeInn12(`5001${pad(n, 6)}`),
    ogrn: makeOgrnip(`30450011${pad(n, 6)}`),
    bankAccounts: [{ ...SBERBANK, account: makeSettlementAccount(`40802810${pad(n, 11)}`, SBERBANK.bik) }],
    ...overrides,
  };
}

function individual(overrides: Input = {}): Input {
  const n = next();
  return { name: `Сидорова Анна Сергеевна ${n}`, kind: 'INDIVIDUAL', inn: makeInn12(`7702${pad(n, 6)}`), ...overrides };
}

// ---------------------------------------------------------------------------------------------------------
// GraphQL helpers

const FIELDS = `id name shortName kind status inn kpp ogrn legalAddress postalAddress tags version createdAt updatedAt archivedAt
  responsibleManager { id }
  bankAccounts { id bankName bik account correspondentAccount }
  contacts { id name position email phone }`;

type CounterpartyView = {
  id: string;
  name: string;
  shortName: string | null;
  kind: string;
  status: string;
  inn: string;
  kpp: string | null;
  ogrn: string | null;
  tags: string[];
  version: number;
  archivedAt: string | null;
  responsibleManager: { id: string } | null;
  bankAccounts: { id: string; bankName: string; bik: string; account: string; correspondentAccount: string | null }[];
  contacts: { id: string; name: string; position: string | null; email: string | null; phone: string | null }[];
};

type ChangeView = { id: string; at: string; action: string; actor: { id: string } | null; actorName: string | null; changes: { field: string; from: string | null; to: string | null }[] };
type Page<T> = { edges: { node: T; cursor: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null }; totalCount: number };

const CREATE = `mutation($input: CreateCounterpartyInput!) { createCounterparty(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($input: UpdateCounterpartyInput!) { updateCounterparty(input: $input) { ${FIELDS} } }`;
const ARCHIVE = `mutation($id: ID!) { archiveCounterparty(id: $id) { ${FIELDS} } }`;
const RESTORE = `mutation($id: ID!) { restoreCounterparty(id: $id) { ${FIELDS} } }`;
const CARD = `query($id: ID!) { counterparty(id: $id) { ${FIELDS} } }`;
const HISTORY = `query($id: ID!, $first: Int, $after: String) { counterparty(id: $id) { history(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id at action actor { id } actorName changes { field from to } } } } } }`;
const LIST = `query($search: String, $status: CounterpartyStatus, $first: Int, $after: String) {
  counterparties(search: $search, status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name shortName inn status } } } }`;

async function create(input: Input, identity: Identity = manager): Promise<GraphQLResponse<{ createCounterparty: CounterpartyView }>> {
  return subgraph.request<{ createCounterparty: CounterpartyView }>(CREATE, { input }, identity);
}

async function created(input: Input, identity: Identity = manager): Promise<CounterpartyView> {
  const result = await create(input, identity);
  expect(result.errors).toBeUndefined();
  return result.data!.createCounterparty;
}

async function update(input: Input, identity: Identity = manager) {
  return subgraph.request<{ updateCounterparty: CounterpartyView }>(UPDATE, { input }, identity);
}

async function card(id: string): Promise<CounterpartyView | null> {
  const result = await subgraph.request<{ counterparty: CounterpartyView | null }>(CARD, { id }, viewer);
  expect(result.errors).toBeUndefined();
  return result.data!.counterparty;
}

async function history(id: string, first = 20, after?: string): Promise<Page<ChangeView>> {
  const result = await subgraph.request<{ counterparty: { history: Page<ChangeView> } }>(HISTORY, { id, first, after }, viewer);
  expect(result.errors).toBeUndefined();
  return result.data!.counterparty.history;
}

type ListNode = { id: string; name: string; shortName: string | null; inn: string; status: string };

async function list(variables: { search?: string; status?: string; first?: number; after?: string | null }, identity: Identity = viewer): Promise<Page<ListNode>> {
  const result = await subgraph.request<{ counterparties: Page<ListNode> }>(LIST, variables, identity);
  expect(result.errors).toBeUndefined();
  return result.data!.counterparties;
}

async function listAll(variables: { search?: string; status?: string }, pageSize: number): Promise<{ ids: string[]; pages: number; totalCount: number }> {
  const collected = await collectPages((after) => list({ ...variables, first: pageSize, after }), 50);
  // every page but the last is full, none is larger than asked
  const last = collected.pages.length - 1;
  collected.pages.forEach((page, index) => (index < last ? expect(page.edges).toHaveLength(pageSize) : expect(page.edges.length).toBeLessThanOrEqual(pageSize)));
  return { ids: collected.nodes.map((node) => node.id), pages: collected.pages.length, totalCount: collected.totalCount };
}

async function sqlRows<T>(query: string, params: unknown[] = []): Promise<T[]> {
  return subgraph.orm.em.fork().getConnection().execute<T[]>(query, params);
}

async function rowCounts(): Promise<Record<string, number>> {
  const [row] = await sqlRows<Record<string, number>>(
    `select (select count(*)::int from counterparties) as counterparties, (select count(*)::int from counterparty_contacts) as contacts,
            (select count(*)::int from counterparty_bank_accounts) as accounts, (select count(*)::int from counterparty_changes) as changes`,
  );
  return row;
}

async function countQueries(run: () => Promise<unknown>): Promise<number> {
  queries.length = 0;
  await run();
  return queries.length;
}

// ---------------------------------------------------------------------------------------------------------

describe('creating counterparties', () => {
  it('creates a legal entity, normalising what it stores', async () => {
    const input = legalEntity({
      name: '  Общество с ограниченной ответственностью   «Незабудка»  ',
      shortName: 'ООО «Незабудка»',
      inn: '7707 083 893',
      kpp: '773601001',
      ogrn: '1027700132195',
      bankAccounts: [SBERBANK, ALFA],
      tags: [' Опт ', 'опт', 'VIP клиент', ''],
      responsibleManagerId: OTHER_MANAGER_ID,
    });
    const counterparty = await created(input);
    expect(counterparty).toMatchObject({
      name: 'Общество с ограниченной ответственностью «Незабудка»',
      shortName: 'ООО «Незабудка»',
      kind: 'LEGAL_ENTITY',
      status: 'CLIENT',
      inn: '7707083893',
      kpp: '773601001',
      ogrn: '1027700132195',
      tags: ['опт', 'vip клиент'],
      version: 1,
      archivedAt: null,
      responsibleManager: { id: OTHER_MANAGER_ID },
    });
    expect(counterparty.bankAccounts.map((account) => account.bik)).toEqual(['044525225', '044525593']);
    expect(counterparty.contacts).toEqual([expect.objectContaining({ name: 'Иванов Иван Иванович', position: 'Генеральный директор', phone: '+7 (495) 123-45-67' })]);

    const stored = await card(counterparty.id);
    expect(stored).toEqual(counterparty);
    const [row] = await sqlRows<{ inn: string; tags: string[]; version: number }>('select inn, tags, version from counterparties where id = ?', [counterparty.id]);
    expect(row).toEqual({ inn: '7707083893', tags: ['опт', 'vip клиент'], version: 1 });
  });

  it('creates a sole proprietor without KPP and with an OGRNIP, PROSPECT by default', async () => {
    const counterparty = await created(soleProprietor());
    expect(counterparty).toMatchObject({ kind: 'SOLE_PROPRIETOR', status: 'PROSPECT', kpp: null });
    expect(counterparty.inn).toHaveLength(12);
    expect(counterparty.ogrn).toHaveLength(15);
  });

  it('creates an individual with nothing but a name and an INN', async () => {
    const counterparty = await created(individual());
    expect(counterparty).toMatchObject({ kind: 'INDIVIDUAL', kpp: null, ogrn: null, bankAccounts: [], contacts: [], tags: [], responsibleManager: null });
  });

  it('returns null for an unknown or malformed id', async () => {
    expect(await card('00000000-0000-4000-8000-00000000ffff')).toBeNull();
    expect(await card('not-a-uuid')).toBeNull();
  });
});

describe('validation', () => {
  const msg = (code: keyof typeof requisiteMessages) => requisiteMessages[code].en;

  const cases: [string, () => Input, string, string][] = [
    ['INN with a wrong check digit', () => legalEntity({ inn: '7707083894' }), 'inn', msg('inn.checksum')],
    ['INN of the wrong length for the kind', () => soleProprietor({ inn: '7707083893' }), 'inn', msg('inn.length')],
    ['INN with letters', () => legalEntity({ inn: '77070838A3' }), 'inn', msg('inn.format')],
    ['empty INN', () => legalEntity({ inn: '  ' }), 'inn', msg('inn.required')],
    ['legal entity without KPP', () => legalEntity({ kpp: null }), 'kpp', msg('kpp.required')],
    ['malformed KPP', () => legalEntity({ kpp: '77-101001' }), 'kpp', msg('kpp.format')],
    ['KPP of a sole proprietor', () => soleProprietor({ kpp: '770101001' }), 'kpp', msg('kpp.notAllowed')],
    ['OGRN with a wrong check digit', () => legalEntity({ ogrn: '1027700132196' }), 'ogrn', msg('ogrn.checksum')],
    ['OGRN of a legal entity given to a sole proprietor', () => soleProprietor({ ogrn: '1027700132195' }), 'ogrn', msg('ogrn.length')],
    ['OGRN of an individual', () => individual({ ogrn: '304500116000157' }), 'ogrn', msg('ogrn.notAllowed')],
    ['malformed BIK of the second account', () => legalEntity({ bankAccounts: [SBERBANK, { ...ALFA, bik: '144525593' }] }), 'bankAccounts.1.bik', msg('bik.format')],
    ['settlement account that does not match the BIK', () => legalEntity({ bankAccounts: [{ ...SBERBANK, account: '40702810938000000000' }] }), 'bankAccounts.0.account', msg('account.checksum')],
    ['short settlement account', () => legalEntity({ bankAccounts: [{ ...SBERBANK, account: '4070281063800000000' }] }), 'bankAccounts.0.account', msg('account.length')],
    ['wrong correspondent account', () => legalEntity({ bankAccounts: [{ ...SBERBANK, correspondentAccount: '30101810500000000225' }] }), 'bankAccounts.0.correspondentAccount', msg('correspondentAccount.checksum')],
    ['the same account twice', () => legalEntity({ bankAccounts: [SBERBANK, SBERBANK] }), 'bankAccounts.1.account', 'This bank account is already in the list'],
    ['malformed e-mail of the second contact', () => legalEntity({ contacts: [{ name: 'Первый' }, { name: 'Второй', email: 'not-an-email' }] }), 'contacts.1.email', 'Enter a valid e-mail address'],
    ['blank contact name', () => legalEntity({ contacts: [{ name: '   ' }] }), 'contacts.0.name', 'Contact name must not be empty'],
    ['blank name', () => legalEntity({ name: '   ' }), 'name', 'Name must not be empty'],
    ['overlong name', () => legalEntity({ name: 'Я'.repeat(501) }), 'name', 'Name must be at most 500 characters long'],
    ['status ARCHIVED', () => legalEntity({ status: 'ARCHIVED' }), 'status', 'A counterparty is archived with archiveCounterparty, not by setting its status'],
    ['more than 20 tags', () => legalEntity({ tags: Array.from({ length: 21 }, (_, index) => `метка ${index}`) }), 'tags', 'At most 20 tags'],
    ['a responsible manager that is not a user id', () => legalEntity({ responsibleManagerId: 'manager' }), 'responsibleManagerId', 'Responsible manager must be a user id'],
  ];

  it.each(cases)('refuses %s with BAD_USER_INPUT on the field and writes nothing', async (_title, input, field, message) => {
    const before = await rowCounts();
    const result = await create(input());
    expect(result.data).toBeNull();
    expect(result.errors?.[0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT', field } });
    // requisite failures carry the validator's code, so the portal can say it in the user's language
    const requisiteCode = (Object.keys(requisiteMessages) as (keyof typeof requisiteMessages)[]).find((code) => requisiteMessages[code].en === message);
    expect(result.errors?.[0].extensions?.reason ?? null).toBe(requisiteCode ?? null);
    expect(await rowCounts()).toEqual(before);
  });

  it('validates the merged state on update and changes nothing when it is invalid', async () => {
    const counterparty = await created(legalEntity());
    const before = await rowCounts();
    const switchedKind = await update({ id: counterparty.id, version: 1, kind: 'SOLE_PROPRIETOR' });
    // Only the kind is sent: the stored 10-digit INN no longer fits a sole proprietor.
    expect(switchedKind.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'inn' });
    const badAccount = await update({ id: counterparty.id, version: 1, bankAccounts: [SBERBANK, { ...ALFA, account: '40702810501006297260' }] });
    expect(badAccount.errors?.[0]).toMatchObject({ message: msg('account.checksum'), extensions: { code: 'BAD_USER_INPUT', field: 'bankAccounts.1.account' } });
    const clearedInn = await update({ id: counterparty.id, version: 1, inn: null });
    expect(clearedInn.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'inn' });
    const archived = await update({ id: counterparty.id, version: 1, status: 'ARCHIVED' });
    expect(archived.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status' });
    expect(await rowCounts()).toEqual(before);
    expect(await card(counterparty.id)).toEqual(counterparty);
  });
});

describe('uniqueness of INN + KPP among active counterparties', () => {
  it('refuses a duplicate, naming the existing counterparty, and writes nothing', async () => {
    const existing = await created(legalEntity());
    const before = await rowCounts();
    const duplicate = await create(legalEntity({ inn: existing.inn, kpp: existing.kpp, name: 'Другое название' }));
    expect(duplicate.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'inn', reason: 'counterparty.duplicate', existingId: existing.id });
    expect(duplicate.errors?.[0].message).toContain(existing.name);
    expect(await rowCounts()).toEqual(before);
  });

  it('allows a branch: the same INN with another KPP', async () => {
    const head = await created(legalEntity());
    const branch = await created(legalEntity({ inn: head.inn, kpp: '781043001', name: `Филиал ${head.name}` }));
    expect(branch.inn).toBe(head.inn);
    expect(branch.id).not.toBe(head.id);
  });

  it('treats a missing KPP as a value of its own', async () => {
    const person = await created(soleProprietor());
    const duplicate = await create(soleProprietor({ inn: person.inn }));
    expect(duplicate.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'inn', reason: 'counterparty.duplicate', existingId: person.id });
  });

  it('refuses an update that would duplicate another counterparty', async () => {
    const first = await created(legalEntity());
    const second = await created(legalEntity());
    const result = await update({ id: second.id, version: second.version, inn: first.inn });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'inn', reason: 'counterparty.duplicate', existingId: first.id });
    expect((await card(second.id))?.inn).toBe(second.inn);
  });

  it('does not count archived counterparties, but refuses to restore one whose INN + KPP is taken again', async () => {
    const old = await created(legalEntity());
    const archived = await subgraph.request<{ archiveCounterparty: CounterpartyView }>(ARCHIVE, { id: old.id }, manager);
    expect(archived.data?.archiveCounterparty).toMatchObject({ status: 'ARCHIVED', version: 2 });
    const successor = await created(legalEntity({ inn: old.inn, kpp: old.kpp }));

    const before = await rowCounts();
    const restore = await subgraph.request(RESTORE, { id: old.id }, manager);
    expect(restore.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'inn', reason: 'counterparty.duplicate', existingId: successor.id });
    expect(restore.errors?.[0].message).toContain(successor.name);
    expect(await rowCounts()).toEqual(before);
    expect(await card(old.id)).toMatchObject({ status: 'ARCHIVED', version: 2 });
  });

  it('lets exactly one of concurrent duplicate creations win, reporting the others like any duplicate', async () => {
    const input = legalEntity();
    const results = await Promise.all([create(input), create(input), create(input), create(input)]);
    const winners = results.filter((result) => result.data?.createCounterparty);
    expect(winners).toHaveLength(1);
    const winnerId = winners[0].data!.createCounterparty.id;
    for (const loser of results.filter((result) => result.errors)) {
      expect(loser.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'inn', reason: 'counterparty.duplicate', existingId: winnerId });
    }
    const rows = await sqlRows<{ n: number }>('select count(*)::int as n from counterparties where inn = ?', [input.inn]);
    expect(rows[0].n).toBe(1);
  });

  it('is enforced by the database too (partial unique index on inn, coalesce(kpp, ""))', async () => {
    const existing = await created(soleProprietor());
    const insert = (status: string) =>
      sqlRows(`insert into counterparties (id, name, kind, status, inn, kpp, tags) values (gen_random_uuid(), 'raw', 'SOLE_PROPRIETOR', ?, ?, null, '{}')`, [status, existing.inn]);
    await expect(insert('CLIENT')).rejects.toThrow(/counterparties_active_inn_kpp_unique/);
    await expect(insert('ARCHIVED')).resolves.toBeDefined();
  });
});

describe('optimistic locking and updates', () => {
  it('refuses a stale version with CONFLICT and changes nothing', async () => {
    const counterparty = await created(legalEntity());
    const first = await update({ id: counterparty.id, version: 1, name: 'Общество с ограниченной ответственностью «Новое имя»' });
    expect(first.data?.updateCounterparty).toMatchObject({ version: 2, name: 'Общество с ограниченной ответственностью «Новое имя»' });
    const before = await rowCounts();
    const stale = await update({ id: counterparty.id, version: 1, name: 'Потерянное изменение' });
    expect(stale.data).toBeNull();
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    expect(await rowCounts()).toEqual(before);
    expect(await card(counterparty.id)).toMatchObject({ name: 'Общество с ограниченной ответственностью «Новое имя»', version: 2 });
  });

  it('lets only one of two concurrent updates of the same version through', async () => {
    const counterparty = await created(legalEntity());
    const results = await Promise.all([update({ id: counterparty.id, version: 1, shortName: 'Первый' }), update({ id: counterparty.id, version: 1, shortName: 'Второй' })]);
    const codes = results.map((result) => (result.errors ? result.errors[0].extensions?.code : 'OK')).sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    const winner = results.find((result) => !result.errors)!.data!.updateCounterparty;
    expect(await card(counterparty.id)).toMatchObject({ shortName: winner.shortName, version: 2 });
    expect((await history(counterparty.id)).totalCount).toBe(2);
  });

  it('replaces lists, keeping the ids of items that stay; clears fields set to null; a no-op changes nothing', async () => {
    const counterparty = await created(
      legalEntity({
        bankAccounts: [SBERBANK, ALFA],
        contacts: [
          { name: 'Первый Контакт', email: 'first@example.ru' },
          { name: 'Второй Контакт', email: 'second@example.ru' },
        ],
      }),
    );
    const result = await update({
      id: counterparty.id,
      version: 1,
      shortName: null,
      bankAccounts: [ALFA],
      contacts: [{ name: 'Второй Контакт', email: 'SECOND@example.ru', position: 'Бухгалтер' }, { name: 'Третий Контакт' }],
    });
    expect(result.errors).toBeUndefined();
    const updated = result.data!.updateCounterparty;
    expect(updated).toMatchObject({ shortName: null, version: 2 });
    expect(updated.bankAccounts).toEqual([counterparty.bankAccounts[1]]);
    expect(updated.contacts.map((contact) => [contact.name, contact.position])).toEqual([['Второй Контакт', 'Бухгалтер'], ['Третий Контакт', null]]);
    expect(updated.contacts[0].id).toBe(counterparty.contacts[1].id);
    const orphans = await sqlRows<{ n: number }>(
      `select (select count(*) from counterparty_contacts where counterparty_id = ?) + (select count(*) from counterparty_bank_accounts where counterparty_id = ?) as n`,
      [counterparty.id, counterparty.id],
    );
    expect(Number(orphans[0].n)).toBe(3);

    const before = await rowCounts();
    const noop = await update({ id: counterparty.id, version: 2, name: `  ${counterparty.name} `, bankAccounts: [ALFA] });
    expect(noop.data?.updateCounterparty.version).toBe(2);
    expect(await rowCounts()).toEqual(before);
  });

  it('changes the kind when the requisites change with it', async () => {
    const counterparty = await created(legalEntity());
    const inn = makeInn12('7703000001');
    const result = await update({ id: counterparty.id, version: 1, kind: 'INDIVIDUAL', inn, kpp: null, ogrn: null });
    expect(result.errors).toBeUndefined();
    expect(result.data?.updateCounterparty).toMatchObject({ kind: 'INDIVIDUAL', inn, kpp: null, ogrn: null, version: 2 });
  });

  it('reports unknown ids as NOT_FOUND and refuses to edit an archived counterparty', async () => {
    const missing = await update({ id: '00000000-0000-4000-8000-00000000ffff', version: 1, name: 'x' });
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const archive = await subgraph.request(ARCHIVE, { id: '00000000-0000-4000-8000-00000000ffff' }, manager);
    expect(archive.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const counterparty = await created(legalEntity());
    await subgraph.request(ARCHIVE, { id: counterparty.id }, manager);
    const edit = await update({ id: counterparty.id, version: 2, name: 'Правка в архиве' });
    expect(edit.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });
});

describe('history', () => {
  it('records who changed what, newest first, through create, update, archive and restore', async () => {
    const counterparty = await created(legalEntity({ status: 'PROSPECT', tags: ['опт'], contacts: [] }), manager);
    await update(
      { id: counterparty.id, version: 1, status: 'CLIENT', tags: ['опт', 'ключевой'], contacts: [{ name: 'Петрова Мария Ивановна', position: 'Директор', email: 'maria@example.ru' }] },
      otherManager,
    );
    const archived = await subgraph.request<{ archiveCounterparty: CounterpartyView }>(ARCHIVE, { id: counterparty.id }, manager);
    expect(archived.data?.archiveCounterparty).toMatchObject({ status: 'ARCHIVED', version: 3 });
    expect(archived.data?.archiveCounterparty.archivedAt).toBeTruthy();
    const again = await subgraph.request<{ archiveCounterparty: CounterpartyView }>(ARCHIVE, { id: counterparty.id }, manager);
    expect(again.data?.archiveCounterparty.version).toBe(3);
    const restored = await subgraph.request<{ restoreCounterparty: CounterpartyView }>(RESTORE, { id: counterparty.id }, partner);
    expect(restored.data?.restoreCounterparty).toMatchObject({ status: 'CLIENT', version: 4, archivedAt: null });

    const page = await history(counterparty.id);
    expect(page.totalCount).toBe(4);
    const entries = page.edges.map((edge) => edge.node);
    expect(entries.map((entry) => entry.action)).toEqual(['RESTORED', 'ARCHIVED', 'UPDATED', 'CREATED']);
    expect(entries.map((entry) => entry.actor?.id ?? null)).toEqual([null, MANAGER_ID, OTHER_MANAGER_ID, MANAGER_ID]);
    expect(entries[0]).toMatchObject({ actorName: '1C integration', changes: [{ field: 'status', from: 'ARCHIVED', to: 'CLIENT' }] });
    expect(entries[1]).toMatchObject({ actorName: 'Ольга Смирнова', changes: [{ field: 'status', from: 'CLIENT', to: 'ARCHIVED' }] });
    expect(entries[2].changes).toEqual([
      { field: 'status', from: 'PROSPECT', to: 'CLIENT' },
      { field: 'contacts', from: null, to: 'Петрова Мария Ивановна (Директор, maria@example.ru)' },
      { field: 'tags', from: 'опт', to: 'опт, ключевой' },
    ]);
    expect(entries[3].changes).toEqual(
      expect.arrayContaining([
        { field: 'name', from: null, to: counterparty.name },
        { field: 'inn', from: null, to: counterparty.inn },
        { field: 'kpp', from: null, to: '770101001' },
        { field: 'bankAccounts', from: null, to: 'ПАО Сбербанк (BIK 044525225): 40702810638000000000, corr. 30101810400000000225' },
      ]),
    );
    const stored = await sqlRows<{ actor_id: string; actor_kind: string }>('select actor_id, actor_kind from counterparty_changes where counterparty_id = ? order by version desc limit 1', [counterparty.id]);
    expect(stored[0]).toEqual({ actor_id: PARTNER_KEY_ID, actor_kind: 'apiKey' });
  });

  it('pages through the history without gaps', async () => {
    const counterparty = await created(legalEntity());
    for (let version = 1; version <= 4; version += 1) {
      const result = await update({ id: counterparty.id, version, legalAddress: `Адрес ${version}` });
      expect(result.errors).toBeUndefined();
    }
    const first = await history(counterparty.id, 2);
    const second = await history(counterparty.id, 2, first.pageInfo.endCursor!);
    const third = await history(counterparty.id, 2, second.pageInfo.endCursor!);
    expect([first, second, third].map((page) => page.pageInfo.hasNextPage)).toEqual([true, true, false]);
    const addresses = [...first.edges, ...second.edges, ...third.edges].map((edge) => edge.node.changes.find((change) => change.field === 'legalAddress')?.to);
    expect(addresses).toEqual(['Адрес 4', 'Адрес 3', 'Адрес 2', 'Адрес 1', '101000, г. Москва, ул. Мясницкая, д. 1']);
  });
});

describe('search and listing', () => {
  let romashka: CounterpartyView;
  let romashkaPlus: CounterpartyView;
  let northwind: CounterpartyView;
  let vasilek: CounterpartyView;
  let archivedOne: CounterpartyView;

  beforeAll(async () => {
    romashka = await created(legalEntity({ name: 'Общество с ограниченной ответственностью «Ромашка»', shortName: 'ООО «Ромашка»', inn: makeInn10('623456789'), status: 'CLIENT' }));
    romashkaPlus = await created(legalEntity({ name: 'Акционерное общество «Ромашка-Плюс Трейд»', shortName: null, inn: makeInn10('623499999'), status: 'SUPPLIER' }));
    northwind = await created(legalEntity({ name: 'Northwind Trading LLC', shortName: 'Northwind', status: 'PARTNER' }));
    vasilek = await created(legalEntity({ name: 'Общество с ограниченной ответственностью «Василёк»', status: 'CLIENT' }));
    archivedOne = await created(legalEntity({ name: 'Общество с ограниченной ответственностью «Ромашка-Архив»' }));
    await subgraph.request(ARCHIVE, { id: archivedOne.id }, manager);
  });

  const idsOf = (page: Page<ListNode>) => page.edges.map((edge) => edge.node.id);

  it.each(['ромашка', 'РОМАШКА', 'Ромашка', 'рамашка', 'ромашко', 'ООО Ромашка'])('finds «Ромашка» first for %p, whatever the case or a typo', async (search) => {
    const page = await list({ search, first: 100 });
    expect(idsOf(page)[0]).toBe(romashka.id);
    expect(idsOf(page)).not.toContain(vasilek.id);
    expect(idsOf(page)).not.toContain(archivedOne.id);
  });

  it('finds every name containing the word, ranked by relevance', async () => {
    const page = await list({ search: 'ромашка', first: 100 });
    expect(idsOf(page).slice(0, 2).sort()).toEqual([romashka.id, romashkaPlus.id].sort());
    expect(page.totalCount).toBe(page.edges.length);
  });

  it('finds Latin names case-insensitively and with typos', async () => {
    for (const search of ['northwind', 'NORTHWIND trading', 'nortwind', 'Northwnd']) {
      const page = await list({ search, first: 100 });
      expect(idsOf(page)[0]).toBe(northwind.id);
    }
    expect(idsOf(await list({ search: 'василёк', first: 100 }))).toEqual([vasilek.id]);
  });

  it('treats digits as the beginning of an INN or OGRN', async () => {
    const byInn = await list({ search: '6234', first: 100 });
    expect(idsOf(byInn).sort()).toEqual([romashka.id, romashkaPlus.id].sort());
    expect(idsOf(await list({ search: romashka.inn, first: 100 }))).toEqual([romashka.id]);
    const byOgrn = await list({ search: romashka.ogrn!.slice(0, 11), first: 100 });
    expect(idsOf(byOgrn)).toContain(romashka.id);
    expect(idsOf(await list({ search: '0000000000', first: 100 }))).toEqual([]);
  });

  it('does not treat LIKE wildcards in a search as wildcards', async () => {
    expect((await list({ search: '%', first: 100 })).totalCount).toBe(0);
    expect((await list({ search: '_', first: 100 })).totalCount).toBe(0);
  });

  it('filters by status and lists archived counterparties only when asked', async () => {
    const partners = await list({ status: 'PARTNER', first: 100 });
    expect(partners.edges.every((edge) => edge.node.status === 'PARTNER')).toBe(true);
    expect(idsOf(partners)).toContain(northwind.id);
    const suppliersNamedRomashka = await list({ search: 'ромашка', status: 'SUPPLIER', first: 100 });
    expect(idsOf(suppliersNamedRomashka)).toEqual([romashkaPlus.id]);
    const all = await list({ first: 100 });
    expect(all.edges.some((edge) => edge.node.status === 'ARCHIVED')).toBe(false);
    const archived = await list({ status: 'ARCHIVED', search: 'ромашка', first: 100 });
    expect(idsOf(archived)).toEqual([archivedOne.id]);
  });

  it('refuses a cursor of another list order', async () => {
    const byName = await list({ first: 1 });
    const result = await subgraph.request(LIST, { search: 'ромашка', first: 1, after: byName.pageInfo.endCursor }, viewer);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  describe('pagination', () => {
    beforeAll(async () => {
      // Names share a word; some misspell it, so relevance varies and ties (equal scores) are frequent.
      for (let index = 0; index < 23; index += 1) {
        const word = index % 3 === 0 ? 'Каталоган' : 'Каталог';
        await created(legalEntity({ name: `ООО «${word} ${String.fromCharCode(1040 + (index % 7))} ${index}»`, shortName: null, status: index % 2 ? 'CLIENT' : 'PROSPECT' }));
      }
    });

    it('walks the list by name in pages with no duplicates or gaps', async () => {
      const expected = await sqlRows<{ id: string }>(`select id from counterparties where status <> 'ARCHIVED' order by sort_name, id`);
      const { ids, pages, totalCount } = await listAll({}, 7);
      expect(pages).toBeGreaterThanOrEqual(2);
      expect(totalCount).toBe(expected.length);
      expect(ids).toEqual(expected.map((row) => row.id));
    });

    it('walks search results by relevance in pages with no duplicates or gaps', async () => {
      const everything = await list({ search: 'каталог', first: 100 });
      expect(everything.totalCount).toBeGreaterThanOrEqual(23);
      const { ids, pages, totalCount } = await listAll({ search: 'каталог' }, 5);
      expect(pages).toBeGreaterThanOrEqual(5);
      expect(totalCount).toBe(everything.totalCount);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(idsOf(everything));
    });

    it('walks a filtered list in pages', async () => {
      const expected = await sqlRows<{ id: string }>(`select id from counterparties where status = 'PROSPECT' order by sort_name, id`);
      const { ids, pages } = await listAll({ status: 'PROSPECT' }, 4);
      expect(pages).toBeGreaterThanOrEqual(2);
      expect(ids).toEqual(expected.map((row) => row.id));
    });
  });
});

describe('authorization', () => {
  it('lets a viewer read but not write', async () => {
    const forbidden = await create(legalEntity(), viewer);
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const someone = await created(legalEntity());
    for (const [query, variables] of [
      [UPDATE, { input: { id: someone.id, version: 1, name: 'x' } }],
      [ARCHIVE, { id: someone.id }],
      [RESTORE, { id: someone.id }],
    ] as const) {
      const result = await subgraph.request(query, variables, viewer);
      expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect((await card(someone.id))?.version).toBe(1);
    expect((await list({ first: 1 })).totalCount).toBeGreaterThan(0);
  });

  it('refuses anonymous callers', async () => {
    for (const query of [LIST, `{ counterparty(id: "00000000-0000-4000-8000-000000000001") { id } }`]) {
      const result = await subgraph.request(query, {});
      expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    const result = await subgraph.request(CREATE, { input: legalEntity() });
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('lets partner API keys with the scope write, and refuses keys without it', async () => {
    expect((await created(individual(), partner)).kind).toBe('INDIVIDUAL');
    const readOnly = apiKeyIdentity('00000000-0000-4000-8000-00000000bbbb', 'read only', ['counterparties:read']);
    expect((await create(individual(), readOnly)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('query counts', () => {
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Counterparty { id name inn contacts { name } bankAccounts { bik } } } }`;
  let ids: string[];

  beforeAll(async () => {
    ids = [];
    for (let index = 0; index < 12; index += 1) {
      ids.push((await created(legalEntity({ contacts: [{ name: 'Контакт' }, { name: 'Ещё контакт' }], bankAccounts: [SBERBANK, ALFA] }))).id);
    }
  });

  it('resolves a batch of Counterparty references in a bounded number of queries and checks permissions', async () => {
    const representations = (count: number) => [...ids.slice(0, count).map((id) => ({ __typename: 'Counterparty', id })), { __typename: 'Counterparty', id: '00000000-0000-4000-8000-00000000ffff' }];
    let result: GraphQLResponse<{ _entities: ({ id: string; contacts: unknown[]; bankAccounts: unknown[] } | null)[] }> = {};
    const few = await countQueries(async () => {
      result = await subgraph.request(ENTITIES, { r: representations(2) }, viewer);
    });
    const many = await countQueries(async () => {
      result = await subgraph.request(ENTITIES, { r: representations(12) }, viewer);
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities.map((entity) => entity?.id ?? null)).toEqual([...ids, null]);
    expect(result.data?._entities[0]).toMatchObject({ contacts: [{ name: 'Контакт' }, { name: 'Ещё контакт' }], bankAccounts: [{ bik: '044525225' }, { bik: '044525593' }] });
    expect(many).toBe(few);
    expect(many).toBeLessThanOrEqual(3);

    const anonymous = await subgraph.request(ENTITIES, { r: representations(1) });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('lists with contacts, accounts and history without N+1 queries', async () => {
    const query = `query($first: Int) { counterparties(first: $first) { edges { node { id contacts { id } bankAccounts { id } history(first: 1) { totalCount edges { node { action } } } } } } }`;
    const small = await countQueries(() => subgraph.request(query, { first: 2 }, viewer));
    let result: GraphQLResponse<{ counterparties: { edges: { node: { history: { totalCount: number } } }[] } }> = {};
    const large = await countQueries(async () => {
      result = await subgraph.request(query, { first: 12 }, viewer);
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.counterparties.edges).toHaveLength(12);
    expect(result.data?.counterparties.edges.every((edge) => edge.node.history.totalCount >= 1)).toBe(true);
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(6);
  });

  it('loads a full card in a bounded number of queries', async () => {
    const count = await countQueries(async () => {
      const result = await subgraph.request(`query($id: ID!) { counterparty(id: $id) { ${FIELDS} history { totalCount edges { node { action actor { id } changes { field } } } } } }`, { id: ids[0] }, viewer);
      expect(result.errors).toBeUndefined();
    });
    expect(count).toBeLessThanOrEqual(5);
  });
});
