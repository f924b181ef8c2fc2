import { decodeCursor, encodeCursor, ForbiddenError, money, type Money, type SubgraphContext, todayUtc, UserInputError } from '@kartoteka/kit';
import { counterpartyStub } from '../counterparty/counterparty.stub';
import { BASE_CURRENCY } from '../counterparty/counterparty-finance.service';
import { documentStub } from '../document/document.stub';
import { computeExecution } from './execution.calculator';
import type { ContractFacts } from './execution.types';
import { loadAccounts } from './finance-facts.loader';
import { OverdueReceivable, type OverdueReceivableConnection } from './overdue-receivable.type';

type Context = Pick<SubgraphContext, 'em' | 'identity'>;

/** One overdue receivable as plain data (no names yet). */
export type OverdueItem = {
  key: string;
  counterpartyId: string;
  documentId: string;
  documentType: 'INVOICE' | 'CONTRACT';
  documentNumber: string | null;
  contractId: string | null;
  contractNumber: string | null;
  dueDate: string;
  daysOverdue: number;
  outstandingMinor: number;
  currency: string;
};

/**
 * The receivable payment obligations of an account that are past due and not fully paid (pure). An invoice
 * obligation opens the invoice; a schedule line opens its contract.
 */
export function overdueReceivablesOf(facts: ContractFacts, today: string): OverdueItem[] {
  if (facts.direction !== 'RECEIVABLE') return [];
  const invoices = new Map(facts.invoices.map((invoice) => [invoice.id, invoice]));
  return computeExecution(facts, today)
    .paymentObligations.filter((o) => o.state === 'OVERDUE' && o.resolvedDueDate !== null && o.daysLate > 0 && o.amountMinor > o.settledMinor)
    .flatMap((o): OverdueItem[] => {
      const documentId = o.documentId ?? facts.contractId;
      if (!documentId) return [];
      return [
        {
          key: o.key,
          counterpartyId: facts.counterpartyId,
          documentId,
          documentType: o.documentId ? 'INVOICE' : 'CONTRACT',
          documentNumber: o.documentId ? (invoices.get(o.documentId)?.number ?? null) : facts.number,
          contractId: facts.contractId,
          contractNumber: facts.contractId ? facts.number : null,
          dueDate: o.resolvedDueDate as string,
          daysOverdue: o.daysLate,
          outstandingMinor: o.amountMinor - o.settledMinor,
          currency: facts.currency,
        },
      ];
    });
}

/** The longest overdue first; then the larger debt; then by key (a stable order for the pages). */
export function byUrgency(a: OverdueItem, b: OverdueItem): number {
  if (a.daysOverdue !== b.daysOverdue) return b.daysOverdue - a.daysOverdue;
  if (a.outstandingMinor !== b.outstandingMinor) return b.outstandingMinor - a.outstandingMinor;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Outstanding per currency, the base currency first. */
export function totalsOf(items: readonly OverdueItem[]): Money[] {
  const sums = new Map<string, number>();
  for (const item of items) sums.set(item.currency, (sums.get(item.currency) ?? 0) + item.outstandingMinor);
  return [...sums.entries()]
    .sort(([a], [b]) => (a === BASE_CURRENCY ? -1 : b === BASE_CURRENCY ? 1 : a < b ? -1 : 1))
    .map(([currency, minor]) => money(minor, currency) as Money);
}

/**
 * "Overdue invoices of my counterparties" (My day): the overdue receivables of the counterparties whose responsible
 * manager is the caller, from finance's own read models. A fixed number of statements whatever the number of
 * counterparties: their ids, their accounts (four), their names.
 */
export class OverdueReceivableService {
  constructor(private readonly context: Context, private readonly today: () => string = todayUtc) {}

  async mine(first: number, after: string | null | undefined): Promise<OverdueReceivableConnection> {
    const identity = this.context.identity;
    if (identity.kind !== 'user') throw new ForbiddenError('Only a staff member has counterparties of their own');
    const offset = after ? decodeCursor(after, ['int32'] as const)[0] : 0;
    if (offset < 0) throw new UserInputError('after', 'The cursor is not valid for this list; start again from the first page');
    const em = this.context.em;
    // counterparties I manage that have verified contracts or invoices (the others owe nothing)
    const ids = (
      await em.execute<{ counterparty_id: string }[]>(
        `select m.counterparty_id from counterparty_managers m
         where m.responsible_manager_id = ?
           and exists (select 1 from finance_documents d where d.counterparty_id = m.counterparty_id and d.verified and d.type in ('CONTRACT', 'INVOICE'))`,
        [identity.id.toLowerCase()],
      )
    ).map((row) => row.counterparty_id);
    const today = this.today();
    const accounts = ids.length ? await loadAccounts(em, ids) : new Map<string, ContractFacts[]>();
    const items = [...accounts.values()].flat().flatMap((facts) => overdueReceivablesOf(facts, today)).sort(byUrgency);
    const page = items.slice(offset, offset + first);
    const counterpartyIds = [...new Set(page.map((item) => item.counterpartyId))];
    const names = counterpartyIds.length
      ? await em.execute<{ id: string; name: string }[]>(`select id, coalesce(nullif(short_name, ''), name) as name from counterparty_refs where id = any(array[?]::uuid[])`, [counterpartyIds])
      : [];
    const nameById = new Map(names.map((row) => [row.id, row.name]));
    const edges = page.map((item, index) => ({
      cursor: encodeCursor([offset + index + 1]),
      node: Object.assign(new OverdueReceivable(), {
        key: item.key,
        counterparty: counterpartyStub(item.counterpartyId),
        counterpartyName: nameById.get(item.counterpartyId) ?? item.counterpartyId,
        document: documentStub(item.documentId),
        documentId: item.documentId,
        documentType: item.documentType,
        documentNumber: item.documentNumber,
        contractId: item.contractId,
        contractNumber: item.contractNumber,
        dueDate: item.dueDate,
        daysOverdue: item.daysOverdue,
        outstanding: money(item.outstandingMinor, item.currency) as Money,
      }),
    }));
    return {
      edges,
      pageInfo: { hasNextPage: offset + first < items.length, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
      totalCount: items.length,
      totals: totalsOf(items),
    };
  }
}
