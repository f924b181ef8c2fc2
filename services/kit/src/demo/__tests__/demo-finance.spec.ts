import { createHash } from 'node:crypto';
import { DEMO_COUNTERPARTY_IDS } from '../demo-counterparties';
import { DEMO_MANAGER_IDS } from '../demo-users';
import { DEMO_OWN_COMPANY, type DemoFinanceCounterparty, type DemoFinanceHistory, type DemoFinanceInvoice, demoFinanceHistory, demoSampleStatementPayments } from '../demo-finance';
import { addDays, daysBetween } from '../prng';
import { isValidInn, validateKpp, validateSettlementAccount } from '../../requisites';

const TODAYS = ['2026-12-06', '2026-12-01', '2027-03-31', '2028-02-29', '2026-07-15'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The counterparties service's derivation of a demo counterparty id (services/counterparties/src/seed/counterparties.seed.ts). */
function counterpartyIdOf(inn: string, kpp: string | null): string {
  const hash = createHash('sha1').update(Buffer.from('6f1c2b7e3d4a5e8f9a0b1c2d3e4f5a6b', 'hex')).update(`${inn}/${kpp ?? ''}`, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type Settlement = { invoice: DemoFinanceInvoice; paidMinor: number; lastPaid: string | null; daysLate: number };

/** How each past-due (non-open) invoice of a counterparty was paid, from the history's payments alone. */
function settlements(history: DemoFinanceHistory, counterparty: DemoFinanceCounterparty): Settlement[] {
  return history.contracts
    .filter((contract) => contract.counterpartyId === counterparty.id)
    .flatMap((contract) => contract.invoices)
    .filter((invoice) => !invoice.open && invoice.dueDate < history.today)
    .map((invoice) => {
      const payments = history.payments.filter((payment) => payment.invoiceId === invoice.id);
      const lastPaid = payments.length ? payments.map((payment) => payment.date).sort().at(-1)! : null;
      return { invoice, paidMinor: payments.reduce((sum, payment) => sum + payment.amountMinor, 0), lastPaid, daysLate: lastPaid ? daysBetween(invoice.dueDate, lastPaid) : daysBetween(invoice.dueDate, history.today) };
    });
}

const byProfile = (history: DemoFinanceHistory, profile: string) => history.counterparties.filter((counterparty) => counterparty.payment === profile);

describe('demo finance history', () => {
  it('is deterministic: the same day gives the same data, and ids do not depend on the day', () => {
    expect(demoFinanceHistory('2026-12-06')).toEqual(demoFinanceHistory('2026-12-06'));
    expect(demoSampleStatementPayments('2026-12-06')).toEqual(demoSampleStatementPayments('2026-12-06'));
    const [a, b] = [demoFinanceHistory('2026-12-06'), demoFinanceHistory('2027-03-31')];
    expect(b.contracts.map((contract) => contract.id)).toEqual(a.contracts.map((contract) => contract.id));
    expect(b.contracts[0].startDate).not.toBe(a.contracts[0].startDate);
    expect(() => demoFinanceHistory('06.12.2026')).toThrow(RangeError);
  });

  it('refers to real demo counterparties with their own requisites, and to well-formed ones of our company', () => {
    const history = demoFinanceHistory('2026-12-06');
    expect(history.counterparties.length).toBeGreaterThanOrEqual(10);
    for (const counterparty of history.counterparties) {
      expect(DEMO_COUNTERPARTY_IDS[counterparty.index]).toBe(counterparty.id);
      expect(counterpartyIdOf(counterparty.party.inn, counterparty.party.kpp)).toBe(counterparty.id);
      expect(validateSettlementAccount(counterparty.party.account, counterparty.party.bik)).toBeNull();
      expect(counterparty.responsibleId).toBe(DEMO_MANAGER_IDS[counterparty.index % DEMO_MANAGER_IDS.length]);
    }
    expect(isValidInn(DEMO_OWN_COMPANY.inn)).toBe(true);
    expect(validateKpp(DEMO_OWN_COMPANY.kpp, 'LEGAL_ENTITY')).toBeNull();
    expect(validateSettlementAccount(DEMO_OWN_COMPANY.account, DEMO_OWN_COMPANY.bik)).toBeNull();
  });

  it.each(TODAYS)('holds together on %s: unique ids and numbers, money adds up, nothing after today', (today) => {
    const history = demoFinanceHistory(today);
    const documents = history.contracts.flatMap((contract) => [contract, ...contract.invoices, ...contract.acts]);
    const ids = [...documents.map((document) => document.id), ...history.payments.map((payment) => payment.id)];
    expect(ids.every((id) => UUID.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // Our invoices and acts: one series each; a supplier's: its own; payment orders: one series per payer.
    const seriesOf = (items: { number: string; counterpartyId: string }[], own: (item: { counterpartyId: string }) => boolean) => items.map((item) => `${own(item) ? 'own' : item.counterpartyId}:${item.number}`);
    const receivable = new Set(history.contracts.filter((contract) => contract.direction === 'RECEIVABLE').map((contract) => contract.counterpartyId));
    const invoices = history.contracts.flatMap((contract) => contract.invoices);
    const invoiceNumbers = seriesOf(invoices, (item) => receivable.has(item.counterpartyId));
    expect(new Set(invoiceNumbers).size).toBe(invoiceNumbers.length);
    const paymentNumbers = [...history.payments, ...demoSampleStatementPayments(today)].map((payment) => `${payment.payer.inn}/${payment.payer.kpp}:${payment.number}`);
    expect(new Set(paymentNumbers).size).toBe(paymentNumbers.length);

    for (const contract of history.contracts) {
      expect(contract.direction).toBe(history.counterparties.find((counterparty) => counterparty.id === contract.counterpartyId)!.role === 'CLIENT' ? 'RECEIVABLE' : 'PAYABLE');
      expect(contract.title).toMatch(/^Договор (оказания услуг|поставки) .+ № \d+-[УП] от \d\d\.\d\d\.\d{4}$/);
      expect(contract.date <= contract.startDate && contract.startDate < contract.endDate && contract.date < today).toBe(true);
      if (contract.status === 'IN_FORCE') expect(contract.closedOn).toBeNull();
      else expect(contract.closedOn! < today && contract.closedOn! >= [contract.startDate, ...contract.acts.map((act) => act.date)].sort().at(-1)!).toBe(true);
      if (contract.status === 'EXECUTED') expect(contract.closedOn! >= contract.endDate).toBe(true);
      if (contract.status === 'TERMINATED') expect(contract.closedOn).toBe(contract.terminatedOn);
      // The payment items of the schedule add up to the contract's amount; deliveries (payable) too.
      const payments = contract.schedule.filter((item) => item.kind !== 'DELIVERY');
      expect(payments.reduce((sum, item) => sum + item.amountMinor, 0)).toBe(contract.amountMinor);
      const deliveries = contract.schedule.filter((item) => item.kind === 'DELIVERY');
      if (deliveries.length) expect(deliveries.reduce((sum, item) => sum + item.amountMinor, 0)).toBe(contract.amountMinor);
      expect(contract.schedule.every((item) => (item.kind === 'POSTPAYMENT') === (item.daysAfterAct !== null && item.dueDate === null))).toBe(true);
      expect(contract.invoices.reduce((sum, invoice) => sum + invoice.amountMinor, 0)).toBeLessThanOrEqual(contract.amountMinor);
      for (const invoice of contract.invoices) {
        expect(invoice.date < today && invoice.date >= contract.startDate && invoice.dueDate > invoice.date).toBe(true);
        expect(invoice.title).toBe(`Счёт на оплату № ${invoice.number} от ${invoice.date.split('-').reverse().join('.')}`);
        expect(invoice.vatMinor).toBe(Math.round((invoice.amountMinor * (invoice.date >= '2026-01-01' ? 22 : 20)) / (invoice.date >= '2026-01-01' ? 122 : 120)));
      }
      for (const act of contract.acts) {
        expect(act.date < today && act.periodStart <= act.periodEnd && act.amountMinor > 0).toBe(true);
        expect(contract.invoices.some((invoice) => invoice.id === act.invoiceId)).toBe(true);
      }
    }
    for (const payment of history.payments) {
      const invoice = invoices.find((candidate) => candidate.id === payment.invoiceId)!;
      expect(payment.date < today && payment.date >= invoice.date).toBe(true);
      expect(payment.purpose).toMatch(new RegExp(`^(Частичная оплата|Оплата) по счёту № ${invoice.number} от ${invoice.date.split('-').reverse().join('\\.')}, в т\\.ч\\. НДС 2[02]% - \\d+\\.\\d\\d руб\\.$`));
      const incoming = payment.direction === 'INCOMING';
      expect(incoming ? payment.payee : payment.payer).toEqual(DEMO_OWN_COMPANY);
      expect(incoming ? payment.creditedAt : payment.debitedAt).toBe(payment.date);
    }
    // No invoice is ever overpaid.
    for (const invoice of invoices) expect(history.payments.filter((payment) => payment.invoiceId === invoice.id).reduce((sum, payment) => sum + payment.amountMinor, 0)).toBeLessThanOrEqual(invoice.amountMinor);
  });

  it.each(TODAYS)('gives each counterparty its behaviour on %s', (today) => {
    const history = demoFinanceHistory(today);
    // Monthly services over the last twelve months: twelve acts with their invoices.
    const services = history.contracts.filter((contract) => contract.kind === 'SERVICES' && contract.status !== 'TERMINATED');
    expect(services.length).toBeGreaterThanOrEqual(6);
    for (const contract of services) {
      expect(contract.acts).toHaveLength(12);
      expect(contract.invoices).toHaveLength(12);
      expect(daysBetween(contract.acts[0].date, today)).toBeGreaterThan(330);
    }

    const onTime = byProfile(history, 'ON_TIME');
    expect(onTime.length).toBeGreaterThanOrEqual(2);
    for (const counterparty of onTime) {
      const paid = settlements(history, counterparty);
      expect(paid.length).toBeGreaterThanOrEqual(10);
      expect(paid.every((item) => item.paidMinor === item.invoice.amountMinor && item.daysLate <= 0)).toBe(true);
    }

    const late = byProfile(history, 'LATE');
    expect(late.length).toBeGreaterThanOrEqual(2);
    for (const counterparty of late) {
      const paid = settlements(history, counterparty);
      // Chronically late, but nothing is overdue now: paid in full, most of it 5–40 days after the due date.
      expect(paid.every((item) => item.paidMinor === item.invoice.amountMinor)).toBe(true);
      const lateOnes = paid.filter((item) => item.daysLate >= 5);
      expect(lateOnes.length / paid.length).toBeGreaterThanOrEqual(0.6);
      expect(Math.max(...paid.map((item) => item.daysLate))).toBeLessThanOrEqual(40);
    }

    const slightly = byProfile(history, 'SLIGHTLY_LATE');
    for (const counterparty of slightly) {
      const paid = settlements(history, counterparty);
      expect(paid.every((item) => item.paidMinor === item.invoice.amountMinor && item.daysLate <= 6)).toBe(true);
      expect(paid.some((item) => item.daysLate > 0)).toBe(true);
    }

    const overdue = byProfile(history, 'OVERDUE');
    expect(overdue).toHaveLength(1);
    const unpaid = settlements(history, overdue[0]).filter((item) => item.paidMinor < item.invoice.amountMinor);
    expect(unpaid).toHaveLength(1);
    expect(unpaid[0].paidMinor).toBe(0);
    expect(daysBetween(unpaid[0].invoice.dueDate, today)).toBeGreaterThan(30);
    // Nobody else owes anything past due.
    for (const counterparty of history.counterparties.filter((candidate) => candidate.payment !== 'OVERDUE')) {
      expect(settlements(history, counterparty).filter((item) => item.paidMinor < item.invoice.amountMinor)).toEqual([]);
    }

    const terminated = history.contracts.filter((contract) => contract.status === 'TERMINATED');
    expect(terminated).toHaveLength(1);
    expect(history.counterparties.find((counterparty) => counterparty.id === terminated[0].counterpartyId)!.payment).toBe('TERMINATED');
    expect(terminated[0].terminatedOn! < today && terminated[0].terminatedOn! < terminated[0].endDate).toBe(true);
    expect(terminated[0].acts.length).toBeGreaterThan(3);
    expect(terminated[0].acts.every((act) => act.date <= terminated[0].terminatedOn!)).toBe(true);
    expect(history.contracts.filter((contract) => contract.terminatedOn !== null)).toEqual(terminated);

    // Suppliers: payable contracts, one delivering on time, one late (acts against the DELIVERY items of the schedule).
    const suppliers = history.counterparties.filter((counterparty) => counterparty.role === 'SUPPLIER');
    expect(suppliers.length).toBeGreaterThanOrEqual(2);
    const deliveryDelays = (counterparty: DemoFinanceCounterparty) =>
      history.contracts
        .filter((contract) => contract.counterpartyId === counterparty.id && contract.kind === 'SUPPLY')
        .flatMap((contract) => contract.acts.map((act, position) => daysBetween(contract.schedule.filter((item) => item.kind === 'DELIVERY')[position].dueDate!, act.date)));
    const punctual = suppliers.find((counterparty) => counterparty.delivery === 'ON_TIME' && deliveryDelays(counterparty).length)!;
    const tardy = suppliers.find((counterparty) => counterparty.delivery === 'LATE')!;
    expect(deliveryDelays(punctual).length).toBeGreaterThanOrEqual(3);
    expect(deliveryDelays(punctual).every((days) => days <= 0)).toBe(true);
    expect(deliveryDelays(tardy).length).toBeGreaterThanOrEqual(3);
    expect(deliveryDelays(tardy).every((days) => days >= 5 && days <= 25)).toBe(true);
    for (const counterparty of suppliers) {
      expect(history.contracts.filter((contract) => contract.counterpartyId === counterparty.id).every((contract) => contract.direction === 'PAYABLE')).toBe(true);
      expect(history.payments.filter((payment) => payment.counterpartyId === counterparty.id).every((payment) => payment.direction === 'OUTGOING')).toBe(true);
      expect(settlements(history, counterparty).every((item) => item.paidMinor === item.invoice.amountMinor && item.daysLate <= 0)).toBe(true);
    }
    expect(new Set(history.contracts.flatMap((contract) => contract.schedule.map((item) => item.kind)))).toEqual(new Set(['ADVANCE', 'PAYMENT', 'POSTPAYMENT', 'DELIVERY']));
    const statuses = new Set(history.contracts.map((contract) => contract.status));
    expect(statuses).toEqual(new Set(['IN_FORCE', 'EXECUTED', 'TERMINATED']));
  });

  it.each(TODAYS)('leaves a few recent invoices open on %s, which the sample statement pays', (today) => {
    const history = demoFinanceHistory(today);
    const open = history.contracts.flatMap((contract) => contract.invoices.filter((invoice) => invoice.open));
    expect(open.length).toBeGreaterThanOrEqual(4);
    for (const invoice of open) {
      expect(invoice.date < today && invoice.dueDate >= today).toBe(true);
      expect(history.payments.some((payment) => payment.invoiceId === invoice.id)).toBe(false);
    }
    const sample = demoSampleStatementPayments(today);
    expect(sample.map((payment) => payment.invoiceId).sort()).toEqual(open.map((invoice) => invoice.id).sort());
    expect(new Set(sample.map((payment) => payment.direction))).toEqual(new Set(['INCOMING', 'OUTGOING']));
    for (const payment of sample) {
      const invoice = open.find((candidate) => candidate.id === payment.invoiceId)!;
      expect(payment.amountMinor).toBe(invoice.amountMinor);
      expect(payment.date).toBe(today);
      expect(payment.purpose).toContain(`по счёту № ${invoice.number} от `);
      const counterparty = history.counterparties.find((candidate) => candidate.id === payment.counterpartyId)!;
      expect(payment.direction === 'INCOMING' ? payment.payer : payment.payee).toEqual(counterparty.party);
      expect(history.payments.some((other) => other.id === payment.id)).toBe(false);
    }
  });

  it('keeps the open invoices\' numbers, amounts and payment numbers whatever the day, so a sample generated once keeps matching', () => {
    const stable = (today: string) => demoSampleStatementPayments(today).map((payment) => ({ number: payment.number, amountMinor: payment.amountMinor, invoiceId: payment.invoiceId, payer: payment.payer.inn, invoice: /№ (\S+) от/.exec(payment.purpose)![1] }));
    expect(stable('2027-03-31')).toEqual(stable('2026-12-06'));
    expect(stable(addDays('2026-12-06', 400))).toEqual(stable('2026-12-06'));
  });
});
