import { addDays, demoFinanceHistory, type DemoFinanceHistory, type DocumentSigned, demoSampleStatementPayments, DOCUMENT_SIGNED, type EventPayload, todayUtc } from '@kartoteka/kit';
import { startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { financeSubgraph } from '../../subgraph';
import { busEvent, change, deliver } from '../../testing/finance.fixtures';
import { paymentFingerprint, PaymentMatchDirectory } from '../../modules/payment/payment.directory';
import { computeExecution } from '../../modules/execution/execution.calculator';
import { computeRating } from '../../modules/rating/rating.calculator';
import type { RatingWeights } from '../../modules/rating/rating.types';
import { demoFactsOn, seedFinanceDemo } from '../finance.seed';

let subgraph: TestSubgraph;
const today = todayUtc();
const history = demoFinanceHistory(today);

beforeAll(async () => {
  subgraph = await startTestSubgraph(financeSubgraph());
});
afterAll(() => subgraph?.close());

const sql = <T>(query: string, params: unknown[] = []) => subgraph.orm.em.getConnection().execute<T[]>(query, params);
const counts = async () => (await sql<{ terms: number; items: number; payments: number; known: number }>(
  `select (select count(*)::int from contract_terms) as terms, (select count(*)::int from schedule_items) as items,
          (select count(*)::int from payments) as payments, (select count(*)::int from known_accounts) as known`,
))[0];

/** What documents' demo seed publishes (finance-demo.seed.ts in documents): a signed event per document, then the later status changes. */
async function deliverDocuments(demo: DemoFinanceHistory): Promise<void> {
  const base = { dealId: null, actionId: null, signedById: null, currency: 'RUB', responsibleId: null, startDate: null, endDate: null, dueDate: null, periodEnd: null, contractId: null, invoiceId: null };
  const signedAt = (date: string) => new Date(`${date}T10:00:00Z`).toISOString();
  const signed: DocumentSigned[] = [];
  for (const contract of demo.contracts) {
    signed.push({ ...base, documentId: contract.id, documentType: 'CONTRACT', number: contract.number, title: contract.title, counterpartyId: contract.counterpartyId, status: 'IN_FORCE', signedAt: signedAt(contract.date), date: contract.date, amountMinor: contract.amountMinor, startDate: contract.startDate, endDate: contract.endDate, responsibleId: contract.responsibleId });
    for (const invoice of contract.invoices) signed.push({ ...base, documentId: invoice.id, documentType: 'INVOICE', number: invoice.number, title: invoice.title, counterpartyId: invoice.counterpartyId, status: 'SIGNED', signedAt: signedAt(invoice.date), date: invoice.date, amountMinor: invoice.amountMinor, contractId: contract.id, dueDate: invoice.dueDate });
    for (const act of contract.acts) signed.push({ ...base, documentId: act.id, documentType: 'ACT', number: act.number, title: act.title, counterpartyId: act.counterpartyId, status: 'SIGNED', signedAt: signedAt(act.date), date: act.date, amountMinor: act.amountMinor, contractId: contract.id, invoiceId: act.invoiceId, periodEnd: act.periodEnd });
  }
  signed.sort((a, b) => a.signedAt.localeCompare(b.signedAt));
  for (const payload of signed) await deliver(subgraph.orm, busEvent(DOCUMENT_SIGNED, payload as unknown as EventPayload));
  for (const contract of demo.contracts.filter((candidate) => candidate.status !== 'IN_FORCE')) {
    await change(subgraph.orm, { documentId: contract.id, documentType: 'CONTRACT', status: contract.status, contractId: null, invoiceId: null, changedAt: new Date().toISOString() });
  }
}

/** The last day of the month of a YYYY-MM-DD date. */
const monthEnd = (date: string) => new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 0)).toISOString().slice(0, 10);

type RatingRow = { counterparty_id: string; score: string | null; grade: string | null };

describe('the finance demo seed', () => {
  it('sets the terms of the demo contracts and stores their payments, matched, once — before any document arrived', async () => {
    const em = subgraph.orm.em.fork();
    const message = await em.transactional((tem) => seedFinanceDemo(tem, { today }));
    expect(message).toMatch(new RegExp(`^finance: demo history \\(terms of ${history.contracts.length} contracts, ${history.payments.length} payments, \\d+ rating history points\\) for ${history.counterparties.length} counterparties$`));

    const terms = await sql<{ contract_id: string; direction: string }>('select contract_id, direction from contract_terms');
    expect(terms.sort((a, b) => a.contract_id.localeCompare(b.contract_id))).toEqual(history.contracts.map((contract) => ({ contract_id: contract.id, direction: contract.direction })).sort((a, b) => a.contract_id.localeCompare(b.contract_id)));
    for (const contract of history.contracts) {
      const items = await sql<{ kind: string; amount_minor: string; due_date: string | null; days_after_act: number | null }>(
        `select kind, amount_minor, to_char(due_date, 'YYYY-MM-DD') as due_date, days_after_act from schedule_items where contract_id = ? order by position`, [contract.id]);
      expect(items).toEqual(contract.schedule.map((item) => ({ kind: item.kind, amount_minor: String(item.amountMinor), due_date: item.dueDate, days_after_act: item.daysAfterAct })));
    }

    const payments = await sql<{ id: string; fingerprint: string; direction: string; number: string; date: string; amount_minor: string; counterparty_id: string; contract_id: string; invoice_id: string; match_status: string; match_reasons: string[]; payer_inn: string; payee_account: string }>(
      `select id, fingerprint, direction, number, to_char(date, 'YYYY-MM-DD') as date, amount_minor, counterparty_id, contract_id, invoice_id, match_status, match_reasons, payer_inn, payee_account from payments`);
    expect(payments).toHaveLength(history.payments.length);
    const stored = new Map(payments.map((row) => [row.id, row]));
    for (const payment of history.payments) {
      expect(stored.get(payment.id)).toEqual({
        id: payment.id,
        fingerprint: paymentFingerprint({ date: payment.date, number: payment.number, amountMinor: payment.amountMinor, payerAccount: payment.payer.account, payeeAccount: payment.payee.account, direction: payment.direction }),
        direction: payment.direction,
        number: payment.number,
        date: payment.date,
        amount_minor: String(payment.amountMinor),
        counterparty_id: payment.counterpartyId,
        contract_id: payment.contractId,
        invoice_id: payment.invoiceId,
        match_status: 'MATCHED',
        match_reasons: ['demo'],
        payer_inn: payment.payer.inn,
        payee_account: payment.payee.account,
      });
    }
    // The read model knows the demo counterparties' INNs (at the oldest version), and the accounts they pay from.
    const refs = await sql<{ id: string; inn: string; epoch: number }>('select id, inn, extract(epoch from updated_at)::int as epoch from counterparty_refs');
    expect(refs.map((ref) => ref.id).sort()).toEqual(history.counterparties.map((counterparty) => counterparty.id).sort());
    expect(refs.every((ref) => ref.epoch === 0)).toBe(true);
    expect(refs.map((ref) => ref.inn).sort()).toEqual(history.counterparties.map((counterparty) => counterparty.party.inn).sort());
    const known = await sql<{ counterparty_id: string; account: string }>('select counterparty_id, account from known_accounts');
    expect(known.map((row) => `${row.counterparty_id}:${row.account}`).sort()).toEqual(history.counterparties.map((counterparty) => `${counterparty.id}:${counterparty.party.account}`).sort());

    // A year of rating history, as if recomputed at every month's end: backdated points for every demo counterparty.
    const points = await sql<{ counterparty_id: string; score: string | null; day: string }>(
      `select counterparty_id, score, to_char(computed_at, 'YYYY-MM-DD') as day from rating_points where computed_at < ? order by computed_at`, [new Date(`${today}T00:00:00Z`)]);
    for (const counterparty of history.counterparties) {
      const own = points.filter((point) => point.counterparty_id === counterparty.id);
      expect(own.length).toBeGreaterThanOrEqual(2);
      expect(own.every((point) => point.day.endsWith(monthEnd(point.day).slice(8)))).toBe(true);
    }
    expect(points[0].day < addDays(today, -300)).toBe(true);
    // The overdue debtor's score fell once its invoice went unpaid; the punctual clients stayed high.
    const scores = (profile: string) => history.counterparties.filter((counterparty) => counterparty.payment === profile).map((counterparty) => points.filter((point) => point.counterparty_id === counterparty.id).map((point) => Number(point.score)));
    const [overdue] = scores('OVERDUE');
    expect(overdue.at(-1)!).toBeLessThan(Math.max(...overdue));
    for (const series of scores('ON_TIME')) expect(series.at(-1)!).toBeGreaterThanOrEqual(85);

    const before = await counts();
    expect(await subgraph.orm.em.fork().transactional((tem) => seedFinanceDemo(tem, { today }))).toBe('finance: payments or contract terms exist, nothing seeded');
    expect(await counts()).toEqual(before);
  });

  it('converges once the signed documents arrive: ratings tell the profiles apart, and the sample statement matches the open invoices', async () => {
    await deliverDocuments(history);
    const ratings = new Map((await sql<RatingRow>('select counterparty_id, score, grade from ratings')).map((row) => [row.counterparty_id, row]));
    const score = (profile: string) => history.counterparties.filter((counterparty) => counterparty.payment === profile).map((counterparty) => Number(ratings.get(counterparty.id)?.score ?? NaN));
    for (const counterparty of history.counterparties) expect(ratings.get(counterparty.id)?.score).not.toBeNull();
    const onTime = score('ON_TIME');
    const late = score('LATE');
    expect(Math.min(...onTime)).toBeGreaterThan(Math.max(...late));
    expect(Math.min(...onTime)).toBeGreaterThan(Math.max(...score('SLIGHTLY_LATE')));
    expect(Math.min(...score('SLIGHTLY_LATE'))).toBeGreaterThan(Math.max(...score('OVERDUE'), ...score('TERMINATED')));
    expect(new Set([...ratings.values()].map((row) => row.grade)).size).toBeGreaterThanOrEqual(2);

    // The backdated history is computed the way the service computes: from the facts it now holds, the same score.
    const method = (await sql<{ weights: RatingWeights }>('select weights from rating_methods order by version desc limit 1'))[0];
    for (const counterparty of history.counterparties) {
      const accounts = history.contracts.filter((contract) => contract.counterpartyId === counterparty.id).map((contract) => demoFactsOn(history, contract, today)!);
      const expected = computeRating({ today, accounts: accounts.map((facts) => ({ facts, execution: computeExecution(facts, today) })) }, method.weights);
      expect(Number(ratings.get(counterparty.id)!.score)).toBe(expected.score);
    }

    // The demo payments stay as seeded (matched by the demo, not re-matched by the arriving invoices).
    expect((await sql<{ n: number }>(`select count(*)::int as n from payments where match_status = 'MATCHED' and match_reasons = '["demo"]'::jsonb`))[0].n).toBe(history.payments.length);

    // Each payment of the sample statement finds its open invoice — also a statement generated weeks before the demo was
    // seeded (the sample file in the repository): the open invoices' numbers and amounts do not depend on the day.
    for (const day of [today, addDays(today, -45)]) {
      const sample = demoSampleStatementPayments(day);
      expect(sample.length).toBeGreaterThanOrEqual(4);
      // One directory per statement: it allocates each payment to its invoice for the rest of the batch.
      const directory = await PaymentMatchDirectory.load(subgraph.orm.em.fork(), sample.map((payment) => (payment.direction === 'INCOMING' ? payment.payer.inn : payment.payee.inn)));
      for (const payment of sample) {
        const side = payment.direction === 'INCOMING' ? payment.payer : payment.payee;
        const match = directory.match({ direction: payment.direction, inn: side.inn, kpp: side.kpp, account: side.account, purpose: payment.purpose, amountMinor: payment.amountMinor, date: payment.date });
        expect(match).toMatchObject({ status: 'MATCHED', counterpartyId: payment.counterpartyId, invoiceId: payment.invoiceId, contractId: payment.contractId });
      }
    }
  });
});
