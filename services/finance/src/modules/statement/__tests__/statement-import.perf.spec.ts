import { randomUUID } from 'node:crypto';
import { CounterpartyDirectory } from '@kartoteka/kit';
import { makeInn10 } from '@kartoteka/kit/requisites';
import { startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { financeSubgraph } from '../../../subgraph';
import { defaultFinanceSettings } from '../../../config';
import { sign } from '../../../testing/finance.fixtures';
import { documentLines, encode, incoming, statementLines } from '../../../testing/statement.fixtures';
import { Payment } from '../../payment/payment.entity';
import { StatementImport } from '../statement-import.entity';
import { confirmStatementImport, prepareStatementImport } from '../statement-import.service';
import { statementImportWorker } from '../statement-import.worker';

/**
 * Measures (reports, never asserts a time) a 10,000-payment statement: parse + preview, then the chunked import,
 * against 50 counterparties with open invoices. Opt-in, so the suite stays light on shared machines:
 * `FINANCE_PERF=1 node_modules/.bin/jest services/finance/src/modules/statement/__tests__/statement-import.perf.spec.ts`
 */
const maybe = process.env.FINANCE_PERF ? describe : describe.skip;

maybe('statement import of 10,000 payments (measurement only)', () => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(financeSubgraph(defaultFinanceSettings(), { workers: false }));
  });
  afterAll(() => subgraph?.close());

  it('imports every payment once and reports the time taken', async () => {
    const counterparties = Array.from({ length: 50 }, (_, index) => ({ id: randomUUID(), inn: makeInn10(`77${String(index).padStart(7, '0')}`) }));
    const em = subgraph.orm.em.fork();
    for (const counterparty of counterparties) {
      await new CounterpartyDirectory(em).upsert({ id: counterparty.id, name: `К ${counterparty.inn}`, shortName: null, inn: counterparty.inn, kpp: null, status: 'CLIENT', updatedAt: new Date() });
      for (let n = 0; n < 20; n += 1) await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId: counterparty.id, number: `${counterparty.inn.slice(-3)}-${n}`, amountMinor: 100_000, date: '2026-01-10' });
    }
    const body: string[] = [];
    for (let i = 0; i < 10_000; i += 1) {
      const counterparty = counterparties[i % counterparties.length];
      body.push(
        ...documentLines(
          'Платежное поручение',
          incoming({ Номер: String(i + 1), Сумма: '1000.00', ПлательщикИНН: counterparty.inn, ПлательщикКПП: '0', ПлательщикСчет: `4070281010000${String(i % 50).padStart(7, '0')}`, НазначениеПлатежа: `Оплата по счету № ${counterparty.inn.slice(-3)}-${i % 20}` }),
        ),
      );
    }
    const bytes = encode(statementLines(body), 'windows-1251');

    const started = process.hrtime.bigint();
    const { statement } = await prepareStatementImport(subgraph.orm.em.fork(), bytes, 'big.txt', null);
    const prepared = process.hrtime.bigint();
    await confirmStatementImport(subgraph.orm.em.fork(), statement.id);
    await statementImportWorker({ orm: subgraph.orm, logger: subgraph.logger }).drain();
    const finished = process.hrtime.bigint();

    const done = await subgraph.orm.em.fork().findOneOrFail(StatementImport, { id: statement.id });
    expect(done).toMatchObject({ status: 'DONE', total: 10_000, processed: 10_000, created: 10_000, matched: 10_000 });
    expect(await subgraph.orm.em.fork().count(Payment, {})).toBe(10_000);
    const ms = (from: bigint, to: bigint) => Math.round(Number(to - from) / 1e6);
    // eslint-disable-next-line no-console
    console.log(`10,000 payments (${(bytes.length / 1024 / 1024).toFixed(1)} MB): upload (parse + preview) ${ms(started, prepared)} ms, import ${ms(prepared, finished)} ms, total ${ms(started, finished)} ms`);
  });
});
