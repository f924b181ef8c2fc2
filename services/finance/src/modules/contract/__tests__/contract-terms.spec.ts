import { randomUUID } from 'node:crypto';
import { MAX_AMOUNT_MINOR } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { financeSubgraph } from '../../../subgraph';
import { change, daysAhead, sign } from '../../../testing/finance.fixtures';
import { ContractTerms } from '../contract-terms.entity';
import { ScheduleItem } from '../schedule-item.entity';

const SET = `mutation($input: ContractTermsInput!) { setContractTerms(input: $input) {
  contractId direction termsSet currency contracted { minor currency }
  schedule { kind amount { minor currency } dueDate daysAfterAct description resolvedDueDate state } } }`;

type Line = { kind: string; amount: { minor: number; currency?: string }; dueDate?: string | null; daysAfterAct?: number | null; description?: string | null };
type Execution = { contractId: string; direction: string; termsSet: boolean; currency: string; schedule: (Line & { state: string; resolvedDueDate: string | null })[] };

const manager = demoIdentity('manager@kartoteka.local');
const accountant = demoIdentity('accountant@kartoteka.local');
const viewer = demoIdentity('viewer@kartoteka.local');

describe('setContractTerms', () => {
  let subgraph: TestSubgraph;
  let counterpartyId: string;
  let contractId: string;

  beforeAll(async () => {
    subgraph = await startTestSubgraph(financeSubgraph());
    counterpartyId = randomUUID();
    contractId = await sign(subgraph.orm, { documentType: 'CONTRACT', counterpartyId, amountMinor: 1_000_000_00, currency: 'RUB' });
  });
  afterAll(() => subgraph?.close());

  const set = (input: { contractId: string; direction: string; schedule: Line[] }, identity = manager) => subgraph.request<{ setContractTerms: Execution }>(SET, { input }, identity);
  const stored = async () => {
    const em = subgraph.orm.em.fork();
    return {
      terms: await em.findOne(ContractTerms, { contractId }),
      schedule: (await em.find(ScheduleItem, { contractId }, { orderBy: { position: 'asc' } })).map(({ kind, amountMinor, dueDate, daysAfterAct }) => ({ kind, amountMinor, dueDate, daysAfterAct })),
    };
  };
  const good: Line[] = [
    { kind: 'ADVANCE', amount: { minor: 300_000_00 }, dueDate: daysAhead(10), description: 'Аванс 30 %' },
    { kind: 'POSTPAYMENT', amount: { minor: 700_000_00, currency: 'RUB' }, daysAfterAct: 10 },
    { kind: 'DELIVERY', amount: { minor: 1_000_000_00 }, dueDate: daysAhead(30) },
  ];

  it('sets the direction and the schedule and returns the execution', async () => {
    const result = await set({ contractId, direction: 'PAYABLE', schedule: good }, accountant);
    expect(result.errors).toBeUndefined();
    expect(result.data?.setContractTerms).toMatchObject({ contractId, direction: 'PAYABLE', termsSet: true, currency: 'RUB' });
    expect(result.data?.setContractTerms.schedule).toEqual([
      { kind: 'ADVANCE', amount: { minor: 300_000_00, currency: 'RUB' }, dueDate: daysAhead(10), daysAfterAct: null, description: 'Аванс 30 %', resolvedDueDate: daysAhead(10), state: 'DUE' },
      { kind: 'POSTPAYMENT', amount: { minor: 700_000_00, currency: 'RUB' }, dueDate: null, daysAfterAct: 10, description: null, resolvedDueDate: null, state: 'PENDING' },
      { kind: 'DELIVERY', amount: { minor: 1_000_000_00, currency: 'RUB' }, dueDate: daysAhead(30), daysAfterAct: null, description: null, resolvedDueDate: daysAhead(30), state: 'DUE' },
    ]);
    const now = await stored();
    expect(now.terms).toMatchObject({ direction: 'PAYABLE', updatedById: accountant.kind === 'anonymous' ? null : accountant.id });
    expect(now.schedule).toHaveLength(3);
  });

  it('replaces the whole schedule', async () => {
    const result = await set({ contractId, direction: 'RECEIVABLE', schedule: [{ kind: 'PAYMENT', amount: { minor: 1_000_000_00 }, dueDate: daysAhead(5) }] });
    expect(result.errors).toBeUndefined();
    expect(await stored()).toMatchObject({ terms: { direction: 'RECEIVABLE' }, schedule: [{ kind: 'PAYMENT', amountMinor: 1_000_000_00, dueDate: daysAhead(5), daysAfterAct: null }] });
  });

  const invalid: [string, () => { contractId: string; direction: string; schedule: Line[] }, string][] = [
    ['an unknown contract', () => ({ contractId: randomUUID(), direction: 'RECEIVABLE', schedule: good }), 'contractId'],
    ['not an id', () => ({ contractId: 'contract-1', direction: 'RECEIVABLE', schedule: good }), 'contractId'],
    ['a zero amount', () => ({ contractId, direction: 'RECEIVABLE', schedule: [{ ...good[0], amount: { minor: 0 } }] }), 'schedule.0.amount'],
    ['a negative amount', () => ({ contractId, direction: 'RECEIVABLE', schedule: [good[0], { ...good[1], amount: { minor: -5 } }] }), 'schedule.1.amount'],
    ['an amount above the maximum', () => ({ contractId, direction: 'RECEIVABLE', schedule: [{ kind: 'DELIVERY', amount: { minor: MAX_AMOUNT_MINOR + 1 }, dueDate: daysAhead(1) }] }), 'schedule.0.amount'],
    ['another currency', () => ({ contractId, direction: 'RECEIVABLE', schedule: [{ ...good[0], amount: { minor: 100, currency: 'USD' } }] }), 'schedule.0.amount.currency'],
    ['a date that does not exist', () => ({ contractId, direction: 'RECEIVABLE', schedule: [{ ...good[0], dueDate: '2026-02-30' }] }), 'schedule.0.dueDate'],
    ['a payment without a date', () => ({ contractId, direction: 'RECEIVABLE', schedule: [{ kind: 'PAYMENT', amount: { minor: 100 } }] }), 'schedule.0.dueDate'],
    ['a payment with days after an act', () => ({ contractId, direction: 'RECEIVABLE', schedule: [{ ...good[0], daysAfterAct: 5 }] }), 'schedule.0.daysAfterAct'],
    ['a postpayment with a date', () => ({ contractId, direction: 'RECEIVABLE', schedule: [{ ...good[1], dueDate: daysAhead(3) }] }), 'schedule.0.dueDate'],
    ['a postpayment without days', () => ({ contractId, direction: 'RECEIVABLE', schedule: [{ kind: 'POSTPAYMENT', amount: { minor: 100 } }] }), 'schedule.0.daysAfterAct'],
    ['a postpayment a year and a day after', () => ({ contractId, direction: 'RECEIVABLE', schedule: [{ ...good[1], daysAfterAct: 366 }] }), 'schedule.0.daysAfterAct'],
    ['payments above the contract amount', () => ({ contractId, direction: 'RECEIVABLE', schedule: [good[0], { ...good[1], amount: { minor: 700_000_01 } }] }), 'schedule'],
    ['more than 100 lines', () => ({ contractId, direction: 'RECEIVABLE', schedule: Array.from({ length: 101 }, () => ({ kind: 'DELIVERY', amount: { minor: 1 }, dueDate: daysAhead(1) })) }), 'schedule'],
  ];

  it.each(invalid)('refuses %s with BAD_USER_INPUT on its field and changes nothing', async (_name, input, field) => {
    const before = await stored();
    const result = await set(input());
    expect(result.data?.setContractTerms ?? null).toBeNull();
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await stored()).toEqual(before);
  });

  it('refuses a document that is not a contract, and a cancelled contract', async () => {
    const invoiceId = await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId, contractId, amountMinor: 100 });
    const onInvoice = await set({ contractId: invoiceId, direction: 'RECEIVABLE', schedule: [] });
    expect(onInvoice.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'contractId' });

    const cancelled = await sign(subgraph.orm, { documentType: 'CONTRACT', counterpartyId, amountMinor: 100_00 });
    await change(subgraph.orm, { documentId: cancelled, documentType: 'CONTRACT', status: 'CANCELLED', contractId: null, invoiceId: null, changedAt: new Date(Date.now() + 1000).toISOString() });
    const onCancelled = await set({ contractId: cancelled, direction: 'RECEIVABLE', schedule: [] });
    expect(onCancelled.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'contractId' });
    expect(await subgraph.orm.em.fork().count(ContractTerms, { contractId: cancelled })).toBe(0);
  });

  it('allows a contract without an amount any schedule total', async () => {
    const open = await sign(subgraph.orm, { documentType: 'CONTRACT', counterpartyId, amountMinor: null });
    const result = await set({ contractId: open, direction: 'RECEIVABLE', schedule: [{ kind: 'PAYMENT', amount: { minor: 5_000_000_00 }, dueDate: daysAhead(3) }] });
    expect(result.errors).toBeUndefined();
  });

  it('is forbidden to a viewer', async () => {
    const before = await stored();
    const result = await set({ contractId, direction: 'PAYABLE', schedule: good }, viewer);
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await stored()).toEqual(before);
  });
});
