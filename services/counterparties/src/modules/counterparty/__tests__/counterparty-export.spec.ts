import { randomUUID } from 'node:crypto';
import { apiKeyIdentity, ANONYMOUS, type Identity } from '@kartoteka/kit';
import { readExportTable, requestServiceExport } from '@kartoteka/kit/export';
import { makeInn10 } from '@kartoteka/kit/requisites';
import { demoIdentity, seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { counterpartiesSubgraph } from '../../../subgraph';

// The counterparties export: the list's filters and order, streamed in keyset pages (2 rows a page here, so
// every export below spans several pages), read back from the file.

const SMIRNOVA = '00000000-0000-4000-8000-000000000002'; // Ольга Смирнова
const viewer: Identity = demoIdentity('viewer@kartoteka.local');

let subgraph: TestSubgraph;
const exportOf = (path: string, identity: Identity = viewer, headers: Record<string, string> = {}) =>
  requestServiceExport({ url: subgraph.url, secret: subgraph.secret, name: 'counterparties' }, path, identity, headers);

const created: { id: string; name: string; inn: string; status: string }[] = [];

beforeAll(async () => {
  subgraph = await startTestSubgraph(counterpartiesSubgraph({ export: { maxRows: 6, pageSize: 2 } }));
  await seedDemoUserRefs(subgraph.orm.em);
  const seeds: [string, string][] = [
    ['ООО «Дельта; Плюс»', 'CLIENT'],
    ['ООО «Альфа»', 'CLIENT'],
    ['=cmd|"/c calc"!A1', 'CLIENT'],
    ['ООО «Бета»', 'PROSPECT'],
    ['ООО «Гамма»', 'CLIENT'],
    ['ООО «Эпсилон»', 'SUPPLIER'],
    ['ООО «Зета»', 'PROSPECT'],
  ];
  // rows written straight to the table: the export reads, it does not care how they came
  for (const [index, [name, status]] of seeds.entries()) {
    const row = { id: randomUUID(), name, status, inn: makeInn10(`77090${String(index + 1).padStart(4, '0')}`) };
    await subgraph.orm.em.getConnection().execute(
      `insert into counterparties (id, name, kind, status, inn, kpp, tags, responsible_manager_id, created_at, updated_at) values (?, ?, 'LEGAL_ENTITY', ?, ?, '770901001', '{export}', ?, now(), now() - make_interval(mins => ?))`,
      [row.id, name, status, row.inn, index % 2 ? SMIRNOVA : null, index],
    );
    created.push(row);
  }
});
afterAll(() => subgraph?.close());

/** The INNs of the list query with the same arguments, in its order. */
async function listedInns(args: string): Promise<string[]> {
  const result = await subgraph.request<{ counterparties: { edges: { node: { inn: string } }[] } }>(`{ counterparties(first: 100, ${args}) { edges { node { inn } } } }`, {}, viewer);
  expect(result.errors).toBeUndefined();
  return result.data!.counterparties.edges.map((edge) => edge.node.inn);
}

describe('counterparties export', () => {
  it('XLSX: exactly the filtered rows in the list order, Russian headers, a dated file name', async () => {
    const response = await exportOf('/rest/exports/counterparties.xlsx?status=CLIENT&sort=INN&direction=DESC', viewer, { 'accept-language': 'ru-RU,ru;q=0.9' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename=counterparties-${new Date().toISOString().slice(0, 10)}.xlsx`);
    const table = await readExportTable(response.bytes, 'xlsx');
    expect(table.header.slice(0, 6)).toEqual(['Полное наименование', 'Краткое наименование', 'Тип', 'Статус', 'ИНН', 'КПП']);
    const expected = await listedInns('status: CLIENT, sort: INN, direction: DESC');
    expect(expected).toHaveLength(4);
    expect(table.rows.map((row) => row[4])).toEqual(expected);
    expect(new Set(table.rows.map((row) => row[3]))).toEqual(new Set(['Клиент']));
    const alpha = table.rows.find((row) => row[0] === 'ООО «Альфа»')!;
    expect(alpha[10]).toBe('Ольга Смирнова');
    expect(alpha[13]).toBeInstanceOf(Date);
  });

  it('CSV: the default order, English headers, formula-safe and quoted', async () => {
    const response = await exportOf('/rest/exports/counterparties.csv?status=CLIENT', viewer, { 'accept-language': 'en-GB,en;q=0.9' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect([...response.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const table = await readExportTable(response.bytes, 'csv');
    expect(table.header.slice(0, 5)).toEqual(['Full name', 'Short name', 'Kind', 'Status', 'INN']);
    expect(table.rows.map((row) => row[4])).toEqual(await listedInns('status: CLIENT'));
    const names = table.rows.map((row) => row[0]);
    expect(names).toContain('ООО «Дельта; Плюс»');
    expect(names).toContain(`'=cmd|"/c calc"!A1`);
    expect(response.bytes.toString('utf8')).toContain('"ООО «Дельта; Плюс»"');
  });

  it('an API key with the read scope may export; one without it, and anonymous callers, may not', async () => {
    const reader = apiKeyIdentity('00000000-0000-4000-8000-0000000000a1', 'partner', ['counterparties:read']);
    const stranger = apiKeyIdentity('00000000-0000-4000-8000-0000000000a2', 'partner', ['documents:read']);
    expect((await exportOf('/rest/exports/counterparties.csv?status=SUPPLIER', reader)).status).toBe(200);
    const refused = await exportOf('/rest/exports/counterparties.csv?status=SUPPLIER', stranger);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.bytes.toString('utf8')).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await exportOf('/rest/exports/counterparties.csv', ANONYMOUS)).status).toBe(401);
  });

  it('refuses unknown filters, bad values and exports over the row cap with 400 and a code', async () => {
    const errorOf = async (path: string) => {
      const response = await exportOf(path);
      expect(response.status).toBe(400);
      return JSON.parse(response.bytes.toString('utf8')).errors[0].extensions as Record<string, unknown>;
    };
    expect(await errorOf('/rest/exports/counterparties.xlsx?colour=red')).toMatchObject({ code: 'BAD_USER_INPUT', field: 'colour', reason: 'export.unknown-filter' });
    expect(await errorOf('/rest/exports/counterparties.xlsx?status=GONE')).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status', reason: 'export.invalid-filter' });
    expect(await errorOf('/rest/exports/counterparties.csv?minRating=150')).toMatchObject({ code: 'BAD_USER_INPUT', field: 'minRating' });
    // 7 active counterparties, 6 at most
    expect(await errorOf('/rest/exports/counterparties.csv')).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'export.too-many-rows', max: 6, total: 7 });
  });
});
