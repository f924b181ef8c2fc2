import { randomUUID } from 'node:crypto';
import { GATEWAY_TOKEN_HEADER, signGatewayToken } from '@kartoteka/kit';
import { makeInn10, makeOgrn, makeSettlementAccount } from '@kartoteka/kit/requisites';
import { demoIdentity, seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { counterpartiesSubgraph } from '../../../subgraph';
import { suggestMapping } from '../import.mapping';
import { ImportService } from '../import.service';
import { ImportWorker } from '../import.worker';

/**
 * The import's throughput, measured on demand and never in `pnpm test`:
 * `IMPORT_BENCH_ROWS=100000 node_modules/.bin/jest services/counterparties/src/modules/import/__tests__/import.bench.spec.ts`
 * Prints the seconds of upload, preview and run of a CSV of that many rows (each with a contact and a bank account).
 */
const ROWS = Number(process.env.IMPORT_BENCH_ROWS ?? 0);
const bench = ROWS > 0 ? it : it.skip;

let subgraph: TestSubgraph | undefined;
afterAll(() => subgraph?.close());

bench(`imports ${ROWS} rows`, async () => {
  subgraph = await startTestSubgraph(counterpartiesSubgraph({ importWorker: false }));
  await seedDemoUserRefs(subgraph.orm.em);
  const bik = '044525225';
  const lines = ['Наименование;ИНН;КПП;ОГРН;Контактное лицо;E-mail контакта;БИК;Р/с;Банк;Менеджер'];
  for (let n = 1; n <= ROWS; n += 1) {
    const digits = String(n).padStart(7, '0');
    const inn = makeInn10(`77${digits}`);
    lines.push(`ООО «Бенч ${n}»;${inn};770101001;${makeOgrn(`10277${digits}`)};Иванов Иван ${n};contact${n}@example.ru;${bik};${makeSettlementAccount(`40702810${digits.padStart(11, '0')}`, bik)};ПАО Сбербанк;manager@kartoteka.local`);
  }
  const form = new FormData();
  form.append('file', new Blob([lines.join('\r\n')]), 'bench.csv');
  const token = await signGatewayToken(demoIdentity('manager@kartoteka.local'), 'counterparties', subgraph.secret, randomUUID());

  let started = Date.now();
  const response = await fetch(subgraph.url.replace(/\/graphql$/, '/internal/rest/imports'), { method: 'POST', body: form, headers: { [GATEWAY_TOKEN_HEADER]: token } });
  expect(response.status).toBe(201);
  const { job } = (await response.json()) as { job: { id: string; headers: string[] } };
  const uploadSeconds = (Date.now() - started) / 1000;

  const service = new ImportService({ em: subgraph.orm.em.fork(), identity: demoIdentity('manager@kartoteka.local') });
  await service.setMapping(job.id, suggestMapping(job.headers), 'SKIP');
  const worker = new ImportWorker({ orm: subgraph.orm, logger: subgraph.logger });
  started = Date.now();
  await worker.drain();
  const previewSeconds = (Date.now() - started) / 1000;

  await new ImportService({ em: subgraph.orm.em.fork(), identity: demoIdentity('manager@kartoteka.local') }).start(job.id, null);
  started = Date.now();
  const cpuBefore = process.cpuUsage();
  await worker.drain();
  const runSeconds = (Date.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const runNodeCpuSeconds = (cpu.user + cpu.system) / 1e6;
  const done = await new ImportService({ em: subgraph.orm.em.fork(), identity: demoIdentity('manager@kartoteka.local') }).job(job.id);
  expect(done.createdCount).toBe(ROWS);
  console.log(JSON.stringify({ rows: ROWS, uploadSeconds, previewSeconds, runSeconds, runNodeCpuSeconds, totalSeconds: uploadSeconds + previewSeconds + runSeconds, loadAverage: (await import('node:os')).loadavg() }));
}, 3_600_000);
