import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { GATEWAY_TOKEN_HEADER, signGatewayToken } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { counterpartiesSubgraph } from '../../../services/counterparties/src/subgraph';

/**
 * A large registry export (issue 12): BENCH_EXPORT_ROWS counterparties (default 100 000) exported as CSV and as
 * XLSX through the counterparties service's route, the body read and dropped as it arrives. Prints the time,
 * the size and how far the process's retained heap (sampled after a full collection every 250 ms) and RSS rose
 * while streaming (the service runs in this process): streamed in keyset pages, the heap must stay near that of
 * one page whatever the number of rows.
 */
const ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 100_000);
const MAX_HEAP_GROWTH_MB = 60;

// a full collection on demand (as --expose-gc gives): what the heap retains, not the garbage awaiting the collector
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(counterpartiesSubgraph());
  await subgraph.orm.em.getConnection().execute(
    `insert into counterparties (id, name, short_name, kind, status, inn, kpp, tags, legal_address, created_at, updated_at)
     select gen_random_uuid(), 'Общество с ограниченной ответственностью «Компания ' || n || '»', 'ООО «Компания ' || n || '»', 'LEGAL_ENTITY', 'CLIENT',
            lpad((7700000000 + n)::text, 10, '0'), '770101001', '{bench,export}', '101000, г. Москва, ул. Мясницкая, д. ' || n, now(), now()
     from generate_series(1, ?) as n`,
    [ROWS],
  );
});
afterAll(() => subgraph?.close());

async function measure(format: 'csv' | 'xlsx'): Promise<{ bytes: number; records: number; ms: number; heapMb: number; rssMb: number }> {
  gc();
  const base = process.memoryUsage();
  let peakHeap = base.heapUsed;
  let peakRss = base.rss;
  const sampler = setInterval(() => {
    gc();
    const now = process.memoryUsage();
    peakHeap = Math.max(peakHeap, now.heapUsed);
    peakRss = Math.max(peakRss, now.rss);
  }, 250);
  const started = Date.now();
  const token = await signGatewayToken(demoIdentity('viewer@kartoteka.local'), 'counterparties', subgraph.secret, randomUUID());
  const response = await fetch(subgraph.url.replace(/\/graphql$/, `/internal/rest/exports/counterparties.${format}?status=CLIENT`), { headers: { [GATEWAY_TOKEN_HEADER]: token } });
  expect(response.status).toBe(200);
  let bytes = 0;
  let records = 0;
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    if (format === 'csv') for (const byte of value) if (byte === 0x0a) records += 1;
  }
  clearInterval(sampler);
  return { bytes, records: records - 1, ms: Date.now() - started, heapMb: Math.round((peakHeap - base.heapUsed) / 1e6), rssMb: Math.round((peakRss - base.rss) / 1e6) };
}

describe(`export of ${ROWS} counterparties`, () => {
  it('streams CSV and XLSX with a flat heap', async () => {
    const csv = await measure('csv');
    const xlsx = await measure('xlsx');
    console.log(
      [
        `export of ${ROWS} rows (counterparties service, keyset pages of 1000):`,
        `  CSV : ${(csv.bytes / 1e6).toFixed(1)} MB in ${csv.ms} ms, heap +${csv.heapMb} MB, RSS +${csv.rssMb} MB`,
        `  XLSX: ${(xlsx.bytes / 1e6).toFixed(1)} MB in ${xlsx.ms} ms, heap +${xlsx.heapMb} MB, RSS +${xlsx.rssMb} MB`,
      ].join('\n'),
    );
    expect(csv.records).toBe(ROWS);
    expect(csv.heapMb).toBeLessThan(MAX_HEAP_GROWTH_MB);
    expect(xlsx.heapMb).toBeLessThan(MAX_HEAP_GROWTH_MB);
  });
});
