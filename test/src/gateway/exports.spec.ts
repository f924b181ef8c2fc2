import { readExportTable } from '@kartoteka/kit/export';
import { CREATE_COUNTERPARTY, CREATE_DEAL, legalEntityInput } from '../support/fixtures';
import { startStack, type Stack } from '../support/stack';

/**
 * Registry exports through the gateway's REST pass-through (`/rest/<service>/exports/<registry>.xlsx|csv`):
 * authenticated by the gateway, filtered and authorized by the service, streamed to the client; the names of
 * other services' entities come from the exporting service's read models (filled by events).
 */
let stack: Stack;
let rest: string;
let token: string;
const MARK = `Экспорт ${Math.random().toString(36).slice(2, 8)}`;
const created: { id: string; name: string; inn: string }[] = [];

beforeAll(async () => {
  stack = await startStack({ production: true });
  rest = stack.gatewayUrl.replace(/\/graphql$/, '/rest');
  token = await stack.login('manager@kartoteka.local');
  for (const suffix of ['Альфа', 'Бета', 'Гамма']) {
    const result = await stack.call<{ createCounterparty: { id: string; name: string; inn: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput({ name: `ООО «${MARK} ${suffix}»` }) }, token);
    if (!result.data?.createCounterparty) throw new Error(JSON.stringify(result.errors));
    created.push(result.data.createCounterparty);
  }
  const deal = await stack.call(CREATE_DEAL, { input: { title: `${MARK}: поставка`, counterpartyId: created[1].id, amountMinor: 150_000_00, currency: 'RUB' } }, token);
  if (deal.errors) throw new Error(JSON.stringify(deal.errors));
});
afterAll(() => stack?.stop());

const download = (path: string, headers: Record<string, string> = {}) => fetch(`${rest}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });

describe('exports through the gateway', () => {
  it('downloads the counterparties list as XLSX with the search of the list, in its order', async () => {
    const response = await download(`/counterparties/exports/counterparties.xlsx?search=${encodeURIComponent(MARK)}&sort=NAME&direction=DESC`, { 'accept-language': 'en-US,en;q=0.9' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="?counterparties-\d{4}-\d{2}-\d{2}\.xlsx"?$/);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    const table = await readExportTable(Buffer.from(await response.arrayBuffer()), 'xlsx');
    expect(table.header[0]).toBe('Full name');
    expect(table.rows.map((row) => row[0])).toEqual([`ООО «${MARK} Гамма»`, `ООО «${MARK} Бета»`, `ООО «${MARK} Альфа»`]);
    expect(table.rows.map((row) => row[4])).toEqual([created[2].inn, created[1].inn, created[0].inn]);
  });

  it('downloads the deals list as CSV with the counterparty name from the deals read model', async () => {
    const response = await download(`/deals/exports/deals.csv?counterpartyId=${created[1].id}`, { 'accept-language': 'ru' });
    expect(response.status).toBe(200);
    const table = await readExportTable(Buffer.from(await response.arrayBuffer()), 'csv');
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0][0]).toBe(`${MARK}: поставка`);
    expect(table.rows[0][1]).toBe(`ООО «${MARK} Бета»`);
    expect(table.rows[0][5]).toBe('150000,00');
  });

  it('refuses anonymous callers at the gateway and bad filters at the service', async () => {
    const anonymous = await fetch(`${rest}/counterparties/exports/counterparties.csv`);
    expect(anonymous.status).toBe(401);
    const bad = await download('/deals/exports/deals.xlsx?owner=me');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { extensions: Record<string, unknown> }[] }).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'owner', reason: 'export.unknown-filter' });
  });
});
