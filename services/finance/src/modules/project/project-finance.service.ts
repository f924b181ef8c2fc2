import { isUuid, minorUnits, type SubgraphContext, todayUtc } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BASE_CURRENCY } from '../counterparty/counterparty-finance.service';
import { computeExecution } from '../execution/execution.calculator';
import type { ContractFacts, DocumentFact, PaymentFact } from '../execution/execution.types';
import { loadContractAccounts } from '../execution/finance-facts.loader';
import { ProjectFinance } from './project-finance.type';

type Context = Pick<SubgraphContext, 'em' | 'loaders'>;

type LinkedRow = { id: string; type: string; counterparty_id: string; contract_id: string | null; invoice_id: string | null; number: string | null; date: string; amount_minor: string | null; currency: string; due_date: string | null };
type PaymentRow = { id: string; invoice_id: string; number: string; date: string; amount_minor: string };

/** What finance knows of one project's linked documents: their contract accounts and the invoices/acts outside them. */
export type ProjectFacts = { contracts: ContractFacts[]; outside: ContractFacts | null };

/** The figures of a project from its facts (pure): every linked contract counts whole, whatever its direction. */
export function summarizeProject(facts: ProjectFacts, today: string): ProjectFinance {
  const accounts = [...facts.contracts, ...(facts.outside ? [facts.outside] : [])].filter((account) => account.currency === BASE_CURRENCY);
  const results = accounts.map((account) => computeExecution(account, today));
  const sum = (pick: (result: (typeof results)[number]) => number) => results.reduce((total, result) => total + pick(result), 0);
  return Object.assign(new ProjectFinance(), {
    currency: BASE_CURRENCY,
    contractedMinor: accounts.reduce((total, account) => total + (account.contractId ? account.contractedMinor : 0), 0),
    invoicedMinor: sum((result) => result.invoicedMinor),
    actsMinor: sum((result) => result.deliveredMinor),
    paidMinor: sum((result) => result.paidMinor),
    overdueMinor: sum((result) => result.overdueMinor),
    contractCount: accounts.filter((account) => account.contractId).length,
  });
}

/**
 * The facts of many projects in a fixed number of statements: the read model (1), the linked documents finance
 * knows (1), the linked contracts' accounts (4, kit's contract loader) and the payments of linked invoices outside
 * those contracts (1, only when there are some). An invoice or act linked to the project whose contract is linked
 * too counts once, in the contract's account; the rest form one account outside contracts per project.
 */
export async function loadProjectFacts(em: EntityManager, projectIds: readonly string[]): Promise<Map<string, ProjectFacts>> {
  const result = new Map<string, ProjectFacts>();
  const ids = [...new Set(projectIds.filter(isUuid).map((id) => id.toLowerCase()))];
  if (!ids.length) return result;
  const links = await em.execute<{ project_id: string; document_ids: string[] }[]>(`select project_id, document_ids from project_documents where project_id = any(array[?]::uuid[])`, [ids]);
  const allDocumentIds = [...new Set(links.flatMap((link) => link.document_ids))];
  if (!allDocumentIds.length) return result;
  const rows = await em.execute<LinkedRow[]>(
    `select d.id, d.type, d.counterparty_id, d.contract_id, d.invoice_id, d.number, d.date::text as date, d.amount_minor, d.currency, d.due_date::text as due_date
     from finance_documents d where d.id = any(array[?]::uuid[]) and d.verified and d.type in ('CONTRACT', 'INVOICE', 'ACT')`,
    [allDocumentIds],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const contracts = await loadContractAccounts(em, rows.filter((row) => row.type === 'CONTRACT').map((row) => row.id));

  const outsideOf = new Map<string, LinkedRow[]>();
  for (const link of links) {
    const linked = link.document_ids.map((id) => byId.get(id)).filter((row): row is LinkedRow => row !== undefined);
    const linkedContracts = new Set(linked.filter((row) => row.type === 'CONTRACT').map((row) => row.id));
    outsideOf.set(link.project_id, linked.filter((row) => row.type !== 'CONTRACT' && !(row.contract_id && linkedContracts.has(row.contract_id) && contracts.has(row.contract_id))));
  }
  const outsideInvoiceIds = [...new Set([...outsideOf.values()].flat().filter((row) => row.type === 'INVOICE').map((row) => row.id))];
  const payments = outsideInvoiceIds.length
    ? await em.execute<PaymentRow[]>(
        `select p.id, p.invoice_id, p.number, p.date::text as date, p.amount_minor from payments p
         where p.match_status = 'MATCHED' and p.direction = 'INCOMING' and p.invoice_id = any(array[?]::uuid[])`,
        [outsideInvoiceIds],
      )
    : [];

  for (const link of links) {
    const projectContracts = link.document_ids.map((id) => contracts.get(id)).filter((account): account is ContractFacts => account !== undefined);
    const outsideRows = outsideOf.get(link.project_id) ?? [];
    result.set(link.project_id, { contracts: projectContracts, outside: outsideRows.length ? outsideAccount(outsideRows, payments) : null });
  }
  return result;
}

const byDateThenId = <T extends { date: string; id: string }>(a: T, b: T): number => (a.date === b.date ? (a.id < b.id ? -1 : 1) : a.date < b.date ? -1 : 1);

/** Linked invoices and acts outside the project's contracts, as one RECEIVABLE account (their invoices' payments settle them). */
function outsideAccount(rows: readonly LinkedRow[], payments: readonly PaymentRow[]): ContractFacts {
  const fact = (row: LinkedRow): DocumentFact => ({
    id: row.id,
    type: row.type === 'ACT' ? 'ACT' : 'INVOICE',
    number: row.number,
    date: row.date,
    amountMinor: row.amount_minor === null ? 0 : minorUnits(row.amount_minor),
    dueDate: row.type === 'INVOICE' ? row.due_date : null,
    invoiceId: row.type === 'ACT' ? row.invoice_id : null,
  });
  const invoiceIds = new Set(rows.filter((row) => row.type === 'INVOICE').map((row) => row.id));
  const paid: PaymentFact[] = payments
    .filter((payment) => invoiceIds.has(payment.invoice_id))
    .map((payment) => ({ id: payment.id, number: payment.number, date: payment.date, amountMinor: minorUnits(payment.amount_minor), invoiceId: payment.invoice_id }));
  const currencies = new Set(rows.map((row) => row.currency));
  return {
    contractId: null,
    counterpartyId: rows[0].counterparty_id,
    direction: 'RECEIVABLE',
    // a mix of currencies is not summed (the account is left out of the figures)
    currency: currencies.size === 1 ? rows[0].currency : 'XXX',
    number: null,
    contractedMinor: 0,
    signedAt: null,
    startDate: null,
    endDate: null,
    status: 'NONE',
    terminated: false,
    termsSet: false,
    schedule: [],
    invoices: rows.filter((row) => row.type === 'INVOICE').map(fact).sort(byDateThenId),
    acts: rows.filter((row) => row.type === 'ACT').map(fact).sort(byDateThenId),
    payments: paid.sort(byDateThenId),
  };
}

/** The actuals of projects, batched per request: a list of projects costs the same statements as one. */
export class ProjectFinanceService {
  constructor(private readonly context: Context, private readonly today: () => string = todayUtc) {}

  async of(projectId: string): Promise<ProjectFinance> {
    const loader = this.context.loaders.get<ProjectFinance>('finance:of-project', async (keys) => {
      const ids = keys.map((key) => key.toLowerCase());
      const facts = await loadProjectFacts(this.context.em, ids);
      const today = this.today();
      return ids.map((id) => summarizeProject(facts.get(id) ?? { contracts: [], outside: null }, today));
    });
    return (await loader.load(projectId)) ?? summarizeProject({ contracts: [], outside: null }, this.today());
  }
}
