import { createHash } from 'node:crypto';
import { DEMO_COUNTERPARTY_IDS } from './demo-counterparties';
import { DEMO_MANAGER_IDS, DEMO_USERS } from './demo-users';
import { addDays, Prng, russianDate } from './prng';

/**
 * A year of demo finance history (issue 9): contracts with their payment schedules, invoices, acts and the bank
 * payments of a few demo counterparties, relative to a given `today`, so that the rating tells them apart — some
 * always pay on time, some are chronically late, one has a terminated contract, one has an overdue invoice now; two
 * suppliers deliver on time or late. Pure and deterministic: the same `today` gives the same data, and every id is a
 * name-based UUID of a key that does not depend on `today` (the documents and the finance seeds compute the same ids
 * without reading each other's database).
 *
 * A few recent invoices are OPEN (signed, not yet due, unpaid): their payments are not in the history;
 * {@link demoSampleStatementPayments} gives them, for the sample bank statement a new user imports. Their numbers,
 * amounts and payment numbers do not depend on `today`, so a statement generated once keeps matching the invoices of a
 * demo seeded on any later day.
 */

/** Namespace of the demo finance ids (UUID v5 of a key such as `cp9:services:invoice:3`). */
export const DEMO_FINANCE_NAMESPACE = '8a3f5c1e-6b2d-5f47-9c0e-2d4b6a8f1c3e';

/** RFC 4122 version-5 (SHA-1, name-based) UUID, as the counterparties demo seed makes its ids. */
function uuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The fixed id of a demo finance row from its key. */
export function demoFinanceId(key: string): string {
  return uuidV5(key, DEMO_FINANCE_NAMESPACE);
}

/** A party of a bank payment: the requisites a bank statement carries. */
export type DemoBankParty = {
  name: string;
  inn: string;
  kpp: string | null;
  account: string;
  bik: string;
  bankName: string;
  correspondentAccount: string;
};

/** Our own company in the demo (the payee of incoming and the payer of outgoing payments); requisites are well-formed and fictional. */
export const DEMO_OWN_COMPANY: DemoBankParty = {
  name: 'ООО «Картотека»',
  inn: '7704815235',
  kpp: '770401001',
  account: '40702810853800012345',
  bik: '044525225',
  bankName: 'ПАО Сбербанк',
  correspondentAccount: '30101810400000000225',
};

export type DemoPaymentProfile = 'ON_TIME' | 'SLIGHTLY_LATE' | 'LATE' | 'OVERDUE' | 'TERMINATED';
export type DemoDeliveryProfile = 'ON_TIME' | 'LATE';
export type DemoContractDirection = 'RECEIVABLE' | 'PAYABLE';
export type DemoContractStatus = 'IN_FORCE' | 'EXECUTED' | 'TERMINATED';
export type DemoScheduleKind = 'ADVANCE' | 'PAYMENT' | 'POSTPAYMENT' | 'DELIVERY';

export type DemoFinanceCounterparty = {
  id: string;
  /** Index in the counterparties service's demo list (DEMO_COUNTERPARTY_IDS[index] is `id`). */
  index: number;
  role: 'CLIENT' | 'SUPPLIER';
  /** How a client pays us (null for suppliers: we pay them, on time). */
  payment: DemoPaymentProfile | null;
  /** How a supplier delivers (null for clients). */
  delivery: DemoDeliveryProfile | null;
  party: DemoBankParty;
  /** The counterparty's responsible manager (the counterparties seed rotates DEMO_MANAGER_IDS the same way). */
  responsibleId: string;
};

export type DemoScheduleItem = { kind: DemoScheduleKind; amountMinor: number; dueDate: string | null; daysAfterAct: number | null; description: string };

export type DemoFinanceInvoice = {
  id: string;
  key: string;
  contractId: string;
  counterpartyId: string;
  number: string;
  title: string;
  /** YYYY-MM-DD; also the day it was signed. */
  date: string;
  dueDate: string;
  amountMinor: number;
  vatMinor: number;
  currency: 'RUB';
  /** Not yet due and unpaid on `today`: the sample statement pays it. */
  open: boolean;
};

export type DemoFinanceAct = {
  id: string;
  key: string;
  contractId: string;
  /** The invoice issued with the act (postpayment), if any. */
  invoiceId: string | null;
  counterpartyId: string;
  number: string;
  title: string;
  date: string;
  periodStart: string;
  periodEnd: string;
  amountMinor: number;
  vatMinor: number;
  currency: 'RUB';
};

export type DemoFinanceContract = {
  id: string;
  key: string;
  counterpartyId: string;
  direction: DemoContractDirection;
  kind: 'SERVICES' | 'SUPPLY';
  number: string;
  title: string;
  subject: string;
  amountMinor: number;
  currency: 'RUB';
  /** The contract's date; also the day it was signed. */
  date: string;
  startDate: string;
  endDate: string;
  status: DemoContractStatus;
  /** TERMINATED: the day it was terminated. */
  terminatedOn: string | null;
  /** EXECUTED or TERMINATED: the day it took that status (it was IN_FORCE from its start until then); null while in force. */
  closedOn: string | null;
  paymentTerms: string;
  responsibleId: string;
  schedule: DemoScheduleItem[];
  invoices: DemoFinanceInvoice[];
  acts: DemoFinanceAct[];
};

export type DemoFinancePayment = {
  id: string;
  direction: 'INCOMING' | 'OUTGOING';
  /** The payer's payment order number. */
  number: string;
  date: string;
  amountMinor: number;
  currency: 'RUB';
  purpose: string;
  payer: DemoBankParty;
  payee: DemoBankParty;
  counterpartyId: string;
  contractId: string;
  invoiceId: string;
  /** ДатаСписано (outgoing) and ДатаПоступило (incoming), YYYY-MM-DD. */
  debitedAt: string | null;
  creditedAt: string | null;
};

export type DemoFinanceHistory = {
  today: string;
  own: DemoBankParty;
  counterparties: DemoFinanceCounterparty[];
  contracts: DemoFinanceContract[];
  /** Payments made before `today`, in date order (none for an open invoice). */
  payments: DemoFinancePayment[];
};

// ---------------------------------------------------------------------------------------------------------------
// The cast. Requisites copied from the counterparties service's demo list (services/counterparties/src/seed/demo-companies.ts).

type Plan = {
  index: number;
  party: DemoBankParty;
  role: 'CLIENT' | 'SUPPLIER';
  payment: DemoPaymentProfile | null;
  delivery: DemoDeliveryProfile | null;
  /** Monthly services for a year (and a second year ahead). */
  services?: { subject: string; daysAfterAct: number };
  /** A supply contract with an advance and deliveries, earlier in the year. */
  supply?: { subject: string };
  /** A fresh contract with an open (not yet due) advance invoice, paid by the sample statement. */
  open?: { subject: string; amountMinor: number; number: string; paymentNumber: string };
  /** The first number of its own series (client payment orders; supplier invoices/acts) after the history. */
  anchor: number;
};

const party = (name: string, inn: string, kpp: string | null, account: string, bik: string, bankName: string, correspondentAccount: string): DemoBankParty => ({ name, inn, kpp, account, bik, bankName, correspondentAccount });

const PLANS: readonly Plan[] = [
  {
    index: 0, role: 'CLIENT', payment: 'ON_TIME', delivery: null, anchor: 4180,
    party: party('ООО «Северная Логистика»', '7715301256', '771501001', '40702810338009784889', '044525225', 'ПАО Сбербанк', '30101810400000000225'),
    services: { subject: 'по складской обработке грузов', daysAfterAct: 10 },
    open: { subject: 'стеллажного оборудования', amountMinor: 1_284_000_00, number: '1001', paymentNumber: '4181' },
  },
  {
    index: 9, role: 'CLIENT', payment: 'ON_TIME', delivery: null, anchor: 2310,
    party: party('АО «ДальМорПорт»', '2540897170', '254001001', '40702810550001783496', '040813608', 'Дальневосточный банк ПАО Сбербанк', '30101810600000000608'),
    services: { subject: 'по сопровождению 1С:Предприятие', daysAfterAct: 15 },
    supply: { subject: 'контейнерных запорных устройств' },
    open: { subject: 'швартовного оборудования', amountMinor: 2_376_500_00, number: '1002', paymentNumber: '2311' },
  },
  {
    index: 24, role: 'CLIENT', payment: 'ON_TIME', delivery: null, anchor: 915,
    party: party('ООО «Цифровые решения»', '7714143046', '771401001', '40702810200003420140', '044525974', 'АО «ТБанк»', '30101810145250000974'),
    services: { subject: 'по технической поддержке рабочих мест', daysAfterAct: 5 },
    open: { subject: 'серверного оборудования', amountMinor: 846_720_00, number: '1003', paymentNumber: '916' },
  },
  {
    index: 28, role: 'CLIENT', payment: 'SLIGHTLY_LATE', delivery: null, anchor: 1460,
    party: party('ООО «МедТехника Столица»', '7717651224', '771701001', '40702810700005738201', '044525555', 'ПАО «Промсвязьбанк»', '30101810400000000555'),
    services: { subject: 'по техническому обслуживанию оборудования', daysAfterAct: 10 },
  },
  {
    index: 3, role: 'CLIENT', payment: 'LATE', delivery: null, anchor: 8720,
    party: party('ПАО «Волжская энергосбытовая компания»', '6315664060', '631501001', '40702810054404887139', '043601607', 'Поволжский банк ПАО Сбербанк', '30101810200000000607'),
    services: { subject: 'по охране объекта', daysAfterAct: 10 },
    open: { subject: 'приборов учёта электроэнергии', amountMinor: 3_150_000_00, number: '1004', paymentNumber: '8721' },
  },
  {
    index: 17, role: 'CLIENT', payment: 'LATE', delivery: null, anchor: 5540,
    party: party('АО «Тюменская буровая компания»', '7203737995', '720301001', '40702810567102592766', '047102651', 'Западно-Сибирское отделение № 29 ПАО Сбербанк', '30101810800000000651'),
    services: { subject: 'по аренде спецтехники', daysAfterAct: 15 },
    supply: { subject: 'запасных частей к буровым установкам' },
  },
  {
    index: 13, role: 'CLIENT', payment: 'OVERDUE', delivery: null, anchor: 12040,
    party: party('ПАО «Камская металлургическая компания»', '5904423129', '997250001', '40702810349092245191', '045773603', 'Западно-Уральский банк ПАО Сбербанк', '30101810900000000603'),
    services: { subject: 'по грузоперевозкам', daysAfterAct: 20 },
    supply: { subject: 'огнеупорных материалов' },
  },
  {
    index: 10, role: 'CLIENT', payment: 'TERMINATED', delivery: null, anchor: 633,
    party: party('ООО «СК «Горизонт»', '5260547524', '526001001', '40702810642055097106', '042202603', 'Волго-Вятский банк ПАО Сбербанк', '30101810900000000603'),
    services: { subject: 'по клинингу офиса', daysAfterAct: 10 },
  },
  {
    index: 2, role: 'SUPPLIER', payment: null, delivery: 'ON_TIME', anchor: 2417,
    party: party('АО «Уралмашстрой»', '6673643694', '667301001', '40702810316545807857', '046577674', 'Уральский банк ПАО Сбербанк', '30101810500000000674'),
    supply: { subject: 'металлоконструкций стеллажей' },
    open: { subject: 'комплектующих для погрузчиков', amountMinor: 1_742_400_00, number: '2418', paymentNumber: '641' },
  },
  {
    index: 7, role: 'SUPPLIER', payment: null, delivery: 'LATE', anchor: 1539,
    party: party('ООО «Сибирский лес»', '2465907451', '246501001', '40702810831003427849', '040407627', 'Красноярское отделение № 8646 ПАО Сбербанк', '30101810800000000627'),
    supply: { subject: 'пиломатериалов и поддонов' },
  },
  {
    index: 25, role: 'SUPPLIER', payment: null, delivery: 'ON_TIME', anchor: 862,
    party: party('ООО «Столичный клининг»', '7719498557', '771901001', '40702810238001359888', '044525225', 'ПАО Сбербанк', '30101810400000000225'),
    services: { subject: 'по уборке складских помещений', daysAfterAct: 5 },
  },
];

/** Our outgoing payment orders: the history ends at this number; the sample statement's outgoing payment is the next. */
const OWN_PAYMENT_ANCHOR = 640;
/** Our invoices and acts (receivable): the history ends at this number; the open invoices are 1001, 1002 … */
const OWN_DOCUMENT_ANCHOR = 1000;

const MONTHS = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];

const monthStart = (date: string): string => `${date.slice(0, 7)}-01`;
/** The first day of the month `months` after the month of `first` (a first day). */
function addMonths(first: string, months: number): string {
  const total = Number(first.slice(0, 4)) * 12 + Number(first.slice(5, 7)) - 1 + months;
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}-01`;
}
const monthEnd = (first: string): string => addDays(addMonths(first, 1), -1);
const monthName = (first: string): string => `${MONTHS[Number(first.slice(5, 7)) - 1]} ${first.slice(0, 4)}`;
const maxDate = (a: string, b: string): string => (a > b ? a : b);

/** The VAT rate on a date: 20 % until 2025, 22 % from 2026. */
export function demoVatRate(date: string): number {
  return date >= '2026-01-01' ? 22 : 20;
}
/** VAT included in an amount (minor units) at the rate of the date. */
export function demoIncludedVat(amountMinor: number, date: string): number {
  const rate = demoVatRate(date);
  return Math.round((amountMinor * rate) / (100 + rate));
}
/** `12345.67`, roubles as bank purposes write them. */
const roubles = (minor: number): string => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

/** «Оплата по счёту № 1001 от 30.11.2026, в т.ч. НДС 22% - 231540.98 руб.» — the purpose a payer writes. */
export function demoPaymentPurpose(invoice: { number: string; date: string }, amountMinor: number, partial: boolean): string {
  const rate = demoVatRate(invoice.date);
  return `${partial ? 'Частичная оплата' : 'Оплата'} по счёту № ${invoice.number} от ${russianDate(invoice.date)}, в т.ч. НДС ${rate}% - ${roubles(demoIncludedVat(amountMinor, invoice.date))} руб.`;
}

/** A share of an amount, rounded to whole roubles; `parts` shares of which the last takes the remainder. */
function split(totalMinor: number, shares: readonly number[]): number[] {
  const parts = shares.map((share) => Math.round((totalMinor * share) / 100 / 100) * 100);
  parts[parts.length - 1] = totalMinor - parts.slice(0, -1).reduce((sum, part) => sum + part, 0);
  return parts;
}

type PaymentIntent = { invoice: DemoFinanceInvoice; key: string; date: string; amountMinor: number; partial: boolean };

type Draft = { contract: DemoFinanceContract; intents: PaymentIntent[] };

const DIRECTOR_ID = DEMO_USERS.find((user) => user.roles.includes('DIRECTOR'))?.id ?? DEMO_USERS[0].id;

/** Who signs the demo finance documents (the director). */
export const DEMO_FINANCE_SIGNER_ID = DIRECTOR_ID;

function counterpartyOf(plan: Plan): DemoFinanceCounterparty {
  const id = DEMO_COUNTERPARTY_IDS[plan.index];
  if (!id) throw new Error(`demo finance: there is no demo counterparty #${plan.index}`);
  return { id, index: plan.index, role: plan.role, payment: plan.payment, delivery: plan.delivery, party: plan.party, responsibleId: DEMO_MANAGER_IDS[plan.index % DEMO_MANAGER_IDS.length] };
}

/** The demo counterparties that have a finance history, with their profiles. */
export function demoFinanceCounterparties(): DemoFinanceCounterparty[] {
  return PLANS.map(counterpartyOf);
}

function checkToday(today: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(`${today}T00:00:00Z`))) throw new RangeError(`demo finance: today must be YYYY-MM-DD, got "${today}"`);
}

/** The year of demo finance history ending the day before `today` (YYYY-MM-DD). */
export function demoFinanceHistory(today: string): DemoFinanceHistory {
  checkToday(today);
  const counterparties = demoFinanceCounterparties();
  const drafts: Draft[] = [];
  PLANS.forEach((plan, position) => {
    const counterparty = counterparties[position];
    // One stream per counterparty, seeded by its index: the others do not shift when one changes.
    const prng = new Prng(0xf1a9ce00 + plan.index * 7919);
    const contractNumber = (offset: number, suffix: string) => `${101 + position * 3 + offset}-${suffix}`;
    if (plan.services) drafts.push(servicesContract(plan, counterparty, prng, today, contractNumber(0, 'У')));
    if (plan.supply) drafts.push(plan.role === 'CLIENT' ? clientSupplyContract(plan, counterparty, prng, today, contractNumber(1, 'П')) : supplierSupplyContract(plan, counterparty, prng, today, contractNumber(1, 'П')));
    if (plan.open) drafts.push(openContract(plan, counterparty, today, contractNumber(2, 'П')));
  });
  closeContracts(drafts.map((draft) => draft.contract));
  numberDocuments(drafts);
  for (const { contract } of drafts) titleDocuments(contract);
  const payments = paymentsOf(drafts, counterparties, today);
  return { today, own: DEMO_OWN_COMPANY, counterparties, contracts: drafts.map((draft) => draft.contract), payments };
}

/**
 * The payments of the open invoices, as the sample bank statement brings them (dated `today`, or the invoice's
 * date if later): the clients pay our open invoices (INCOMING), we pay the supplier's (OUTGOING). None of them is in
 * the history.
 */
export function demoSampleStatementPayments(today: string): DemoFinancePayment[] {
  const history = demoFinanceHistory(today);
  const byId = new Map(history.counterparties.map((counterparty) => [counterparty.id, counterparty]));
  const result: DemoFinancePayment[] = [];
  for (const contract of history.contracts) {
    for (const invoice of contract.invoices.filter((candidate) => candidate.open)) {
      const plan = PLANS.find((candidate) => DEMO_COUNTERPARTY_IDS[candidate.index] === contract.counterpartyId);
      const counterparty = byId.get(contract.counterpartyId);
      if (!plan?.open || !counterparty) continue;
      const incoming = contract.direction === 'RECEIVABLE';
      const date = maxDate(today, invoice.date);
      result.push({
        id: demoFinanceId(`${invoice.key}:payment:sample`),
        direction: incoming ? 'INCOMING' : 'OUTGOING',
        number: plan.open.paymentNumber,
        date,
        amountMinor: invoice.amountMinor,
        currency: 'RUB',
        purpose: demoPaymentPurpose(invoice, invoice.amountMinor, false),
        payer: incoming ? counterparty.party : DEMO_OWN_COMPANY,
        payee: incoming ? DEMO_OWN_COMPANY : counterparty.party,
        counterpartyId: contract.counterpartyId,
        contractId: contract.id,
        invoiceId: invoice.id,
        debitedAt: incoming ? null : date,
        creditedAt: incoming ? date : null,
      });
    }
  }
  return result.sort((a, b) => a.direction.localeCompare(b.direction) || a.number.localeCompare(b.number));
}

// ---------------------------------------------------------------------------------------------------------------

function newContract(plan: Plan, counterparty: DemoFinanceCounterparty, key: string, fields: Omit<DemoFinanceContract, 'id' | 'key' | 'counterpartyId' | 'direction' | 'title' | 'currency' | 'responsibleId' | 'invoices' | 'acts' | 'closedOn'>): DemoFinanceContract {
  return {
    id: demoFinanceId(key),
    key,
    counterpartyId: counterparty.id,
    direction: plan.role === 'CLIENT' ? 'RECEIVABLE' : 'PAYABLE',
    title: '',
    currency: 'RUB',
    responsibleId: counterparty.responsibleId,
    invoices: [],
    acts: [],
    closedOn: null,
    ...fields,
  };
}

/** When an executed contract was closed: at its end, or 20 days after its last act if that is later. */
function closeContracts(contracts: DemoFinanceContract[]): void {
  for (const contract of contracts) {
    if (contract.status === 'TERMINATED') contract.closedOn = contract.terminatedOn;
    if (contract.status === 'EXECUTED') contract.closedOn = [contract.endDate, ...contract.acts.map((act) => addDays(act.date, 20))].sort().at(-1)!;
  }
}

function addInvoice(contract: DemoFinanceContract, suffix: string, date: string, dueDate: string, amountMinor: number, open = false): DemoFinanceInvoice {
  const key = `${contract.key}:invoice:${suffix}`;
  const invoice: DemoFinanceInvoice = { id: demoFinanceId(key), key, contractId: contract.id, counterpartyId: contract.counterpartyId, number: '', title: '', date, dueDate, amountMinor, vatMinor: demoIncludedVat(amountMinor, date), currency: 'RUB', open };
  contract.invoices.push(invoice);
  return invoice;
}

function addAct(contract: DemoFinanceContract, suffix: string, date: string, periodStart: string, periodEnd: string, amountMinor: number, invoice: DemoFinanceInvoice | null): DemoFinanceAct {
  const key = `${contract.key}:act:${suffix}`;
  const act: DemoFinanceAct = { id: demoFinanceId(key), key, contractId: contract.id, invoiceId: invoice?.id ?? null, counterpartyId: contract.counterpartyId, number: '', title: '', date, periodStart, periodEnd, amountMinor, vatMinor: demoIncludedVat(amountMinor, date), currency: 'RUB' };
  contract.acts.push(act);
  return act;
}

/** When a client of the given profile pays an invoice: one or two instalments (before `today` or not at all is decided later). */
function clientPays(prng: Prng, profile: DemoPaymentProfile, invoice: DemoFinanceInvoice): { date: string; amountMinor: number; partial: boolean }[] {
  const due = invoice.dueDate;
  const earliest = addDays(invoice.date, 1);
  const whole = (date: string) => [{ date: maxDate(earliest, date), amountMinor: invoice.amountMinor, partial: false }];
  switch (profile) {
    case 'ON_TIME':
      return whole(addDays(due, -prng.int(0, 6)));
    case 'SLIGHTLY_LATE':
      return whole(prng.chance(0.35) ? addDays(due, prng.int(1, 6)) : addDays(due, -prng.int(0, 4)));
    case 'OVERDUE':
      // Pays the others, often a week or two late; one invoice it does not pay at all (see servicesContract).
      return whole(prng.chance(0.5) ? addDays(due, prng.int(3, 15)) : addDays(due, -prng.int(0, 3)));
    case 'LATE': {
      if (prng.chance(0.15)) return whole(addDays(due, -prng.int(0, 2)));
      if (prng.chance(0.25)) {
        const [first, rest] = split(invoice.amountMinor, [50, 50]);
        return [
          { date: addDays(due, prng.int(3, 10)), amountMinor: first, partial: true },
          { date: addDays(due, prng.int(15, 40)), amountMinor: rest, partial: true },
        ];
      }
      return whole(addDays(due, prng.int(5, 40)));
    }
    case 'TERMINATED':
      return whole(addDays(due, prng.int(3, 25)));
  }
}

/** We pay a supplier's invoice on time, a few days before it is due. */
function wePay(prng: Prng, invoice: DemoFinanceInvoice): { date: string; amountMinor: number; partial: boolean }[] {
  return [{ date: maxDate(invoice.date, addDays(invoice.dueDate, -prng.int(0, 3))), amountMinor: invoice.amountMinor, partial: false }];
}

function intentsOf(prng: Prng, plan: Plan, invoice: DemoFinanceInvoice): PaymentIntent[] {
  const plans = plan.role === 'CLIENT' ? clientPays(prng, plan.payment ?? 'ON_TIME', invoice) : wePay(prng, invoice);
  return plans.map((intent, part) => ({ invoice, key: `${invoice.key}:payment:${part}`, ...intent }));
}

/** Monthly services for two years from the month a year before `today`: an act and an invoice at each month's end. */
function servicesContract(plan: Plan, counterparty: DemoFinanceCounterparty, prng: Prng, today: string, number: string): Draft {
  const services = plan.services!;
  const start = addMonths(monthStart(today), -12);
  const feeMinor = prng.int(15, 90) * 10_000_00;
  const terminatedOn = plan.payment === 'TERMINATED' ? addDays(addMonths(start, 7), 9) : null;
  const payable = plan.role === 'SUPPLIER';
  const schedule: DemoScheduleItem[] = [];
  for (let month = 0; month < 24; month += 1) {
    schedule.push({ kind: 'POSTPAYMENT', amountMinor: feeMinor, dueDate: null, daysAfterAct: services.daysAfterAct, description: `Оплата услуг за ${monthName(addMonths(start, month))}` });
  }
  if (payable) {
    // The supplier's monthly act is due by the 3rd day after the month.
    for (let month = 0; month < 24; month += 1) {
      schedule.push({ kind: 'DELIVERY', amountMinor: feeMinor, dueDate: addDays(monthEnd(addMonths(start, month)), 3), daysAfterAct: null, description: `Услуги за ${monthName(addMonths(start, month))}` });
    }
  }
  const contract = newContract(plan, counterparty, `cp${plan.index}:services`, {
    kind: 'SERVICES',
    number,
    subject: `Оказание услуг ${services.subject}`,
    amountMinor: feeMinor * 24,
    date: addDays(start, -prng.int(3, 12)),
    startDate: start,
    endDate: addDays(addMonths(start, 24), -1),
    status: terminatedOn ? 'TERMINATED' : 'IN_FORCE',
    terminatedOn,
    paymentTerms: `Ежемесячно, в течение ${services.daysAfterAct} дней с даты подписания акта`,
    schedule,
  });
  const intents: PaymentIntent[] = [];
  const invoices: DemoFinanceInvoice[] = [];
  for (let month = 0; month < 24; month += 1) {
    const first = addMonths(start, month);
    const last = monthEnd(first);
    if (last >= today || (terminatedOn && last > terminatedOn)) break;
    const invoice = addInvoice(contract, String(month), last, addDays(last, services.daysAfterAct), feeMinor);
    addAct(contract, String(month), last, first, last, feeMinor, invoice);
    invoices.push(invoice);
  }
  for (const invoice of invoices) intents.push(...intentsOf(prng, plan, invoice));
  return { contract, intents };
}

/**
 * A client's supply contract of ten months ago: 50 % advance, two deliveries, 25 % after the first, 25 % on a fixed
 * date. Executed — except for the OVERDUE client, who never made the final payment (a dispute): still in force, that
 * invoice overdue for months.
 */
function clientSupplyContract(plan: Plan, counterparty: DemoFinanceCounterparty, prng: Prng, today: string, number: string): Draft {
  const start = addDays(today, -prng.int(280, 320));
  const disputed = plan.payment === 'OVERDUE';
  const amountMinor = prng.int(40, 240) * 50_000_00;
  const [advance, post1, post2] = split(amountMinor, [50, 25, 25]);
  const [goods1, goods2] = split(amountMinor, [50, 50]);
  const contract = newContract(plan, counterparty, `cp${plan.index}:supply`, {
    kind: 'SUPPLY',
    number,
    subject: `Поставка ${plan.supply!.subject}`,
    amountMinor,
    date: addDays(start, -3),
    startDate: start,
    endDate: addDays(start, disputed ? 400 : 120),
    status: disputed ? 'IN_FORCE' : 'EXECUTED',
    terminatedOn: null,
    paymentTerms: 'Аванс 50 % в течение 5 дней с даты подписания, 25 % в течение 15 дней после первой поставки, остаток — не позднее 110 дней с начала поставок',
    schedule: [
      { kind: 'ADVANCE', amountMinor: advance, dueDate: addDays(start, 5), daysAfterAct: null, description: 'Аванс 50 %' },
      { kind: 'POSTPAYMENT', amountMinor: post1, dueDate: null, daysAfterAct: 15, description: 'Оплата первой поставки' },
      { kind: 'PAYMENT', amountMinor: post2, dueDate: addDays(start, 110), daysAfterAct: null, description: 'Окончательный расчёт' },
    ],
  });
  const intents: PaymentIntent[] = [];
  const advanceInvoice = addInvoice(contract, 'advance', start, addDays(start, 5), advance);
  intents.push(...intentsOf(prng, plan, advanceInvoice));
  [[goods1, post1, 30], [goods2, post2, 75]].forEach(([goods, post, offset], delivery) => {
    const date = addDays(start, offset + prng.int(0, 10));
    const invoice = addInvoice(contract, String(delivery), date, delivery === 0 ? addDays(date, 15) : addDays(start, 110), post);
    addAct(contract, String(delivery), date, date, date, goods, invoice);
    const planned = intentsOf(prng, plan, invoice);
    if (!(disputed && delivery === 1)) intents.push(...planned);
  });
  return { contract, intents };
}

/** A supplier's supply contract of eleven months ago: 30 % advance, four deliveries (on time or late), 17.5 % after each. */
function supplierSupplyContract(plan: Plan, counterparty: DemoFinanceCounterparty, prng: Prng, today: string, number: string): Draft {
  const start = addDays(today, -prng.int(320, 340));
  const amountMinor = prng.int(40, 240) * 50_000_00;
  const [advance, ...posts] = split(amountMinor, [30, 17.5, 17.5, 17.5, 17.5]);
  const goods = split(amountMinor, [25, 25, 25, 25]);
  const dues = [45, 120, 195, 270].map((offset) => addDays(start, offset));
  const late = plan.delivery === 'LATE';
  const contract = newContract(plan, counterparty, `cp${plan.index}:supply`, {
    kind: 'SUPPLY',
    number,
    subject: `Поставка ${plan.supply!.subject}`,
    amountMinor,
    date: addDays(start, -4),
    startDate: start,
    endDate: addDays(start, late ? 400 : 300),
    status: late ? 'IN_FORCE' : 'EXECUTED',
    terminatedOn: null,
    paymentTerms: 'Аванс 30 % в течение 5 дней с даты подписания, остаток — в течение 10 дней после каждой поставки',
    schedule: [
      { kind: 'ADVANCE', amountMinor: advance, dueDate: addDays(start, 5), daysAfterAct: null, description: 'Аванс 30 %' },
      ...dues.map((dueDate, delivery): DemoScheduleItem => ({ kind: 'DELIVERY', amountMinor: goods[delivery], dueDate, daysAfterAct: null, description: `Поставка ${delivery + 1} из 4` })),
      ...posts.map((post, delivery): DemoScheduleItem => ({ kind: 'POSTPAYMENT', amountMinor: post, dueDate: null, daysAfterAct: 10, description: `Оплата поставки ${delivery + 1}` })),
    ],
  });
  const intents: PaymentIntent[] = [];
  const advanceInvoice = addInvoice(contract, 'advance', start, addDays(start, 5), advance);
  intents.push(...intentsOf(prng, plan, advanceInvoice));
  dues.forEach((due, delivery) => {
    const date = late ? addDays(due, prng.int(5, 25)) : addDays(due, -prng.int(0, 6));
    if (date >= today) return;
    const invoice = addInvoice(contract, String(delivery), date, addDays(date, 10), posts[delivery]);
    addAct(contract, String(delivery), date, date, date, goods[delivery], invoice);
    intents.push(...intentsOf(prng, plan, invoice));
  });
  return { contract, intents };
}

/** A fresh one-off supply with a 100 % advance invoice issued yesterday and due in nine days: open, paid by the sample statement. */
function openContract(plan: Plan, counterparty: DemoFinanceCounterparty, today: string, number: string): Draft {
  const open = plan.open!;
  const start = addDays(today, -12);
  const payable = plan.role === 'SUPPLIER';
  const due = addDays(today, 9);
  const contract = newContract(plan, counterparty, `cp${plan.index}:open`, {
    kind: 'SUPPLY',
    number,
    subject: `Поставка ${open.subject}`,
    amountMinor: open.amountMinor,
    date: start,
    startDate: start,
    endDate: addDays(today, 90),
    status: 'IN_FORCE',
    terminatedOn: null,
    paymentTerms: 'Предоплата 100 % в течение 10 дней с даты счёта',
    schedule: [
      { kind: 'ADVANCE', amountMinor: open.amountMinor, dueDate: due, daysAfterAct: null, description: 'Предоплата 100 %' },
      ...(payable ? [{ kind: 'DELIVERY', amountMinor: open.amountMinor, dueDate: addDays(today, 30), daysAfterAct: null, description: 'Поставка после предоплаты' } satisfies DemoScheduleItem] : []),
    ],
  });
  const invoice = addInvoice(contract, 'advance', addDays(today, -1), due, open.amountMinor, true);
  invoice.number = open.number;
  return { contract, intents: [] };
}

/**
 * Numbers in date order: our invoices and acts form one series each ending at {@link OWN_DOCUMENT_ANCHOR} (the open
 * invoices have fixed numbers after it); a supplier's invoices and acts are its own series ending at its anchor.
 */
function numberDocuments(drafts: Draft[]): void {
  const series = new Map<string, { date: string; key: string; assign: (number: string) => void }[]>();
  const add = (name: string, item: { date: string; key: string; assign: (number: string) => void }) => series.set(name, [...(series.get(name) ?? []), item]);
  for (const { contract } of drafts) {
    const plan = PLANS.find((candidate) => DEMO_COUNTERPARTY_IDS[candidate.index] === contract.counterpartyId)!;
    const own = contract.direction === 'RECEIVABLE';
    for (const invoice of contract.invoices) {
      if (invoice.open) continue;
      add(own ? 'own:invoice' : `cp${plan.index}:invoice`, { date: invoice.date, key: invoice.key, assign: (number) => (invoice.number = number) });
    }
    for (const act of contract.acts) add(own ? 'own:act' : `cp${plan.index}:act`, { date: act.date, key: act.key, assign: (number) => (act.number = number) });
  }
  for (const [name, items] of series) {
    const plan = PLANS.find((candidate) => name.startsWith(`cp${candidate.index}:`));
    const anchor = name.startsWith('own:') ? OWN_DOCUMENT_ANCHOR : plan!.anchor;
    items.sort((a, b) => a.date.localeCompare(b.date) || a.key.localeCompare(b.key));
    items.forEach((item, position) => item.assign(String(anchor - (items.length - 1 - position))));
  }
}

const INVOICE_TITLE = 'Счёт на оплату';

function titleDocuments(contract: DemoFinanceContract): void {
  const kind = contract.kind === 'SERVICES' ? 'Договор оказания услуг' : 'Договор поставки';
  const subject = contract.subject.replace(/^Оказание услуг |^Поставка /, '');
  contract.title = `${kind} ${subject} № ${contract.number} от ${russianDate(contract.date)}`;
  for (const invoice of contract.invoices) invoice.title = `${INVOICE_TITLE} № ${invoice.number} от ${russianDate(invoice.date)}`;
  const actKind = contract.kind === 'SERVICES' ? 'Акт сдачи-приёмки оказанных услуг' : 'Акт приёма-передачи товара';
  for (const act of contract.acts) act.title = `${actKind} № ${act.number} от ${russianDate(act.date)}`;
}

/** The history's payments (only those before `today`), numbered per payer in date order. */
function paymentsOf(drafts: Draft[], counterparties: DemoFinanceCounterparty[], today: string): DemoFinancePayment[] {
  const byId = new Map(counterparties.map((counterparty) => [counterparty.id, counterparty]));
  const yesterday = addDays(today, -1);
  const payments: (DemoFinancePayment & { key: string })[] = [];
  for (const { contract, intents } of drafts) {
    const counterparty = byId.get(contract.counterpartyId)!;
    const incoming = contract.direction === 'RECEIVABLE';
    for (const intent of intents) {
      // A late payer never leaves a past-due invoice unpaid by accident: what it would pay after today, it paid yesterday.
      const date = intent.date >= today && intent.invoice.dueDate < today ? yesterday : intent.date;
      if (date >= today) continue; // not yet paid: the invoice is simply not due yet
      payments.push({
        key: intent.key,
        id: demoFinanceId(intent.key),
        direction: incoming ? 'INCOMING' : 'OUTGOING',
        number: '',
        date,
        amountMinor: intent.amountMinor,
        currency: 'RUB',
        purpose: demoPaymentPurpose(intent.invoice, intent.amountMinor, intent.partial),
        payer: incoming ? counterparty.party : DEMO_OWN_COMPANY,
        payee: incoming ? DEMO_OWN_COMPANY : counterparty.party,
        counterpartyId: contract.counterpartyId,
        contractId: contract.id,
        invoiceId: intent.invoice.id,
        debitedAt: incoming ? null : date,
        creditedAt: incoming ? date : null,
      });
    }
  }
  payments.sort((a, b) => a.date.localeCompare(b.date) || a.key.localeCompare(b.key));
  // Payment order numbers: each client's own series; ours (outgoing) one series.
  const groups = new Map<string, typeof payments>();
  for (const payment of payments) {
    const group = payment.direction === 'OUTGOING' ? 'own' : payment.counterpartyId;
    groups.set(group, [...(groups.get(group) ?? []), payment]);
  }
  for (const [group, items] of groups) {
    const anchor = group === 'own' ? OWN_PAYMENT_ANCHOR : PLANS.find((plan) => DEMO_COUNTERPARTY_IDS[plan.index] === group)!.anchor;
    items.forEach((payment, position) => (payment.number = String(anchor - (items.length - 1 - position))));
  }
  return payments.map(({ key: _key, ...payment }) => payment);
}
