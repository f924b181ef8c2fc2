import { createHash } from 'node:crypto';
import { minorUnits } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { matchPayment, type CounterpartyCandidate, type MatchDirectory, type MatchInput, type OpenInvoice, type PaymentMatch, type SignedContract } from './payment.matcher';

export type Direction = 'INCOMING' | 'OUTGOING';

/** What identifies one movement of money: the same line in two statements (re-import, overlap) has the same one. */
export type FingerprintParts = { date: string; number: string; amountMinor: number; payerAccount: string | null; payeeAccount: string | null; direction: Direction };

/** sha256 (hex) of date|number|amount|payer account|payee account|direction. */
export function paymentFingerprint(parts: FingerprintParts): string {
  return createHash('sha256')
    .update([parts.date, parts.number.trim(), String(parts.amountMinor), parts.payerAccount ?? '', parts.payeeAccount ?? '', parts.direction].join('|'))
    .digest('hex');
}

type CandidateRow = { id: string; inn: string; kpp: string | null; accounts: string[] | null };
type ContractRow = { id: string; counterparty_id: string; number: string; date: string | null; direction: 'RECEIVABLE' | 'PAYABLE' };
type InvoiceRow = { id: string; counterparty_id: string; contract_id: string | null; number: string | null; date: string | null; amount_minor: string | null; paid: string; direction: 'RECEIVABLE' | 'PAYABLE' };

/**
 * The matcher's view of the database for a batch of payments, read in three statements whatever the batch's size:
 * the counterparties (read model) holding the batch's INNs with the accounts seen paying for them, their open
 * invoices (verified, signed INVOICE documents minus the MATCHED payments allocated to them), and their signed
 * contracts with a number (for a contract named in a purpose). An invoice of a PAYABLE contract is paid by
 * OUTGOING payments, every other invoice (RECEIVABLE or outside contracts) by INCOMING ones — the same rule the
 * execution figures use; a contract's direction is its terms' (RECEIVABLE when none were entered).
 *
 * Matching a batch in order goes through `match`, which also allocates the payment to its invoice here, so the
 * next payment of the same batch sees what is really left to pay.
 */
export class PaymentMatchDirectory {
  private constructor(
    private readonly candidates: Map<string, CounterpartyCandidate[]>,
    private readonly invoices: Map<string, (OpenInvoice & { direction: Direction })[]>,
    private readonly contracts: Map<string, SignedContract[]> = new Map(),
  ) {}

  static async load(em: EntityManager, inns: readonly (string | null)[]): Promise<PaymentMatchDirectory> {
    const wanted = [...new Set(inns.filter((inn): inn is string => !!inn))];
    const candidates = new Map<string, CounterpartyCandidate[]>();
    const invoices = new Map<string, (OpenInvoice & { direction: Direction })[]>();
    if (wanted.length === 0) return new PaymentMatchDirectory(candidates, invoices);
    const rows = await em.execute<CandidateRow[]>(
      `select c.id, c.inn, c.kpp, array_remove(array_agg(k.account order by k.account), null) as accounts
       from counterparty_refs c left join known_accounts k on k.counterparty_id = c.id
       where c.inn = any(array[?]::text[]) group by c.id order by c.id`,
      [wanted],
    );
    for (const row of rows) {
      const list = candidates.get(row.inn) ?? [];
      list.push({ id: row.id, inn: row.inn, kpp: row.kpp, accounts: row.accounts ?? [] });
      candidates.set(row.inn, list);
    }
    const ids = rows.map((row) => row.id);
    if (ids.length) {
      const open = await em.execute<InvoiceRow[]>(
        `select d.id, d.counterparty_id, d.contract_id, d.number, to_char(d.date, 'YYYY-MM-DD') as date, d.amount_minor,
           coalesce(t.direction, 'RECEIVABLE') as direction,
           coalesce((select sum(p.amount_minor) from payments p where p.invoice_id = d.id and p.match_status = 'MATCHED'), 0) as paid
         from finance_documents d left join contract_terms t on t.contract_id = d.contract_id
         where d.type = 'INVOICE' and d.verified and d.counterparty_id = any(array[?]::uuid[])
         order by d.date, d.id`,
        [ids],
      );
      for (const row of open) {
        const amountMinor = row.amount_minor === null ? 0 : minorUnits(row.amount_minor);
        const outstandingMinor = Math.max(amountMinor - minorUnits(row.paid), 0);
        if (row.amount_minor !== null && outstandingMinor === 0) continue;
        const list = invoices.get(row.counterparty_id) ?? [];
        list.push({
          documentId: row.id,
          counterpartyId: row.counterparty_id,
          contractId: row.contract_id,
          number: row.number ?? '',
          date: row.date,
          amountMinor,
          outstandingMinor,
          direction: row.direction === 'PAYABLE' ? 'OUTGOING' : 'INCOMING',
        });
        invoices.set(row.counterparty_id, list);
      }
    }
    const contracts = new Map<string, SignedContract[]>();
    if (ids.length) {
      const signed = await em.execute<ContractRow[]>(
        `select d.id, d.counterparty_id, d.number, to_char(d.date, 'YYYY-MM-DD') as date, coalesce(t.direction, 'RECEIVABLE') as direction
         from finance_documents d left join contract_terms t on t.contract_id = d.id
         where d.type = 'CONTRACT' and d.verified and d.number is not null and d.number <> '' and d.counterparty_id = any(array[?]::uuid[])
         order by d.date, d.id`,
        [ids],
      );
      for (const row of signed) {
        const list = contracts.get(row.counterparty_id) ?? [];
        list.push({ contractId: row.id, counterpartyId: row.counterparty_id, number: row.number, date: row.date, direction: row.direction === 'PAYABLE' ? 'PAYABLE' : 'RECEIVABLE' });
        contracts.set(row.counterparty_id, list);
      }
    }
    return new PaymentMatchDirectory(candidates, invoices, contracts);
  }

  /** The matcher's directory for payments of one direction. */
  forDirection(direction: Direction): MatchDirectory {
    return {
      counterpartiesByInn: (inn) => this.candidates.get(inn) ?? [],
      openInvoicesOf: (counterpartyId) => (this.invoices.get(counterpartyId) ?? []).filter((invoice) => invoice.direction === direction && (invoice.outstandingMinor > 0 || invoice.amountMinor === 0)),
      signedContractsOf: (counterpartyId) => this.contracts.get(counterpartyId) ?? [],
    };
  }

  /** Matches one payment and allocates it to the invoice it pays (if any) for the rest of the batch. */
  match(input: MatchInput): PaymentMatch {
    const result = matchPayment(input, this.forDirection(input.direction));
    if (result.invoiceId && result.counterpartyId) {
      const invoice = this.invoices.get(result.counterpartyId)?.find((open) => open.documentId === result.invoiceId);
      if (invoice) invoice.outstandingMinor = Math.max(invoice.outstandingMinor - input.amountMinor, 0);
    }
    if (result.status === 'MATCHED' && result.counterpartyId && input.account) this.learnAccount(input.inn, result.counterpartyId, input.account);
    return result;
  }

  private learnAccount(inn: string | null, counterpartyId: string, account: string): void {
    const candidate = inn ? this.candidates.get(inn)?.find((one) => one.id === counterpartyId) : undefined;
    if (candidate && !candidate.accounts.includes(account)) candidate.accounts = [...candidate.accounts, account];
  }
}

/** The side of a payment that is the counterparty: the payer of an INCOMING payment, the payee of an OUTGOING one. */
export function counterpartySide<T>(direction: Direction, payer: T, payee: T): T {
  return direction === 'INCOMING' ? payer : payee;
}

/** Remembers (counterparty, account) pairs of matched payments; 20-digit accounts only, duplicates ignored. */
export async function rememberKnownAccounts(em: EntityManager, pairs: readonly { counterpartyId: string; account: string | null }[]): Promise<void> {
  const unique = new Map<string, { counterpartyId: string; account: string }>();
  for (const pair of pairs) {
    if (pair.account && /^\d{20}$/.test(pair.account)) unique.set(`${pair.counterpartyId}|${pair.account}`, { counterpartyId: pair.counterpartyId, account: pair.account });
  }
  if (unique.size === 0) return;
  const list = [...unique.values()];
  await em.execute(
    `insert into known_accounts (counterparty_id, account) select * from unnest(array[?]::uuid[], array[?]::text[]) on conflict do nothing`,
    [list.map((pair) => pair.counterpartyId), list.map((pair) => pair.account)],
  );
}
