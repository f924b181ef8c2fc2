import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import type { EntityManager } from '@mikro-orm/postgresql';
import { userIdentity, type Identity } from '../../auth/identity';
import { LoaderRegistry, type SubgraphContext } from '../../server/context';
import { createLogger } from '../../server/logger';
import { exportRoute, parseExportCsv, type ExportRegistry } from '..';

const { scaled } = require('../../../jest.timing.js') as { scaled: (ms: number) => number };

// The route itself over HTTP with a registry of generated rows: pages follow the cursor until the end, and a
// client that goes away stops the reading of pages.

type Row = { n: number };
type Filter = { parity: string };

const logLines: Record<string, unknown>[] = [];
const logger = createLogger('kit-test', 'info', new Writable({ write(chunk, _encoding, done) { for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>); done(); } }));

let pageCalls = 0;
let counted: boolean[] = [];
let cleared = 0;
let total = 0;

const registry: ExportRegistry<Filter, Row> = {
  name: 'numbers',
  permission: 'counterparties:read',
  filters: { parity: { type: 'enum', values: ['even', 'odd'] } },
  title: { ru: 'Числа', en: 'Numbers' },
  columns: [{ key: 'n', header: { ru: 'Число', en: 'Number' }, type: 'integer', value: (row) => row.n }],
  async page(_context, filter, { first, after, withTotal }) {
    pageCalls += 1;
    counted.push(withTotal);
    const start = after === null ? 0 : Number(after);
    const rows: Row[] = [];
    for (let n = start; n < Math.min(total, start + first); n += 1) rows.push({ n });
    const kept = filter.parity ? rows.filter((row) => (row.n % 2 === 0) === (filter.parity === 'even')) : rows;
    const end = start + rows.length;
    return { rows: kept, endCursor: String(end), hasNextPage: end < total, totalCount: total };
  },
};

let server: http.Server;
let base: string;
let identity: Identity = userIdentity('00000000-0000-4000-8000-000000000001', 'Тест', ['VIEWER']);

beforeAll(async () => {
  const app = express();
  const router = express.Router();
  const contextOf = (): SubgraphContext => ({
    identity,
    requestId: 'test',
    // only `clear` is used: the written page's entities leave the identity map
    em: { clear: () => void (cleared += 1) } as unknown as EntityManager,
    logger,
    loaders: new LoaderRegistry(),
  });
  exportRoute(router, { contextOf }, registry, { maxRows: 2_000_000, pageSize: 1000 });
  app.use('/internal', router);
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/internal`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + scaled(10_000);
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('export route', () => {
  it('follows the pages to the end and writes every row once', async () => {
    total = 25_500;
    pageCalls = 0;
    cleared = 0;
    counted = [];
    const response = await fetch(`${base}/rest/exports/numbers.csv?parity=odd`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-total-count')).toBe('25500');
    const [header, ...rows] = parseExportCsv(await response.text());
    expect(header).toEqual(['Число']);
    expect(rows).toHaveLength(12_750);
    expect(rows[0]).toEqual(['1']);
    expect(rows.at(-1)).toEqual(['25499']);
    expect(pageCalls).toBe(26);
    expect(cleared).toBe(25);
    // only the first page is counted (the row cap); the others skip the count
    expect(counted).toEqual([true, ...Array.from({ length: 25 }, () => false)]);
  });

  it('stops reading pages when the client goes away', async () => {
    total = 2_000_000;
    pageCalls = 0;
    const before = logLines.length;
    const aborted = new AbortController();
    const response = await fetch(`${base}/rest/exports/numbers.xlsx`, { signal: aborted.signal });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read(); // the file has started
    aborted.abort();
    await until(() => logLines.slice(before).some((line) => line.msg === 'export stopped: the client went away'), 'the export to stop');
    const calls = pageCalls;
    expect(calls).toBeLessThan(2000);
    // and no page is read after it stopped
    await new Promise((resolve) => setImmediate(resolve));
    expect(pageCalls).toBe(calls);
  });

  it('answers HEAD with the headers of the file, reading the first page only', async () => {
    total = 5_000;
    pageCalls = 0;
    const response = await fetch(`${base}/rest/exports/numbers.xlsx`, { method: 'HEAD', headers: { 'accept-language': 'en' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-total-count')).toBe('5000');
    expect(response.headers.get('content-language')).toBe('en');
    expect(pageCalls).toBe(1);
  });

  it('refuses callers without the permission and an unknown filter', async () => {
    identity = userIdentity('00000000-0000-4000-8000-000000000001', 'Тест', []);
    const refused = await fetch(`${base}/rest/exports/numbers.csv`);
    expect(refused.status).toBe(403);
    identity = userIdentity('00000000-0000-4000-8000-000000000001', 'Тест', ['VIEWER']);
    const unknown = await fetch(`${base}/rest/exports/numbers.csv?colour=red`);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { errors: { extensions: Record<string, unknown> }[] }).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'colour', reason: 'export.unknown-filter' });
  });
});
