import { randomUUID } from 'node:crypto';
import { apiKeyIdentity, type Identity } from '@kartoteka/kit';
import { readExportTable, requestServiceExport } from '@kartoteka/kit/export';
import { demoIdentity, seedCounterpartyRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultFinanceSettings } from '../../../config';
import { financeSubgraph } from '../../../subgraph';

// The payments registry export: the filters of `payments(filter:)`, newest first, streamed in keyset pages of 2,
// read back from the file.

let subgraph: TestSubgraph;
const viewer: Identity = demoIdentity('viewer@kartoteka.local');
const COUNTERPARTY_ID = randomUUID();
const exportOf = (path: string, identity: Identity = viewer, headers: Record<string, string> = {}) =>
  requestServiceExport({ url: subgraph.url, secret: subgraph.secret, name: 'finance' }, path, identity, headers);

type Spec = { number: string; date: string; amountMinor: number; direction: 'INCOMING' | 'OUTGOING'; purpose: string; matched: boolean };
const SPECS: Spec[] = [
  { number: '101', date: '2026-03-02', amountMinor: 1_234_56, direction: 'INCOMING', purpose: 'Оплата по счёту 15; НДС не облагается', matched: true },
  { number: '102', date: '2026-03-05', amountMinor: 500_00, direction: 'INCOMING', purpose: '=1+2 оплата', matched: true },
  { number: '103', date: '2026-03-05', amountMinor: 700_00, direction: 'INCOMING', purpose: 'Аванс', matched: true },
  { number: '104', date: '2026-03-10', amountMinor: 900_00, direction: 'OUTGOING', purpose: 'Аренда', matched: true },
  { number: '105', date: '2026-04-01', amountMinor: 300_00, direction: 'INCOMING', purpose: 'Апрель', matched: true },
  { number: '106', date: '2026-03-07', amountMinor: 50_00, direction: 'INCOMING', purpose: 'Неизвестный плательщик', matched: false },
];

beforeAll(async () => {
  subgraph = await startTestSubgraph(financeSubgraph(defaultFinanceSettings({ export: { maxRows: 100, pageSize: 2 } }), { workers: false }));
  await seedCounterpartyRefs(subgraph.orm.em, [COUNTERPARTY_ID]);
  for (const spec of SPECS) {
    const id = randomUUID();
    await subgraph.orm.em.getConnection().execute(
      `insert into payments (id, fingerprint, direction, number, date, amount_minor, purpose, payer_name, payer_inn, counterparty_id, match_status) values (?, ?, ?, ?, ?, ?, ?, 'ООО «Плательщик»', '7707083893', ?, ?)`,
      [id, id.replace(/-/g, ''), spec.direction, spec.number, spec.date, spec.amountMinor, spec.purpose, spec.matched ? COUNTERPARTY_ID : null, spec.matched ? 'MATCHED' : 'UNMATCHED'],
    );
  }
});
afterAll(() => subgraph?.close());

async function listedNumbers(filter: string): Promise<string[]> {
  const result = await subgraph.request<{ payments: { edges: { node: { number: string } }[] } }>(`{ payments(first: 100, filter: ${filter}) { edges { node { number } } } }`, {}, viewer);
  expect(result.errors).toBeUndefined();
  return result.data!.payments.edges.map((edge) => edge.node.number);
}

describe('payments export', () => {
  it('XLSX: the filtered payments newest first, dates as dates, amounts as numbers', async () => {
    const response = await exportOf(`/rest/exports/payments.xlsx?direction=INCOMING&matchStatus=MATCHED&dateFrom=2026-03-01&dateTo=2026-03-31&counterpartyId=${COUNTERPARTY_ID}`, viewer, { 'accept-language': 'ru' });
    expect(response.status).toBe(200);
    const table = await readExportTable(response.bytes, 'xlsx');
    expect(table.header.slice(0, 5)).toEqual(['Дата', 'Номер', 'Направление', 'Сумма', 'Валюта']);
    const numbers = table.rows.map((row) => row[1]);
    expect(numbers).toEqual(await listedNumbers(`{ direction: INCOMING, matchStatus: MATCHED, dateFrom: "2026-03-01", dateTo: "2026-03-31", counterpartyId: "${COUNTERPARTY_ID}" }`));
    expect([...numbers].sort()).toEqual(['101', '102', '103']);
    const first = table.rows.find((row) => row[1] === '101')!;
    expect(first[0]).toEqual(new Date('2026-03-02T00:00:00Z'));
    expect(first[2]).toBe('Поступление');
    expect(first[3]).toBe(1234.56);
    expect(first[4]).toBe('RUB');
    expect(first[11]).toBe('Оплата по счёту 15; НДС не облагается');
    expect(first[12]).toBe('Сопоставлен');
  });

  it('CSV: a search; separators quoted, formulas neutralized', async () => {
    const response = await exportOf(`/rest/exports/payments.csv?search=${encodeURIComponent('оплат')}`, viewer, { 'accept-language': 'ru' });
    expect(response.status).toBe(200);
    const table = await readExportTable(response.bytes, 'csv');
    expect(table.rows.map((row) => row[1])).toEqual(await listedNumbers(`{ search: "оплат" }`));
    expect(table.rows.map((row) => row[11])).toEqual(["'=1+2 оплата", 'Оплата по счёту 15; НДС не облагается']);
    expect(table.rows[1][0]).toBe('02.03.2026');
    expect(table.rows[1][3]).toBe('1234,56');
  });

  it('refuses a caller without finance:read and bad filter values', async () => {
    expect((await exportOf('/rest/exports/payments.csv', apiKeyIdentity(randomUUID(), 'partner', ['deals:read']))).status).toBe(403);
    expect((await exportOf('/rest/exports/payments.csv', apiKeyIdentity(randomUUID(), 'ERP', ['finance:read']))).status).toBe(200);
    const bad = await exportOf('/rest/exports/payments.xlsx?matchStatus=LOST');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.bytes.toString('utf8')).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'matchStatus', reason: 'export.invalid-filter' });
  });
});
