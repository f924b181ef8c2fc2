import { randomUUID } from 'node:crypto';
import { apiKeyIdentity, type Identity } from '@kartoteka/kit';
import { readExportTable, requestServiceExport } from '@kartoteka/kit/export';
import { demoIdentity, seedCounterpartyRefs, seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDealsSettings } from '../../../config';
import { dealsSubgraph } from '../../../subgraph';
import { installDefaultTemplate } from '../../case-template/case-template.service';
import { Deal, DealStatus } from '../deal.entity';

// The deals export: the list's filters and order (STAGE: the funnel position), streamed in keyset pages of 2,
// read back from the file.

let subgraph: TestSubgraph;
const viewer = demoIdentity('viewer@kartoteka.local');
const SMIRNOVA = '00000000-0000-4000-8000-000000000002'; // Ольга Смирнова
const COUNTERPARTY_ID = randomUUID();
const OTHER_COUNTERPARTY_ID = randomUUID();
const exportOf = (path: string, identity: Identity = viewer, headers: Record<string, string> = {}) =>
  requestServiceExport({ url: subgraph.url, secret: subgraph.secret, name: 'deals' }, path, identity, headers);

const SPECS = [
  { title: 'Поставка станков', stageKey: 'proposal', amountMinor: 1_500_000_00, ownerId: SMIRNOVA, status: DealStatus.OPEN, expectedCloseDate: '2027-02-01' },
  { title: 'Сервис; договор', stageKey: 'lead', amountMinor: null, ownerId: SMIRNOVA, status: DealStatus.OPEN, expectedCloseDate: null },
  { title: '+Допродажа', stageKey: 'negotiation', amountMinor: 250_00, ownerId: SMIRNOVA, status: DealStatus.OPEN, expectedCloseDate: '2027-01-10' },
  { title: 'Чужая сделка', stageKey: 'proposal', amountMinor: 100_00, ownerId: null, status: DealStatus.OPEN, expectedCloseDate: null },
  { title: 'Выигранная', stageKey: 'won', amountMinor: 900_00, ownerId: SMIRNOVA, status: DealStatus.WON, expectedCloseDate: null },
  { title: 'Другой контрагент', stageKey: 'lead', amountMinor: 10_00, ownerId: SMIRNOVA, status: DealStatus.OPEN, expectedCloseDate: null, counterpartyId: OTHER_COUNTERPARTY_ID },
];

beforeAll(async () => {
  subgraph = await startTestSubgraph(dealsSubgraph(defaultDealsSettings({ export: { maxRows: 100, pageSize: 2 } }), { workers: false }));
  await seedDemoUserRefs(subgraph.orm.em);
  await seedCounterpartyRefs(subgraph.orm.em, [COUNTERPARTY_ID, OTHER_COUNTERPARTY_ID]);
  const em = subgraph.orm.em.fork();
  await installDefaultTemplate(em);
  for (const [index, { counterpartyId, ...spec }] of SPECS.entries()) {
    em.create(Deal, { ...spec, counterpartyId: counterpartyId ?? COUNTERPARTY_ID, currency: spec.amountMinor === null ? null : 'RUB', createdAt: new Date(Date.UTC(2026, 0, 1 + index)) });
  }
  await em.flush();
});
afterAll(() => subgraph?.close());

async function listedTitles(args: string): Promise<string[]> {
  const result = await subgraph.request<{ deals: { edges: { node: { title: string } }[] } }>(`{ deals(first: 100, ${args}) { edges { node { title } } } }`, {}, viewer);
  expect(result.errors).toBeUndefined();
  return result.data!.deals.edges.map((edge) => edge.node.title);
}

describe('deals export', () => {
  it('XLSX: the filtered deals in the funnel order, with stage, owner and counterparty names', async () => {
    const response = await exportOf(`/rest/exports/deals.xlsx?status=OPEN&ownerId=${SMIRNOVA}&counterpartyId=${COUNTERPARTY_ID}&sort=STAGE&direction=DESC`, viewer, { 'accept-language': 'ru' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="?deals-\d{4}-\d{2}-\d{2}\.xlsx"?$/);
    const table = await readExportTable(response.bytes, 'xlsx');
    expect(table.header.slice(0, 6)).toEqual(['Название', 'Контрагент', 'Шаблон', 'Этап', 'Статус', 'Сумма']);
    const titles = table.rows.map((row) => row[0]);
    expect(titles).toEqual(await listedTitles(`status: OPEN, ownerId: "${SMIRNOVA}", counterpartyId: "${COUNTERPARTY_ID}", sort: STAGE, direction: DESC`));
    expect(titles).toEqual(['+Допродажа', 'Поставка станков', 'Сервис; договор']);
    const machines = table.rows[1];
    expect(machines[3]).toEqual(expect.any(String));
    expect(machines[3]).not.toBe('proposal'); // the stage's name, not its key
    expect(machines[4]).toBe('Открыта');
    expect(machines[5]).toBe(1_500_000);
    expect(machines[6]).toBe('RUB');
    expect(machines[7]).toBe('Ольга Смирнова');
    expect(machines[8]).toEqual(new Date('2027-02-01T00:00:00Z'));
  });

  it('CSV: a stage and a search; text that looks like a formula stays text', async () => {
    const response = await exportOf(`/rest/exports/deals.csv?stageKey=negotiation&search=${encodeURIComponent('допродажа')}`, viewer, { 'accept-language': 'en' });
    expect(response.status).toBe(200);
    const table = await readExportTable(response.bytes, 'csv');
    expect(table.header[0]).toBe('Title');
    expect(table.rows.map((row) => row[0])).toEqual(["'+Допродажа"]);
    expect(table.rows[0][4]).toBe('Open');
    expect(table.rows[0][5]).toBe('250.00');
  });

  it('refuses a caller without deals:read and unknown filters', async () => {
    expect((await exportOf('/rest/exports/deals.csv', apiKeyIdentity(randomUUID(), 'partner', ['documents:read']))).status).toBe(403);
    expect((await exportOf('/rest/exports/deals.csv?status=WON', apiKeyIdentity(randomUUID(), 'partner', ['deals:read']))).status).toBe(200);
    const bad = await exportOf('/rest/exports/deals.csv?direction=DESC');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.bytes.toString('utf8')).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'direction' });
    const unknown = await exportOf('/rest/exports/deals.csv?stage=lead');
    expect(JSON.parse(unknown.bytes.toString('utf8')).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stage', reason: 'export.unknown-filter' });
  });
});
