import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { GATEWAY_TOKEN_HEADER, signGatewayToken, verifyHashChain, type Identity } from '@kartoteka/kit';
import { makeInn10, makeInn12, makeOgrn, makeOgrnip, makeSettlementAccount } from '@kartoteka/kit/requisites';
import { demoIdentity, seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { counterpartiesSubgraph } from '../../../subgraph';
import { COUNTERPARTY_HISTORY_CHAIN } from '../../counterparty/counterparty-history.chain';
import type { CreateCounterpartyInput } from '../../counterparty/counterparty.input';
import { CounterpartyService } from '../../counterparty/counterparty.service';
import { ImportWorker } from '../import.worker';

const manager: Identity = demoIdentity('manager@kartoteka.local');
const viewer: Identity = demoIdentity('viewer@kartoteka.local');
const MANAGER_ID = '00000000-0000-4000-8000-000000000002';

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(counterpartiesSubgraph({ importWorker: false }));
  await seedDemoUserRefs(subgraph.orm.em);
});
afterAll(() => subgraph?.close());

const worker = (options: ConstructorParameters<typeof ImportWorker>[1] = {}) => new ImportWorker({ orm: subgraph.orm, logger: subgraph.logger }, options);

let sequence = 0;
const pad = (value: number, length: number) => String(value).padStart(length, '0');
const BIK = '044525225';
const CORR = '30101810400000000225';

type Company = { name: string; inn: string; kpp: string; ogrn: string; account: string };
function company(): Company {
  sequence += 1;
  return {
    name: `ООО «Импорт ${sequence}»`,
    inn: makeInn10(`7702${pad(sequence, 5)}`),
    kpp: '770201001',
    ogrn: makeOgrn(`10277${pad(sequence + 500, 7)}`),
    account: makeSettlementAccount(`40702810${pad(sequence, 11)}`, BIK),
  };
}

const HEADER = ['Наименование', 'ИНН', 'КПП', 'ОГРН', 'Статус', 'Контактное лицо', 'E-mail контакта', 'БИК', 'Р/с', 'Банк', 'Менеджер'];
function line(c: Company, overrides: Partial<Record<'name' | 'inn' | 'kpp' | 'contact' | 'email', string>> = {}): string[] {
  return [overrides.name ?? c.name, overrides.inn ?? c.inn, overrides.kpp ?? c.kpp, c.ogrn, 'Клиент', overrides.contact ?? 'Иванов Иван', overrides.email ?? `ivanov.${c.inn}@example.ru`, BIK, c.account, 'ПАО Сбербанк', 'manager@kartoteka.local'];
}

function csv1251(rows: string[][]): Buffer {
  return iconv.encode(rows.map((row) => row.map((cell) => (/[;"]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(';')).join('\r\n'), 'win1251');
}

async function rest(identity: Identity): Promise<Record<string, string>> {
  return { [GATEWAY_TOKEN_HEADER]: await signGatewayToken(identity, 'counterparties', subgraph.secret, randomUUID()) };
}

const restUrl = (path: string) => subgraph.url.replace(/\/graphql$/, `/internal/rest${path}`);

type UploadedJob = { id: string; headers: string[]; rowCount: number; status: string };

async function upload(content: Buffer, name: string, identity: Identity = manager): Promise<{ status: number; body: { job?: UploadedJob; errors?: { message: string; extensions: Record<string, unknown> }[] } }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), name);
  const response = await fetch(restUrl('/imports'), { method: 'POST', body: form, headers: await rest(identity) });
  return { status: response.status, body: (await response.json()) as { job?: UploadedJob } };
}

async function uploaded(content: Buffer, name: string): Promise<UploadedJob> {
  const result = await upload(content, name);
  expect(result.status).toBe(201);
  return result.body.job!;
}

const JOB = `id status rowCount total processed duplicatePolicy headers mapping { column field } suggestedMapping { column field }
  counters { valid invalid duplicate created updated skipped refused } createdBy { id }`;
type JobView = {
  id: string; status: string; rowCount: number; total: number; processed: number; duplicatePolicy: string; headers: string[];
  mapping: { column: number; field: string }[]; suggestedMapping: { column: number; field: string }[];
  counters: Record<'valid' | 'invalid' | 'duplicate' | 'created' | 'updated' | 'skipped' | 'refused', number>; createdBy: { id: string } | null;
};

async function gql<T>(query: string, variables: Record<string, unknown>, identity: Identity = manager): Promise<T> {
  const result = await subgraph.request<T>(query, variables, identity);
  expect(result.errors).toBeUndefined();
  return result.data as T;
}

async function job(id: string): Promise<JobView> {
  return (await gql<{ importJob: JobView }>(`query($id: ID!) { importJob(id: $id) { ${JOB} } }`, { id })).importJob;
}

async function mapAndPreview(id: string, policy: 'SKIP' | 'UPDATE' = 'SKIP'): Promise<JobView> {
  const suggested = (await job(id)).suggestedMapping;
  const mapped = await gql<{ setImportMapping: JobView }>(`mutation($input: SetImportMappingInput!) { setImportMapping(input: $input) { ${JOB} } }`, {
    input: { jobId: id, columns: suggested, duplicatePolicy: policy },
  });
  expect(mapped.setImportMapping.status).toBe('MAPPED');
  await worker().drain();
  return job(id);
}

async function run(id: string, policy?: 'SKIP' | 'UPDATE', options: ConstructorParameters<typeof ImportWorker>[1] = {}): Promise<JobView> {
  const started = await gql<{ startImport: JobView }>(`mutation($input: StartImportInput!) { startImport(input: $input) { status } }`, { input: { jobId: id, duplicatePolicy: policy } });
  expect(started.startImport.status).toBe('RUNNING');
  await worker(options).drain();
  return job(id);
}

type RowView = { rowNumber: number; status: string; errors: { field: string; message: string }[]; existingId: string | null; outcome: string | null; counterpartyId: string | null };
async function rows(jobId: string, status?: string): Promise<RowView[]> {
  const data = await gql<{ importRows: { totalCount: number; edges: { node: RowView }[] } }>(
    `query($jobId: ID!, $status: ImportRowFilter) { importRows(jobId: $jobId, status: $status, first: 100) { totalCount edges { node { rowNumber status errors { field message } existingId outcome counterpartyId } } } }`,
    { jobId, status },
  );
  return data.importRows.edges.map((edge) => edge.node);
}

type Card = { id: string; name: string; inn: string; kpp: string | null; status: string; responsibleManager: { id: string } | null; contacts: { name: string; email: string | null }[]; bankAccounts: { bik: string; account: string; bankName: string }[] };
const CARD_FIELDS = 'id name inn kpp status responsibleManager { id } contacts { name email } bankAccounts { bik account bankName }';

async function byInn(inn: string): Promise<Card[]> {
  const data = await gql<{ counterparties: { edges: { node: { id: string } }[] } }>(`query($s: String) { counterparties(search: $s, first: 50) { edges { node { id } } } }`, { s: inn }, viewer);
  const ids = data.counterparties.edges.map((edge) => edge.node.id);
  if (!ids.length) return [];
  return (await gql<{ counterpartiesByIds: Card[] }>(`query($ids: [ID!]!) { counterpartiesByIds(ids: $ids) { ${CARD_FIELDS} } }`, { ids }, viewer)).counterpartiesByIds.filter((card) => card.inn === inn);
}

async function createDirectly(c: Company): Promise<string> {
  const data = await gql<{ createCounterparty: { id: string } }>(`mutation($input: CreateCounterpartyInput!) { createCounterparty(input: $input) { id } }`, {
    input: { name: c.name, kind: 'LEGAL_ENTITY', inn: c.inn, kpp: c.kpp, ogrn: c.ogrn, contacts: [{ name: 'Старый контакт', email: `old.${c.inn}@example.ru` }] },
  });
  return data.createCounterparty.id;
}

describe('upload', () => {
  it('refuses callers without counterparties:import and files with no rows', async () => {
    expect((await upload(csv1251([HEADER]), 'x.csv', viewer)).status).toBe(403);
    const empty = await upload(csv1251([HEADER]), 'header-only.csv');
    expect(empty.status).toBe(400);
    expect(empty.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
    const denied = await subgraph.request(`query { importJobs { id } }`, {}, viewer);
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('preview, run and the refused-rows report', () => {
  const good = company();
  const proprietorInn = makeInn12(`5003${pad(77, 6)}`);
  const existing = company();
  const badInn = company();
  const badKpp = company();
  const noName = company();
  let jobId: string;
  let existingId: string;

  beforeAll(async () => {
    existingId = await createDirectly(existing);
    const content = csv1251([
      HEADER,
      line(good), // 1 valid
      line(badInn, { inn: `${badInn.inn.slice(0, 9)}${(Number(badInn.inn[9]) + 1) % 10}` }), // 2 bad INN checksum
      line(badKpp, { kpp: '77AB' }), // 3 bad KPP
      line(noName, { name: '' }), // 4 no name
      line(good, { name: 'ООО «Повтор в файле»', email: 'again@example.ru' }), // 5 duplicate of row 1
      line(existing, { contact: 'Новый контакт', email: `new.${existing.inn}@example.ru` }), // 6 duplicate of the database
      ['ИП Петров Пётр', proprietorInn, '', makeOgrnip(`30450031${pad(77, 6)}`), 'поставщик', '', '', '', '', '', ''], // 7 valid sole proprietor
    ]);
    jobId = (await uploaded(content, 'контрагенты.csv')).id;
  });

  it('stores the rows and suggests a mapping from the headers', async () => {
    const view = await job(jobId);
    expect(view).toMatchObject({ status: 'UPLOADED', rowCount: 7, total: 7, headers: HEADER, createdBy: { id: MANAGER_ID } });
    expect(view.suggestedMapping.map((item) => item.field)).toEqual(['NAME', 'INN', 'KPP', 'OGRN', 'STATUS', 'CONTACT_NAME', 'CONTACT_EMAIL', 'BANK_BIK', 'BANK_ACCOUNT', 'BANK_NAME', 'MANAGER_EMAIL']);
  });

  it('refuses a mapping without the INN', async () => {
    const result = await subgraph.request(`mutation($input: SetImportMappingInput!) { setImportMapping(input: $input) { id } }`, { input: { jobId, columns: [{ column: 0, field: 'NAME' }] } }, manager);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'columns' });
  });

  it('judges every row: invalid ones with field and message, duplicates in the file and in the database', async () => {
    const view = await mapAndPreview(jobId);
    expect(view.status).toBe('PREVIEWED');
    expect(view.counters).toMatchObject({ valid: 2, invalid: 3, duplicate: 2 });
    const all = await rows(jobId);
    expect(all.map((row) => row.status)).toEqual(['VALID', 'INVALID', 'INVALID', 'INVALID', 'DUPLICATE', 'DUPLICATE', 'VALID']);
    expect(all[1].errors).toEqual([{ field: 'inn', message: 'INN checksum is invalid' }]);
    expect(all[2].errors).toEqual([{ field: 'kpp', message: expect.stringContaining('KPP must have 9 characters') }]);
    expect(all[3].errors).toEqual([{ field: 'name', message: 'Name must not be empty' }]);
    expect(all[4]).toMatchObject({ existingId: null, errors: [{ field: 'inn', message: 'The same INN and KPP as row 1 of the file' }] });
    expect(all[5]).toMatchObject({ existingId, errors: [{ field: 'inn', message: expect.stringContaining(existing.name) }] });
    expect((await rows(jobId, 'INVALID')).map((row) => row.rowNumber)).toEqual([2, 3, 4]);
  });

  it('writes the valid rows whole, skips duplicates, leaves broken rows out', async () => {
    const view = await run(jobId, 'SKIP');
    expect(view).toMatchObject({ status: 'COMPLETED', processed: 7, counters: { created: 2, updated: 0, skipped: 2, refused: 3 } });
    const [written] = await byInn(good.inn);
    expect(written).toMatchObject({ name: good.name, kpp: good.kpp, status: 'CLIENT', responsibleManager: { id: MANAGER_ID } });
    expect(written.contacts).toEqual([{ name: 'Иванов Иван', email: `ivanov.${good.inn}@example.ru` }]);
    expect(written.bankAccounts).toEqual([{ bik: BIK, account: good.account, bankName: 'ПАО Сбербанк' }]);
    expect(await byInn(good.inn)).toHaveLength(1);
    const [proprietor] = await byInn(proprietorInn);
    expect(proprietor).toMatchObject({ name: 'ИП Петров Пётр', kpp: null, status: 'SUPPLIER', contacts: [], bankAccounts: [] });
    for (const broken of [badKpp, noName]) expect(await byInn(broken.inn)).toEqual([]);
    const [untouched] = await byInn(existing.inn);
    expect(untouched.contacts.map((contact) => contact.name)).toEqual(['Старый контакт']);
    const outcomes = await rows(jobId);
    expect(outcomes.map((row) => row.outcome)).toEqual(['CREATED', 'REFUSED', 'REFUSED', 'REFUSED', 'SKIPPED', 'SKIPPED', 'CREATED']);
    expect(outcomes[0].counterpartyId).toBe(written.id);
    // the history and the outbox event came with each created counterparty
    const [events] = await subgraph.orm.em.fork().execute<{ count: number }[]>(`select count(*)::int as count from outbox_events where payload->>'id' = ?`, [written.id]);
    expect(events.count).toBe(1);
    const [changes] = await subgraph.orm.em.fork().execute<{ count: number }[]>(`select count(*)::int as count from counterparty_changes where counterparty_id = ? and action = 'CREATED'`, [written.id]);
    expect(changes.count).toBe(1);
    expect((await verifyHashChain(subgraph.orm.em.fork(), COUNTERPARTY_HISTORY_CHAIN)).valid).toBe(true);
  });

  it('gives the refused rows back as CSV and XLSX, with their columns and errors', async () => {
    const csv = await fetch(restUrl(`/imports/${jobId}/refused.csv`), { headers: await rest(manager) });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe([...HEADER, 'errors'].join(';'));
    expect(lines[1].startsWith(`${badInn.name};`)).toBe(true);
    expect(lines[1].endsWith(';inn: INN checksum is invalid')).toBe(true);
    expect(lines[2]).toContain(';77AB;');
    expect(lines[3].startsWith(`;${noName.inn};`)).toBe(true);
    expect(lines[3].endsWith(';name: Name must not be empty')).toBe(true);

    const xlsx = await fetch(restUrl(`/imports/${jobId}/refused.xlsx`), { headers: await rest(manager) });
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.worksheets[0];
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(1).getCell(HEADER.length + 1).value).toBe('errors');
    expect(sheet.getRow(2).getCell(2).value).toBe(line(badInn, { inn: `${badInn.inn.slice(0, 9)}${(Number(badInn.inn[9]) + 1) % 10}` })[1]);
    expect(sheet.getRow(4).getCell(HEADER.length + 1).value).toBe('name: Name must not be empty');

    expect((await fetch(restUrl(`/imports/${jobId}/refused.csv`), { headers: await rest(viewer) })).status).toBe(403);
  });
});

describe('duplicate policy UPDATE', () => {
  it('adds the row\'s contact and account to the existing counterparty and changes the mapped fields', async () => {
    const existing = company();
    const existingId = await createDirectly(existing);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Лист1');
    sheet.addRow(HEADER);
    sheet.addRow(line(existing, { name: `${existing.name} (обновлено)`, contact: 'Новый контакт', email: `new.${existing.inn}@example.ru` }));
    const jobId = (await uploaded(Buffer.from(await workbook.xlsx.writeBuffer()), 'обновление.xlsx')).id;
    const preview = await mapAndPreview(jobId, 'UPDATE');
    expect(preview.counters).toMatchObject({ valid: 0, duplicate: 1 });
    const view = await run(jobId);
    expect(view.counters).toMatchObject({ created: 0, updated: 1, skipped: 0, refused: 0 });
    const [card] = await byInn(existing.inn);
    expect(card).toMatchObject({ id: existingId, name: `${existing.name} (обновлено)`, status: 'CLIENT', responsibleManager: { id: MANAGER_ID } });
    expect(card.contacts.map((contact) => contact.name)).toEqual(['Старый контакт', 'Новый контакт']);
    expect(card.bankAccounts.map((account) => account.account)).toEqual([existing.account]);
  });
});

describe('a row taken since the preview', () => {
  it('is skipped alone: the round falls back to writing row by row, every other row whole', async () => {
    const [first, taken, last] = [company(), company(), company()];
    const jobId = (await uploaded(csv1251([HEADER, line(first), line(taken), line(last)]), 'гонка.csv')).id;
    expect((await mapAndPreview(jobId)).counters).toMatchObject({ valid: 3 });
    const takenId = await createDirectly(taken); // someone else, between the preview and the run
    const view = await run(jobId);
    expect(view.counters).toMatchObject({ created: 2, skipped: 1, refused: 0 });
    expect((await rows(jobId)).map((row) => [row.outcome, row.counterpartyId])).toEqual([
      ['CREATED', expect.any(String)],
      ['SKIPPED', takenId],
      ['CREATED', expect.any(String)],
    ]);
    for (const c of [first, last]) {
      const [card] = await byInn(c.inn);
      expect(card.contacts).toHaveLength(1);
      expect(card.bankAccounts).toHaveLength(1);
    }
    expect(await byInn(taken.inn)).toHaveLength(1);
  });

  it('in a large round, leaves the taken rows out and writes every other row (halves written in bulk)', async () => {
    const companies = Array.from({ length: 40 }, () => company());
    const jobId = (await uploaded(csv1251([HEADER, ...companies.map((c) => line(c))]), 'гонка-большая.csv')).id;
    expect((await mapAndPreview(jobId)).counters).toMatchObject({ valid: 40 });
    const takenIds = new Map([[6, await createDirectly(companies[6])], [32, await createDirectly(companies[32])]]);
    const view = await run(jobId);
    expect(view.counters).toMatchObject({ created: 38, skipped: 2, refused: 0 });
    expect((await rows(jobId)).map((row) => [row.outcome, row.counterpartyId])).toEqual(
      companies.map((_, index) => (takenIds.has(index) ? ['SKIPPED', takenIds.get(index)] : ['CREATED', expect.any(String)])),
    );
    // one counterparty per row, each with its contact and account
    const [counts] = await subgraph.orm.em.fork().execute<{ counterparties: number; contacts: number; accounts: number }[]>(
      `select count(distinct c.id)::int as counterparties, count(distinct ct.id)::int as contacts, count(distinct a.id)::int as accounts
       from counterparties c left join counterparty_contacts ct on ct.counterparty_id = c.id left join counterparty_bank_accounts a on a.counterparty_id = c.id where c.inn in (?)`,
      [companies.map((c) => c.inn)],
    );
    expect(counts).toEqual({ counterparties: 40, contacts: 40, accounts: 38 });
    expect((await verifyHashChain(subgraph.orm.em.fork(), COUNTERPARTY_HISTORY_CHAIN)).valid).toBe(true);
  });
});

describe('resuming an interrupted run', () => {
  it('goes on after the last committed row on a new worker, writing no row twice', async () => {
    const companies = Array.from({ length: 7 }, () => company());
    const jobId = (await uploaded(csv1251([HEADER, ...companies.map((c) => line(c))]), 'большой.csv')).id;
    await mapAndPreview(jobId);
    await gql(`mutation($input: StartImportInput!) { startImport(input: $input) { status } }`, { input: { jobId } });
    // the first process commits one round of 3 rows, then dies
    expect(await worker({ runBatchSize: 3 }).step()).toBe(true);
    const part = await job(jobId);
    expect(part).toMatchObject({ status: 'RUNNING', processed: 3, counters: { created: 3 } });
    // a round that dies before its commit leaves nothing: its rows and their outcomes roll back together
    await expect(
      subgraph.orm.em.fork().transactional(async (em) => {
        await em.execute(`update import_rows set outcome = 'CREATED' where job_id = ? and row_number = 4`, [jobId]);
        throw new Error('killed');
      }),
    ).rejects.toThrow('killed');
    // a new worker (another process or replica) continues
    await worker({ runBatchSize: 3 }).drain();
    const done = await job(jobId);
    expect(done).toMatchObject({ status: 'COMPLETED', processed: 7, counters: { created: 7, refused: 0 } });
    for (const c of companies) expect(await byInn(c.inn)).toHaveLength(1);
    expect((await rows(jobId)).map((row) => row.outcome)).toEqual(Array(7).fill('CREATED'));
  });

  it('runs a job on one worker at a time', async () => {
    const companies = Array.from({ length: 4 }, () => company());
    const jobId = (await uploaded(csv1251([HEADER, ...companies.map((c) => line(c))]), 'параллельно.csv')).id;
    await mapAndPreview(jobId);
    await gql(`mutation($input: StartImportInput!) { startImport(input: $input) { status } }`, { input: { jobId } });
    await Promise.all([worker({ runBatchSize: 1 }).drain(), worker({ runBatchSize: 1 }).drain(), worker({ runBatchSize: 1 }).drain()]);
    expect((await job(jobId)).counters).toMatchObject({ created: 4, refused: 0 });
    for (const c of companies) expect(await byInn(c.inn)).toHaveLength(1);
  });
});

describe('the bulk write (CounterpartyService.createMany)', () => {
  /** A table's rows of one counterparty as text, ids and times replaced, so two counterparties' rows compare. */
  async function written(id: string, kpp: string): Promise<Record<string, string>> {
    const em = subgraph.orm.em.fork();
    const queries: Record<string, string> = {
      counterparties: 'select * from counterparties where id = ?',
      contacts: 'select * from counterparty_contacts where counterparty_id = ? order by sort_order',
      bankAccounts: 'select * from counterparty_bank_accounts where counterparty_id = ? order by sort_order',
      history: 'select id, counterparty_id, version, at, action, actor_id, actor_kind, actor_name, changes from counterparty_changes where counterparty_id = ?',
      timeline: 'select * from timeline_entries where counterparty_id = ?',
      events: `select id, topic, payload, created_at, published_at from outbox_events where payload->>'id' = ?`,
    };
    const result: Record<string, string> = {};
    for (const [table, sql] of Object.entries(queries)) {
      const rows = await em.execute(sql, [id]);
      expect(rows.length).toBeGreaterThan(0);
      result[table] = JSON.stringify(rows)
        .replaceAll(id, '<counterparty>')
        .replaceAll(kpp, '<kpp>')
        .replace(/\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|\+00)/g, '<time>')
        .replace(/"(id|event_id)":"[0-9a-f-]{36}"/g, '"$1":"<id>"');
    }
    return result;
  }

  it('writes the same rows, history, timeline entry and event as create, and the history chain still verifies', async () => {
    const c = company();
    const input = (kpp: string) => ({
      name: `  ${c.name}  `,
      shortName: 'Импорт',
      kind: 'LEGAL_ENTITY',
      inn: c.inn,
      kpp,
      ogrn: c.ogrn,
      legalAddress: 'Москва, ул. Тверская, 1',
      tags: ['Опт', 'опт', 'Импорт'],
      responsibleManagerId: MANAGER_ID,
      contacts: [
        { name: 'Иванов Иван', email: 'IVANOV@example.ru', phone: '+7 495 000-00-00', mailingConsent: true },
        { name: 'Петров Пётр', position: 'Бухгалтер' },
      ],
      bankAccounts: [{ bankName: 'ПАО Сбербанк', bik: BIK, account: c.account, correspondentAccount: CORR }],
    }) as unknown as CreateCounterpartyInput;
    const one = await new CounterpartyService({ em: subgraph.orm.em.fork(), identity: manager }).create(input('770201001'));
    const [many] = await new CounterpartyService({ em: subgraph.orm.em.fork(), identity: manager }).createMany([input('770202001')]);
    const expected = await written(one.id, '770201001');
    expect(expected.contacts).toContain('"mailing_consent":true');
    expect(await written(many.id, '770202001')).toEqual(expected);
    expect((await verifyHashChain(subgraph.orm.em.fork(), COUNTERPARTY_HISTORY_CHAIN)).valid).toBe(true);
  });
});
