import { isUuid, Money, money, type SubgraphContext, todayUtc } from '@kartoteka/kit';
import { computeExecution } from '../execution/execution.calculator';
import type { ContractFacts, ExecutionResult } from '../execution/execution.types';
import { contractExecutionView } from '../execution/contract-execution.type';
import { loadAccounts } from '../execution/finance-facts.loader';
import { CounterpartyFinance, FinanceMonth } from './counterparty-finance.type';

type Context = Pick<SubgraphContext, 'em' | 'loaders'>;

/** The figures are in this currency; accounts in another one are left out of the sums (their contracts are still listed). */
export const BASE_CURRENCY = 'RUB';

/** The 12 months ending with `today`'s, oldest first, as YYYY-MM. */
export function lastTwelveMonths(today: string): string[] {
  const [year, month] = today.split('-').map(Number);
  return Array.from({ length: 12 }, (_, index) => {
    const date = new Date(Date.UTC(year, month - 1 - (11 - index), 1));
    return date.toISOString().slice(0, 7);
  });
}

/** A counterparty's finance from its accounts and their execution (pure: the figures the card shows). */
export function summarize(accounts: readonly { facts: ContractFacts; execution: ExecutionResult }[], today: string): CounterpartyFinance {
  const inBase = accounts.filter(({ facts }) => facts.currency === BASE_CURRENCY);
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const amount = (minor: number) => money(minor, BASE_CURRENCY) as Money;
  const months = lastTwelveMonths(today);
  const invoicedByMonth = new Map<string, number>();
  const paidByMonth = new Map<string, number>();
  let lastPayment: { id: string; date: string } | null = null;
  for (const { facts } of inBase) {
    for (const invoice of facts.invoices) invoicedByMonth.set(invoice.date.slice(0, 7), (invoicedByMonth.get(invoice.date.slice(0, 7)) ?? 0) + invoice.amountMinor);
    for (const payment of facts.payments) {
      paidByMonth.set(payment.date.slice(0, 7), (paidByMonth.get(payment.date.slice(0, 7)) ?? 0) + payment.amountMinor);
      if (!lastPayment || payment.date > lastPayment.date || (payment.date === lastPayment.date && payment.id > lastPayment.id)) lastPayment = { id: payment.id, date: payment.date };
    }
  }
  const contracts = accounts
    .filter(({ facts }) => facts.contractId !== null)
    .sort((a, b) => ((a.facts.signedAt ?? '') === (b.facts.signedAt ?? '') ? ((a.facts.contractId ?? '') < (b.facts.contractId ?? '') ? 1 : -1) : (a.facts.signedAt ?? '') < (b.facts.signedAt ?? '') ? 1 : -1))
    .map(({ facts, execution }) => contractExecutionView(facts, execution));
  return Object.assign(new CounterpartyFinance(), {
    currency: BASE_CURRENCY,
    receivable: amount(sum(inBase.filter(({ facts }) => facts.direction === 'RECEIVABLE').map(({ execution }) => execution.outstandingMinor))),
    payable: amount(sum(inBase.filter(({ facts }) => facts.direction === 'PAYABLE').map(({ execution }) => execution.outstandingMinor))),
    overdue: amount(sum(inBase.map(({ execution }) => execution.overdueMinor))),
    overdueDays: Math.max(0, ...inBase.map(({ execution }) => execution.overdueDays)),
    contracts,
    months: months.map((month) => Object.assign(new FinanceMonth(), { month, invoiced: amount(invoicedByMonth.get(month) ?? 0), paid: amount(paidByMonth.get(month) ?? 0) })),
    lastPaymentId: (lastPayment as { id: string } | null)?.id ?? null,
  });
}

/** The finance of counterparties, batched per request: a list of counterparties costs the same statements as one. */
export class CounterpartyFinanceService {
  constructor(private readonly context: Context, private readonly today: () => string = todayUtc) {}

  async of(counterpartyId: string): Promise<CounterpartyFinance> {
    const loader = this.context.loaders.get<CounterpartyFinance>('finance:of-counterparty', async (keys) => {
      const ids = keys.map((key) => key.toLowerCase());
      const accounts = await loadAccounts(this.context.em, ids.filter(isUuid));
      const today = this.today();
      return ids.map((id) => summarize((accounts.get(id) ?? []).map((facts) => ({ facts, execution: computeExecution(facts, today) })), today));
    });
    return (await loader.load(counterpartyId)) ?? summarize([], this.today());
  }
}
