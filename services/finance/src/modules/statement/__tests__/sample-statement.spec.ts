import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CounterpartyDirectory, DEMO_COUNTERPARTY_IDS, demoFinanceHistory } from '@kartoteka/kit';
import { startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import * as iconv from 'iconv-lite';
import { defaultFinanceSettings } from '../../../config';
import { financeSubgraph } from '../../../subgraph';
import { sign } from '../../../testing/finance.fixtures';
import { SAMPLE_DAY, SAMPLE_OTHER_COUNTERPARTIES, sampleStatementLines } from '../../../testing/sample-statement';
import { ContractDirection, ContractTerms } from '../../contract/contract-terms.entity';
import { Payment } from '../../payment/payment.entity';
import { confirmStatementImport, prepareStatementImport } from '../statement-import.service';
import { statementImportWorker } from '../statement-import.worker';
import { StatementImport } from '../statement-import.entity';
import { parseBankStatement } from '../statement.parser';

const FILE = join(__dirname, '..', '..', '..', '..', 'demo', 'sample-statement.txt');

describe('the demo sample statement (services/finance/demo/sample-statement.txt)', () => {
  const expected = iconv.encode(`${sampleStatementLines().join('\r\n')}\r\n`, 'win1251');
  if (process.env.UPDATE_SAMPLE_STATEMENT) writeFileSync(FILE, expected);

  it('is exactly what its generator (src/testing/sample-statement.ts) writes — Windows-1251, CRLF', () => {
    expect(readFileSync(FILE).equals(expected)).toBe(true);
  });

  it('parses: one account, 18 payments, no warnings', () => {
    const parsed = parseBankStatement(readFileSync(FILE));
    expect(parsed).toMatchObject({ encoding: 'windows-1251', formatVersion: '1.03', sender: 'СберБизнес', dateTo: SAMPLE_DAY, warnings: [] });
    expect(parsed.accounts).toHaveLength(1);
    expect(parsed.payments).toHaveLength(18);
    const account = parsed.accounts[0];
    const credit = parsed.payments.filter((payment) => payment.payee.account === account.account).reduce((sum, payment) => sum + payment.amountMinor, 0);
    const debit = parsed.payments.filter((payment) => payment.payer.account === account.account).reduce((sum, payment) => sum + payment.amountMinor, 0);
    expect([account.creditMinor, account.debitMinor, account.closingMinor]).toEqual([credit, debit, (account.openingMinor ?? 0) + credit - debit]);
  });

  describe('imported into a demo-like finance database', () => {
    let subgraph: TestSubgraph;
    beforeAll(async () => {
      subgraph = await startTestSubgraph(financeSubgraph(defaultFinanceSettings(), { workers: false }));
      const em = subgraph.orm.em.fork();
      const history = demoFinanceHistory(SAMPLE_DAY);
      const directory = new CounterpartyDirectory(em);
      const refs = [
        ...history.counterparties.map((counterparty) => ({ id: counterparty.id, name: counterparty.party.name, inn: counterparty.party.inn, kpp: counterparty.party.kpp })),
        { id: DEMO_COUNTERPARTY_IDS[1], name: 'Филиал ООО «Северная Логистика» в Санкт-Петербурге', inn: '7715301256', kpp: '781043001' },
        ...SAMPLE_OTHER_COUNTERPARTIES,
      ];
      for (const ref of refs) await directory.upsert({ ...ref, shortName: null, status: 'CLIENT', updatedAt: new Date() });
      // the open invoices the sample pays, signed with their contracts (the supplier's contract is PAYABLE)
      for (const contract of history.contracts.filter((candidate) => candidate.invoices.some((invoice) => invoice.open))) {
        await sign(subgraph.orm, { documentId: contract.id, documentType: 'CONTRACT', counterpartyId: contract.counterpartyId, number: contract.number, amountMinor: contract.amountMinor, date: contract.date });
        if (contract.direction === 'PAYABLE') {
          em.create(ContractTerms, { contractId: contract.id, direction: ContractDirection.PAYABLE });
          await em.flush();
        }
        for (const invoice of contract.invoices.filter((candidate) => candidate.open)) {
          await sign(subgraph.orm, { documentId: invoice.id, documentType: 'INVOICE', counterpartyId: contract.counterpartyId, contractId: contract.id, number: invoice.number, amountMinor: invoice.amountMinor, date: invoice.date, dueDate: invoice.dueDate });
        }
      }
    });
    afterAll(() => subgraph?.close());

    it('shows every outcome: 5 invoices paid (1.0), 9 counterparty-only matches, 1 ambiguous INN, 3 unmatched; a re-import adds nothing', async () => {
      const bytes = readFileSync(FILE);
      const { summary } = await prepareStatementImport(subgraph.orm.em.fork(), bytes, 'sample-statement.txt', null);
      expect(summary).toMatchObject({ total: 18, duplicates: 0, matched: 14, ambiguous: 1, unmatched: 3, refused: 0, warnings: 0 });
      await confirmStatementImport(subgraph.orm.em.fork(), summary.id);
      await statementImportWorker({ orm: subgraph.orm, logger: subgraph.logger }).drain();
      expect(await subgraph.orm.em.fork().findOneOrFail(StatementImport, { id: summary.id })).toMatchObject({ status: 'DONE', created: 18, matched: 14, ambiguous: 1, unmatched: 3 });

      const stored = await subgraph.orm.em.fork().find(Payment, {});
      const history = demoFinanceHistory(SAMPLE_DAY);
      const openInvoices = history.contracts.flatMap((contract) => contract.invoices.filter((invoice) => invoice.open));
      const paidInvoices = stored.filter((payment) => payment.invoiceId);
      expect(paidInvoices.map((payment) => payment.invoiceId).sort()).toEqual(openInvoices.map((invoice) => invoice.id).sort());
      expect(paidInvoices.every((payment) => payment.matchConfidence === 1)).toBe(true);
      expect(paidInvoices.filter((payment) => payment.direction === 'OUTGOING')).toHaveLength(1);
      const counterpartyOnly = stored.filter((payment) => payment.matchStatus === 'MATCHED' && !payment.invoiceId);
      expect(counterpartyOnly.map((payment) => payment.matchConfidence).sort()).toEqual([0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]);
      const ambiguous = stored.find((payment) => payment.matchStatus === 'AMBIGUOUS');
      // the head office and its branch share the INN; no KPP, an unknown account: a person decides
      expect(ambiguous?.matchReasons[0]).toBe('inn');
      expect(ambiguous?.matchReasons.slice(1).sort()).toEqual([`candidate:${DEMO_COUNTERPARTY_IDS[0]}`, `candidate:${DEMO_COUNTERPARTY_IDS[1]}`].sort());

      const again = await prepareStatementImport(subgraph.orm.em.fork(), bytes, 'sample-statement.txt', null);
      expect(again.summary).toMatchObject({ total: 18, duplicates: 18, matched: 0, ambiguous: 0, unmatched: 0 });
    });
  });
});
