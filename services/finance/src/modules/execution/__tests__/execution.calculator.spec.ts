import { addDays, daysBetween } from '@kartoteka/kit';
import { computeExecution } from '../execution.calculator';
import type { ContractFacts, DocumentFact, ObligationResult, PaymentFact, ScheduleItemFact } from '../execution.types';

// Hand-computed fixtures: every expected number is worked out in the comments, never by calling the code under test.

const CONTRACT = '00000000-0000-4000-8000-0000000000c1';

function facts(part: Partial<ContractFacts>): ContractFacts {
  return {
    contractId: CONTRACT,
    counterpartyId: '00000000-0000-4000-8000-0000000000a1',
    direction: 'RECEIVABLE',
    currency: 'RUB',
    number: 'D-1',
    contractedMinor: 0,
    signedAt: '2026-01-01',
    startDate: null,
    endDate: null,
    status: 'SIGNED',
    terminated: false,
    termsSet: false,
    schedule: [],
    invoices: [],
    acts: [],
    payments: [],
    ...part,
  };
}
const invoice = (id: string, date: string, amountMinor: number, dueDate: string | null = null): DocumentFact => ({
  id, type: 'INVOICE', number: id, date, amountMinor, dueDate, invoiceId: null,
});
const act = (id: string, date: string, amountMinor: number): DocumentFact => ({ id, type: 'ACT', number: id, date, amountMinor, dueDate: null, invoiceId: null });
const payment = (id: string, date: string, amountMinor: number, invoiceId: string | null = null): PaymentFact => ({ id, number: id, date, amountMinor, invoiceId });
const item = (id: string, position: number, kind: ScheduleItemFact['kind'], amountMinor: number, due: string | number | null): ScheduleItemFact => ({
  id, kind, amountMinor, position, description: null,
  dueDate: typeof due === 'string' ? due : null,
  daysAfterAct: typeof due === 'number' ? due : null,
});
const pick = (o: ObligationResult) => ({
  key: o.key, due: o.resolvedDueDate, settled: o.settledMinor, onTime: o.settledOnTimeMinor, settledAt: o.settledAt, daysLate: o.daysLate, state: o.state, by: o.settledBy,
});

describe('calendar arithmetic (UTC days)', () => {
  it('counts whole days across months, leap years and DST dates', () => {
    expect(daysBetween('2026-01-20', '2026-03-31')).toBe(70); // 11 (Jan) + 28 (Feb 2026) + 31
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2); // 2024 is a leap year
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2); // a DST weekend in Europe changes nothing
    expect(addDays('2026-04-05', 10)).toBe('2026-04-15');
    expect(addDays('2026-12-25', 10)).toBe('2027-01-04');
  });
});

describe('computeExecution: invoices as obligations (no schedule)', () => {
  // today 2026-03-31. Invoices: I1 100 000.00 due 2026-01-20; I2 50 000.00 of 2026-02-01 without a due date (due = its date);
  // I3 30 000.00 due 2026-04-10. Payments: P1 2026-01-18 60 000.00; P2 2026-01-25 60 000.00 linked to I2; P3 2026-03-05 20 000.00.
  //  P1 → I1 (FIFO, earliest due): I1 6 000 000 settled, on time (01-18 ≤ 01-20).
  //  P2 → I2 first (linked): 5 000 000, on time (01-25 ≤ 02-01), I2 PAID at 01-25; the remaining 1 000 000 → I1, late.
  //  P3 → I1: 2 000 000, late. I1: 9 000 000 of 10 000 000, 6 000 000 on time, due 01-20 < today → OVERDUE, 70 days late.
  //  I3: nothing paid, due 04-10 ≥ today → DUE.
  // invoiced 18 000 000, paid 14 000 000, no contract amount → base max(18 000 000, 0) → outstanding 4 000 000;
  // overdue = I1's unsettled 1 000 000, overdueDays 70 (01-20 → 03-31); next due date 04-10.
  const result = computeExecution(
    facts({
      invoices: [invoice('I3', '2026-03-01', 3_000_000, '2026-04-10'), invoice('I1', '2026-01-10', 10_000_000, '2026-01-20'), invoice('I2', '2026-02-01', 5_000_000)],
      payments: [payment('P3', '2026-03-05', 2_000_000), payment('P1', '2026-01-18', 6_000_000), payment('P2', '2026-01-25', 6_000_000, 'I2')],
    }),
    '2026-03-31',
  );

  it('settles every invoice exactly', () => {
    expect(result.paymentObligations.map(pick)).toEqual([
      { key: 'invoice:I1', due: '2026-01-20', settled: 9_000_000, onTime: 6_000_000, settledAt: null, daysLate: 70, state: 'OVERDUE', by: ['P1', 'P2', 'P3'] },
      { key: 'invoice:I2', due: '2026-02-01', settled: 5_000_000, onTime: 5_000_000, settledAt: '2026-01-25', daysLate: 0, state: 'PAID', by: ['P2'] },
      { key: 'invoice:I3', due: '2026-04-10', settled: 0, onTime: 0, settledAt: null, daysLate: 0, state: 'DUE', by: [] },
    ]);
    expect(result.paymentObligations[0]).toMatchObject({ source: 'INVOICE', documentId: 'I1', scheduleItemId: null, kind: 'INVOICE', amountMinor: 10_000_000 });
    expect(result.deliveryObligations).toEqual([]);
  });

  it('sums the figures', () => {
    const { paymentObligations: _p, deliveryObligations: _d, ...figures } = result;
    expect(figures).toEqual({
      contractedMinor: 0, invoicedMinor: 18_000_000, deliveredMinor: 0, paidMinor: 14_000_000, outstandingMinor: 4_000_000,
      overdueMinor: 1_000_000, overdueDays: 70, nextDueDate: '2026-04-10',
    });
  });
});

describe('computeExecution: a schedule with advance, postpayments after acts and deliveries', () => {
  // today 2026-06-15, contracted 12 000 000. Schedule by position:
  //  0 ADVANCE 3 000 000 due 03-01 · 1 DELIVERY 6 000 000 due 04-01 · 2 POSTPAYMENT 4 000 000 10 days after act 1
  //  3 DELIVERY 6 000 000 due 05-01 · 4 POSTPAYMENT 5 000 000 15 days after act 2
  // Acts A1 04-05 6 000 000, A2 06-10 4 000 000 → postpayment 1 due 04-05+10 = 04-15, postpayment 2 due 06-10+15 = 06-25.
  // Payments P1 02-25 3 000 000 → advance, on time; P2 04-20 4 000 000 → postpayment 1, 5 days late;
  //  P3 06-12 1 000 000 → postpayment 2, on time, PARTIAL (due 06-25 not yet passed).
  // Deliveries by acts: A1 → delivery 1 fully, 4 days late (04-01 → 04-05); A2 → delivery 2, 4 000 000 of 6 000 000, late,
  //  due 05-01 < today → OVERDUE, 45 days (05-01 → 06-15).
  // Invoices (9 000 000) do not form obligations when a schedule exists. paid 8 000 000 → outstanding 12 000 000 − 8 000 000 = 4 000 000;
  // nothing payable is past due → overdue 0, 0 days; next due date 06-25.
  const result = computeExecution(
    facts({
      contractedMinor: 12_000_000,
      termsSet: true,
      schedule: [
        item('S4', 3, 'DELIVERY', 6_000_000, '2026-05-01'),
        item('S1', 0, 'ADVANCE', 3_000_000, '2026-03-01'),
        item('S2', 1, 'DELIVERY', 6_000_000, '2026-04-01'),
        item('S5', 4, 'POSTPAYMENT', 5_000_000, 15),
        item('S3', 2, 'POSTPAYMENT', 4_000_000, 10),
      ],
      invoices: [invoice('INV1', '2026-02-20', 3_000_000), invoice('INV2', '2026-04-05', 6_000_000)],
      acts: [act('A2', '2026-06-10', 4_000_000), act('A1', '2026-04-05', 6_000_000)],
      payments: [payment('P2', '2026-04-20', 4_000_000, 'INV2'), payment('P1', '2026-02-25', 3_000_000), payment('P3', '2026-06-12', 1_000_000)],
    }),
    '2026-06-15',
  );

  it('resolves postpayment due dates from the acts and settles the payments', () => {
    expect(result.paymentObligations.map(pick)).toEqual([
      { key: 'schedule:S1', due: '2026-03-01', settled: 3_000_000, onTime: 3_000_000, settledAt: '2026-02-25', daysLate: 0, state: 'PAID', by: ['P1'] },
      { key: 'schedule:S3', due: '2026-04-15', settled: 4_000_000, onTime: 0, settledAt: '2026-04-20', daysLate: 5, state: 'PAID', by: ['P2'] },
      { key: 'schedule:S5', due: '2026-06-25', settled: 1_000_000, onTime: 1_000_000, settledAt: null, daysLate: 0, state: 'PARTIAL', by: ['P3'] },
    ]);
    expect(result.paymentObligations[1]).toMatchObject({ source: 'SCHEDULE', scheduleItemId: 'S3', documentId: null, kind: 'POSTPAYMENT' });
  });

  it('settles the deliveries by acts', () => {
    expect(result.deliveryObligations.map(pick)).toEqual([
      { key: 'schedule:S2', due: '2026-04-01', settled: 6_000_000, onTime: 0, settledAt: '2026-04-05', daysLate: 4, state: 'PAID', by: ['A1'] },
      { key: 'schedule:S4', due: '2026-05-01', settled: 4_000_000, onTime: 0, settledAt: null, daysLate: 45, state: 'OVERDUE', by: ['A2'] },
    ]);
  });

  it('sums the figures', () => {
    const { paymentObligations: _p, deliveryObligations: _d, ...figures } = result;
    expect(figures).toEqual({
      contractedMinor: 12_000_000, invoicedMinor: 9_000_000, deliveredMinor: 10_000_000, paidMinor: 8_000_000, outstandingMinor: 4_000_000,
      overdueMinor: 0, overdueDays: 0, nextDueDate: '2026-06-25',
    });
  });
});

describe('computeExecution: edge cases', () => {
  it('a postpayment without its act is PENDING and comes last in the queue', () => {
    // PAYMENT 1 000 000 due 03-01 (position 0), POSTPAYMENT 2 000 000 10 days after the (missing) act (position 1),
    // PAYMENT 500 000 due 05-01 (position 2). One payment of 2 000 000 on 02-01: 1 000 000 → 03-01 item, 500 000 → 05-01 item
    // (a known due date goes before an unknown one), 500 000 → the postpayment, counted on time (paid before it was due).
    const result = computeExecution(
      facts({
        schedule: [item('A', 0, 'PAYMENT', 1_000_000, '2026-03-01'), item('B', 1, 'POSTPAYMENT', 2_000_000, 10), item('C', 2, 'PAYMENT', 500_000, '2026-05-01')],
        payments: [payment('P', '2026-02-01', 2_000_000)],
      }),
      '2026-02-10',
    );
    expect(result.paymentObligations.map(pick)).toEqual([
      { key: 'schedule:A', due: '2026-03-01', settled: 1_000_000, onTime: 1_000_000, settledAt: '2026-02-01', daysLate: 0, state: 'PAID', by: ['P'] },
      { key: 'schedule:B', due: null, settled: 500_000, onTime: 500_000, settledAt: null, daysLate: 0, state: 'PARTIAL', by: ['P'] },
      { key: 'schedule:C', due: '2026-05-01', settled: 500_000, onTime: 500_000, settledAt: '2026-02-01', daysLate: 0, state: 'PAID', by: ['P'] },
    ]);
    // contracted 0 → base = max(invoiced 0, delivered 0, scheduled 3 500 000) → outstanding 1 500 000. Nothing past due; the
    // only unsettled obligation (the postpayment) has no due date yet → no next due date.
    expect(result).toMatchObject({ outstandingMinor: 1_500_000, overdueMinor: 0, overdueDays: 0, nextDueDate: null });
    const untouched = computeExecution(facts({ schedule: [item('B', 0, 'POSTPAYMENT', 2_000_000, 10)] }), '2026-02-10');
    expect(untouched.paymentObligations.map(pick)).toEqual([
      { key: 'schedule:B', due: null, settled: 0, onTime: 0, settledAt: null, daysLate: 0, state: 'PENDING', by: [] },
    ]);
    expect(untouched.nextDueDate).toBeNull();
  });

  it('an obligation due today is DUE, not overdue, and is the next due date', () => {
    const result = computeExecution(facts({ invoices: [invoice('I', '2026-05-01', 700_000, '2026-05-20')] }), '2026-05-20');
    expect(result.paymentObligations[0]).toMatchObject({ state: 'DUE', daysLate: 0 });
    expect(result).toMatchObject({ overdueMinor: 0, overdueDays: 0, nextDueDate: '2026-05-20', outstandingMinor: 700_000 });
    // The next day it is overdue by one day.
    const tomorrow = computeExecution(facts({ invoices: [invoice('I', '2026-05-01', 700_000, '2026-05-20')] }), '2026-05-21');
    expect(tomorrow.paymentObligations[0]).toMatchObject({ state: 'OVERDUE', daysLate: 1 });
    expect(tomorrow).toMatchObject({ overdueMinor: 700_000, overdueDays: 1, nextDueDate: null });
  });

  it('overpayment settles everything and leaves nothing outstanding; a payment for an unknown invoice goes FIFO', () => {
    // I1 300 000 due 01-10, I2 200 000 due 01-20; a payment of 600 000 on 01-15 linked to an invoice finance does not know.
    // FIFO: I1 300 000 (late: 01-15 > 01-10, 5 days), I2 200 000 on time; 100 000 is left over (not an obligation).
    const result = computeExecution(
      facts({
        invoices: [invoice('I1', '2026-01-01', 300_000, '2026-01-10'), invoice('I2', '2026-01-02', 200_000, '2026-01-20')],
        payments: [payment('P', '2026-01-15', 600_000, 'UNKNOWN')],
      }),
      '2026-02-01',
    );
    expect(result.paymentObligations.map(pick)).toEqual([
      { key: 'invoice:I1', due: '2026-01-10', settled: 300_000, onTime: 0, settledAt: '2026-01-15', daysLate: 5, state: 'PAID', by: ['P'] },
      { key: 'invoice:I2', due: '2026-01-20', settled: 200_000, onTime: 200_000, settledAt: '2026-01-15', daysLate: 0, state: 'PAID', by: ['P'] },
    ]);
    expect(result).toMatchObject({ paidMinor: 600_000, invoicedMinor: 500_000, outstandingMinor: 0, overdueMinor: 0, overdueDays: 0, nextDueDate: null });
  });

  it('a payment linked to an invoice goes to it before older invoices', () => {
    // I1 100 due 01-10, I2 100 due 01-20; a payment of 100 on 02-01 for I2 settles I2 (12 days late), I1 stays overdue 22 days.
    const result = computeExecution(
      facts({ invoices: [invoice('I1', '2026-01-01', 100, '2026-01-10'), invoice('I2', '2026-01-02', 100, '2026-01-20')], payments: [payment('P', '2026-02-01', 100, 'I2')] }),
      '2026-02-01',
    );
    expect(result.paymentObligations.map((o) => [o.key, o.state, o.daysLate])).toEqual([
      ['invoice:I1', 'OVERDUE', 22],
      ['invoice:I2', 'PAID', 12],
    ]);
    expect(result).toMatchObject({ overdueMinor: 100, overdueDays: 22 });
  });
});
