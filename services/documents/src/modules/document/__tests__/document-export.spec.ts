import { apiKeyIdentity, type Identity } from '@kartoteka/kit';
import { readExportTable, requestServiceExport } from '@kartoteka/kit/export';
import { startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings } from '../../../config';
import { documentsSubgraph } from '../../../subgraph';
import { COUNTERPARTY_ID, fillStaffDirectory, manager, ok, viewer } from '../../approval/__tests__/approval.fixtures';

// The documents registry export: the registry's filters, order and row-level access, streamed in keyset pages
// (2 rows a page here), read back from the file.

let subgraph: TestSubgraph;
const MARK = `Выгрузка ${Math.random().toString(36).slice(2, 8)}`;
const exportOf = (path: string, identity: Identity = viewer, headers: Record<string, string> = {}) =>
  requestServiceExport({ url: subgraph.url, secret: subgraph.secret, name: 'documents' }, path, identity, headers);

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings({ export: { maxRows: 100, pageSize: 2 } }), { workers: false }));
  await fillStaffDirectory(subgraph);
  const specs = [
    { type: 'OTHER', title: `${MARK} счёт 1`, amountMinor: 1_234_56, date: '2026-03-01' },
    { type: 'OTHER', title: `${MARK} счёт 2`, amountMinor: 500_00, date: '2026-05-10' },
    { type: 'OTHER', title: `${MARK} счёт 3`, amountMinor: 700_00, date: '2026-07-01' },
    { type: 'OTHER', title: `${MARK} счёт 4 вне периода`, amountMinor: 900_00, date: '2025-12-31' },
    { type: 'CONTRACT', title: `${MARK} договор`, amountMinor: 10_000_00, date: '2026-04-01', contract: { subject: 'Поставка', startDate: '2026-04-01' } },
    { type: 'OTHER', title: `${MARK} счёт закрытый`, amountMinor: 100_00, date: '2026-04-02', restricted: true },
    { type: 'OTHER', title: `${MARK} счёт без даты`, amountMinor: null, date: null },
  ];
  for (const { contract, ...spec } of specs) {
    ok(
      await subgraph.request(
        `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`,
        { input: { counterpartyId: COUNTERPARTY_ID, currency: spec.amountMinor === null ? null : 'RUB', ...spec, ...(contract ? { contract } : {}) } },
        manager,
      ),
    );
  }
});
afterAll(() => subgraph?.close());

/** The titles of the registry query with the same arguments, in its order, as `identity` sees them. */
async function listedTitles(args: string, identity: Identity): Promise<string[]> {
  const data = ok(await subgraph.request<{ documents: { edges: { node: { title: string } }[] } }>(`{ documents(first: 100, ${args}) { edges { node { title } } } }`, {}, identity));
  return data.documents.edges.map((edge) => edge.node.title);
}

describe('documents export', () => {
  it('XLSX: the filtered rows in the registry order, dates as dates, money as numbers beside the currency', async () => {
    const query = `type=OTHER&dateFrom=2026-01-01&dateTo=2026-12-31&search=${encodeURIComponent(MARK)}&sort=AMOUNT&direction=DESC`;
    const response = await exportOf(`/rest/exports/documents.xlsx?${query}`, viewer, { 'accept-language': 'ru' });
    expect(response.status).toBe(200);
    const table = await readExportTable(response.bytes, 'xlsx');
    expect(table.header.slice(0, 9)).toEqual(['Вид', 'Номер', 'Дата', 'Наименование', 'Контрагент', 'ИНН контрагента', 'Сумма', 'Валюта', 'Статус']);
    const titles = table.rows.map((row) => row[3]);
    expect(titles).toEqual(await listedTitles(`type: OTHER, dateFrom: "2026-01-01", dateTo: "2026-12-31", search: ${JSON.stringify(MARK)}, sort: AMOUNT, direction: DESC`, viewer));
    expect(titles).toEqual([`${MARK} счёт 1`, `${MARK} счёт 3`, `${MARK} счёт 2`]); // the restricted one is not the viewer's to see
    const first = table.rows[0];
    expect(first[0]).toBe('Прочее');
    expect(first[2]).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(first[6]).toBe(1234.56);
    expect(first[7]).toBe('RUB');
    expect(first[8]).toBe('Черновик');
  });

  it('CSV: its author sees the restricted document too; the default order is the registry’s', async () => {
    const response = await exportOf(`/rest/exports/documents.csv?type=OTHER&search=${encodeURIComponent(MARK)}`, manager, { 'accept-language': 'en' });
    expect(response.status).toBe(200);
    const table = await readExportTable(response.bytes, 'csv');
    expect(table.header[0]).toBe('Type');
    expect(table.rows[0][0]).toBe('Other');
    const titles = table.rows.map((row) => row[3]);
    expect(titles).toEqual(await listedTitles(`type: OTHER, search: ${JSON.stringify(MARK)}`, manager));
    expect(titles).toHaveLength(6);
    expect(titles).toContain(`${MARK} счёт закрытый`);
    const dated = table.rows.find((row) => row[3] === `${MARK} счёт 1`)!;
    expect(dated[2]).toBe('2026-03-01');
    expect(dated[6]).toBe('1234.56');
  });

  it('refuses a caller without documents:read and bad filters', async () => {
    const partner = apiKeyIdentity('00000000-0000-4000-8000-0000000000b1', 'partner', ['counterparties:read']);
    expect((await exportOf('/rest/exports/documents.xlsx', partner)).status).toBe(403);
    const reader = apiKeyIdentity('00000000-0000-4000-8000-0000000000b2', 'partner', ['documents:read']);
    const visible = await readExportTable((await exportOf(`/rest/exports/documents.csv?search=${encodeURIComponent(MARK)}`, reader)).bytes, 'csv');
    expect(visible.rows.map((row) => row[3])).not.toContain(`${MARK} счёт закрытый`);
    const bad = await exportOf('/rest/exports/documents.csv?dateFrom=2026-05-01&dateTo=2026-04-01');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.bytes.toString('utf8')).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'dateTo' });
    const unknown = await exportOf('/rest/exports/documents.csv?from=2026-01-01');
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.bytes.toString('utf8')).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from', reason: 'export.unknown-filter' });
  });
});
