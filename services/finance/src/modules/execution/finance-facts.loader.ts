import { minorUnits } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ContractFacts, Direction, DocumentFact, PaymentFact, ScheduleItemFact, ScheduleItemKind } from './execution.types';

/**
 * Reads the verified facts finance computes from — signed contracts with their terms and schedule, signed
 * invoices and acts, matched payments — and groups them into accounts (ContractFacts). A fixed number of SQL
 * statements whatever the number of counterparties, contracts or documents (never one query per item).
 *
 * Grouping rules:
 * - an invoice, act or payment belongs to the verified CONTRACT it is linked to (a payment directly, or through
 *   its invoice — the invoice's current link wins over the one the payment was matched with); anything else
 *   (no contract, or a contract that is not a verified fact) goes to the counterparty's account outside contracts;
 * - only payments MATCHED to the same counterparty count, and only in the account's direction (RECEIVABLE:
 *   INCOMING, PAYABLE: OUTGOING); money the other way (a refund) settles nothing;
 * - the account outside contracts is RECEIVABLE (invoices and acts are ours); OUTGOING payments outside contracts
 *   form a second, PAYABLE account outside contracts (only when there are some).
 */

type DocumentRow = {
  id: string;
  type: string;
  counterparty_id: string;
  contract_id: string | null;
  invoice_id: string | null;
  number: string | null;
  title: string | null;
  date: string;
  amount_minor: string | null;
  currency: string;
  due_date: string | null;
  start_date: string | null;
  end_date: string | null;
  status: string;
  signed_at: string;
};
type TermsRow = { contract_id: string; direction: Direction };
type ScheduleRow = { id: string; contract_id: string; position: number; kind: ScheduleItemKind; amount_minor: string; due_date: string | null; days_after_act: number | null; description: string | null };
type PaymentRow = { id: string; counterparty_id: string; contract_id: string | null; invoice_id: string | null; direction: 'INCOMING' | 'OUTGOING'; number: string; date: string; amount_minor: string };

type FactRows = { documents: DocumentRow[]; terms: TermsRow[]; schedule: ScheduleRow[]; payments: PaymentRow[] };

const DOCUMENT_COLUMNS = `d.id, d.type, d.counterparty_id, d.contract_id, d.invoice_id, d.number, d.title, d.date::text as date, d.amount_minor, d.currency,
  d.due_date::text as due_date, d.start_date::text as start_date, d.end_date::text as end_date, d.status,
  to_char(d.signed_at at time zone 'UTC', 'YYYY-MM-DD') as signed_at`;
const SCHEDULE_COLUMNS = `s.id, s.contract_id, s.position, s.kind, s.amount_minor, s.due_date::text as due_date, s.days_after_act, s.description`;
const PAYMENT_COLUMNS = `p.id, p.counterparty_id, p.contract_id, p.invoice_id, p.direction, p.number, p.date::text as date, p.amount_minor`;

/** Four statements: the counterparties' verified documents, their contracts' terms and schedules, their matched payments. */
async function rowsOfCounterparties(em: EntityManager, counterpartyIds: readonly string[]): Promise<FactRows> {
  const ids = [...counterpartyIds];
  const contractsOf = `select c.id from finance_documents c where c.counterparty_id = any(array[?]::uuid[]) and c.type = 'CONTRACT' and c.verified`;
  // one after the other: inside a transaction they share its connection
  const documents = await em.execute<DocumentRow[]>(`select ${DOCUMENT_COLUMNS} from finance_documents d where d.counterparty_id = any(array[?]::uuid[]) and d.verified and d.type in ('CONTRACT', 'INVOICE', 'ACT')`, [ids]);
  const terms = await em.execute<TermsRow[]>(`select t.contract_id, t.direction from contract_terms t where t.contract_id in (${contractsOf})`, [ids]);
  const schedule = await em.execute<ScheduleRow[]>(`select ${SCHEDULE_COLUMNS} from schedule_items s where s.contract_id in (${contractsOf})`, [ids]);
  const payments = await em.execute<PaymentRow[]>(`select ${PAYMENT_COLUMNS} from payments p where p.counterparty_id = any(array[?]::uuid[]) and p.match_status = 'MATCHED'`, [ids]);
  return { documents, terms, schedule, payments };
}

/** Four statements: the contracts and the verified documents linked to them, their terms and schedules, the payments linked to them. */
async function rowsOfContracts(em: EntityManager, contractIds: readonly string[]): Promise<FactRows> {
  const ids = [...contractIds];
  const documents = await em.execute<DocumentRow[]>(
    `select ${DOCUMENT_COLUMNS} from finance_documents d
     where d.verified and ((d.id = any(array[?]::uuid[]) and d.type = 'CONTRACT') or (d.contract_id = any(array[?]::uuid[]) and d.type in ('INVOICE', 'ACT')))`,
    [ids, ids],
  );
  const terms = await em.execute<TermsRow[]>(`select t.contract_id, t.direction from contract_terms t where t.contract_id = any(array[?]::uuid[])`, [ids]);
  const schedule = await em.execute<ScheduleRow[]>(`select ${SCHEDULE_COLUMNS} from schedule_items s where s.contract_id = any(array[?]::uuid[])`, [ids]);
  const payments = await em.execute<PaymentRow[]>(
    `select ${PAYMENT_COLUMNS} from payments p
     where p.match_status = 'MATCHED'
       and (p.contract_id = any(array[?]::uuid[]) or p.invoice_id in (select i.id from finance_documents i where i.contract_id = any(array[?]::uuid[]) and i.type = 'INVOICE'))`,
    [ids, ids],
  );
  return { documents, terms, schedule, payments };
}

const byDateThenId = <T extends { date: string; id: string }>(a: T, b: T): number => (a.date === b.date ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.date < b.date ? -1 : 1);

function documentFact(row: DocumentRow): DocumentFact {
  return {
    id: row.id,
    type: row.type === 'ACT' ? 'ACT' : 'INVOICE',
    number: row.number,
    date: row.date,
    amountMinor: row.amount_minor === null ? 0 : minorUnits(row.amount_minor),
    dueDate: row.type === 'INVOICE' ? row.due_date : null,
    invoiceId: row.type === 'ACT' ? row.invoice_id : null,
  };
}

function emptyAccount(counterpartyId: string, direction: Direction, currency: string): ContractFacts {
  return {
    contractId: null,
    counterpartyId,
    direction,
    currency,
    number: null,
    contractedMinor: 0,
    signedAt: null,
    startDate: null,
    endDate: null,
    status: 'NONE',
    terminated: false,
    termsSet: false,
    schedule: [],
    invoices: [],
    acts: [],
    payments: [],
  };
}

/** Groups fact rows into accounts per counterparty (contracts by sign-off date, then the accounts outside contracts). */
function assemble(rows: FactRows): Map<string, ContractFacts[]> {
  const directions = new Map(rows.terms.map((row) => [row.contract_id, row.direction]));
  const contracts = new Map<string, ContractFacts>();
  const outside = new Map<string, { receivable: ContractFacts; payable: ContractFacts }>();
  const outsideOf = (counterpartyId: string) => {
    let pair = outside.get(counterpartyId);
    if (!pair) {
      pair = { receivable: emptyAccount(counterpartyId, 'RECEIVABLE', 'RUB'), payable: emptyAccount(counterpartyId, 'PAYABLE', 'RUB') };
      outside.set(counterpartyId, pair);
    }
    return pair;
  };

  for (const row of rows.documents) {
    if (row.type !== 'CONTRACT') continue;
    contracts.set(row.id, {
      contractId: row.id,
      counterpartyId: row.counterparty_id,
      direction: directions.get(row.id) ?? 'RECEIVABLE',
      currency: row.currency,
      number: row.number,
      title: row.title,
      date: row.date,
      contractedMinor: row.amount_minor === null ? 0 : minorUnits(row.amount_minor),
      signedAt: row.signed_at,
      startDate: row.start_date,
      endDate: row.end_date,
      status: row.status,
      terminated: row.status === 'TERMINATED',
      termsSet: directions.has(row.id),
      schedule: [],
      invoices: [],
      acts: [],
      payments: [],
    });
  }
  for (const row of rows.schedule) {
    const item: ScheduleItemFact = {
      id: row.id,
      kind: row.kind,
      amountMinor: minorUnits(row.amount_minor),
      dueDate: row.due_date,
      daysAfterAct: row.days_after_act,
      description: row.description,
      position: row.position,
    };
    contracts.get(row.contract_id)?.schedule.push(item);
  }

  /** The contract account a document or payment of `counterpartyId` linked to `contractId` counts in (null: outside contracts). */
  const contractAccount = (counterpartyId: string, contractId: string | null): ContractFacts | null => {
    const account = contractId ? contracts.get(contractId) : undefined;
    return account && account.counterpartyId === counterpartyId ? account : null;
  };

  const invoiceContract = new Map<string, string | null>();
  for (const row of rows.documents) {
    if (row.type === 'CONTRACT') continue;
    const fact = documentFact(row);
    if (row.type === 'INVOICE') invoiceContract.set(row.id, row.contract_id);
    const account = contractAccount(row.counterparty_id, row.contract_id) ?? outsideOf(row.counterparty_id).receivable;
    (fact.type === 'ACT' ? account.acts : account.invoices).push(fact);
  }

  for (const row of rows.payments) {
    // the invoice's current link to a contract wins over the contract the payment was matched with
    const contractId = row.invoice_id && invoiceContract.has(row.invoice_id) ? (invoiceContract.get(row.invoice_id) ?? null) : row.contract_id;
    const fact: PaymentFact = { id: row.id, number: row.number, date: row.date, amountMinor: minorUnits(row.amount_minor), invoiceId: row.invoice_id };
    const account = contractAccount(row.counterparty_id, contractId);
    if (account) {
      if ((account.direction === 'RECEIVABLE') === (row.direction === 'INCOMING')) account.payments.push(fact);
      continue;
    }
    const pair = outsideOf(row.counterparty_id);
    (row.direction === 'INCOMING' ? pair.receivable : pair.payable).payments.push(fact);
  }

  const result = new Map<string, ContractFacts[]>();
  const push = (account: ContractFacts) => {
    account.schedule.sort((a, b) => a.position - b.position);
    account.invoices.sort(byDateThenId);
    account.acts.sort(byDateThenId);
    account.payments.sort(byDateThenId);
    const list = result.get(account.counterpartyId);
    if (list) list.push(account);
    else result.set(account.counterpartyId, [account]);
  };
  const ordered = [...contracts.values()].sort((a, b) => (a.signedAt === b.signedAt ? ((a.contractId ?? '') < (b.contractId ?? '') ? -1 : 1) : (a.signedAt ?? '') < (b.signedAt ?? '') ? -1 : 1));
  for (const account of ordered) push(account);
  for (const { receivable, payable } of outside.values()) {
    if (receivable.invoices.length || receivable.acts.length || receivable.payments.length) push(receivable);
    if (payable.payments.length) push(payable);
  }
  return result;
}

/**
 * The accounts of each counterparty: its verified contracts (oldest sign-off first), then the account outside
 * contracts (only when it has invoices, acts or payments). Counterparties with no facts map to an empty list.
 */
export async function loadAccounts(em: EntityManager, counterpartyIds: readonly string[]): Promise<Map<string, ContractFacts[]>> {
  const unique = [...new Set(counterpartyIds)];
  const result = unique.length ? assemble(await rowsOfCounterparties(em, unique)) : new Map<string, ContractFacts[]>();
  for (const id of unique) if (!result.has(id)) result.set(id, []);
  return result;
}

/** The account of each verified contract by id (contracts finance does not know, or not verified, are absent). */
export async function loadContractAccounts(em: EntityManager, contractIds: readonly string[]): Promise<Map<string, ContractFacts>> {
  const unique = [...new Set(contractIds)];
  if (!unique.length) return new Map();
  const accounts = [...assemble(await rowsOfContracts(em, unique)).values()].flat();
  return new Map(accounts.filter((account) => account.contractId !== null).map((account) => [account.contractId as string, account]));
}
