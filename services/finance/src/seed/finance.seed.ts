import { addDays, CounterpartyDirectory, type DemoFinanceContract, demoFinanceHistory, demoFinanceId, type DemoFinanceHistory, todayUtc } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ContractDirection, ContractTerms } from '../modules/contract/contract-terms.entity';
import { ScheduleItem, ScheduleItemKind } from '../modules/contract/schedule-item.entity';
import { computeExecution } from '../modules/execution/execution.calculator';
import type { ContractFacts } from '../modules/execution/execution.types';
import { paymentFingerprint, rememberKnownAccounts } from '../modules/payment/payment.directory';
import { Payment, PaymentDirection, PaymentMatchStatus } from '../modules/payment/payment.entity';
import { RatingPoint } from '../modules/rating/rating-point.entity';
import { computeRating } from '../modules/rating/rating.calculator';
import { recomputeRatings } from '../modules/rating/rating.service';
import type { RatingWeights } from '../modules/rating/rating.types';

export type FinanceSeedOptions = {
  /** The day the demo history ends on (YYYY-MM-DD); today by default. The documents seed must use the same day. */
  today?: string;
  /** When the ratings are computed; now by default. */
  now?: Date;
};

/** The reason recorded on the demo payments' matches (no statement import brought them). */
export const DEMO_MATCH_REASON = 'demo';

/**
 * The finance side of the demo history (kit's `demoFinanceHistory`, the same the documents seed turns into signed
 * documents): the terms of the demo contracts (direction and schedule) and a year of bank payments, MATCHED to their
 * counterparty, contract and invoice (the ids are fixed, so nothing here waits for the documents), with the accounts
 * they came from remembered for matching; then the ratings of those counterparties. The signed documents themselves
 * (finance_documents) arrive through documents' events, before or after this runs; each one recomputes the rating,
 * so the state converges either way. Runs once, on a database without payments and contract terms (under an advisory
 * lock, so two starting instances do not both seed).
 */
export async function seedFinanceDemo(em: EntityManager, options: FinanceSeedOptions = {}): Promise<string> {
  await em.execute(`select pg_advisory_xact_lock(hashtext('kartoteka:seed:finance'))`);
  if ((await em.count(Payment, {})) || (await em.count(ContractTerms, {}))) return 'finance: payments or contract terms exist, nothing seeded';
  const now = options.now ?? new Date();
  const history = demoFinanceHistory(options.today ?? todayUtc());
  await preloadCounterparties(em, history);
  for (const contract of history.contracts) {
    em.create(ContractTerms, { contractId: contract.id, direction: ContractDirection[contract.direction], updatedAt: now, updatedById: contract.responsibleId });
    contract.schedule.forEach((item, position) =>
      em.create(ScheduleItem, {
        id: demoScheduleItemId(contract, position),
        contractId: contract.id,
        position,
        kind: ScheduleItemKind[item.kind],
        amountMinor: item.amountMinor,
        currency: contract.currency,
        dueDate: item.dueDate,
        daysAfterAct: item.daysAfterAct,
        description: item.description,
      }),
    );
  }
  for (const payment of history.payments) {
    const direction = PaymentDirection[payment.direction];
    const at = new Date(`${payment.date}T09:00:00Z`);
    em.create(Payment, {
      id: payment.id,
      fingerprint: paymentFingerprint({ date: payment.date, number: payment.number, amountMinor: payment.amountMinor, payerAccount: payment.payer.account, payeeAccount: payment.payee.account, direction: payment.direction }),
      direction,
      number: payment.number,
      date: payment.date,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      payerName: payment.payer.name,
      payerInn: payment.payer.inn,
      payerKpp: payment.payer.kpp,
      payerAccount: payment.payer.account,
      payerBic: payment.payer.bik,
      payeeName: payment.payee.name,
      payeeInn: payment.payee.inn,
      payeeKpp: payment.payee.kpp,
      payeeAccount: payment.payee.account,
      payeeBic: payment.payee.bik,
      purpose: payment.purpose,
      debitedAt: payment.debitedAt,
      creditedAt: payment.creditedAt,
      counterpartyId: payment.counterpartyId,
      contractId: payment.contractId,
      invoiceId: payment.invoiceId,
      matchStatus: PaymentMatchStatus.MATCHED,
      matchConfidence: 1,
      matchReasons: [DEMO_MATCH_REASON],
      matchedById: null,
      matchedAt: at,
      createdAt: at,
    });
  }
  await em.flush();
  // The accounts the counterparties paid from (or we paid to), as matching would have learned them.
  await rememberKnownAccounts(
    em,
    history.payments.map((payment) => ({ counterpartyId: payment.counterpartyId, account: payment.direction === 'INCOMING' ? payment.payer.account : payment.payee.account })),
  );
  const points = await seedRatingHistory(em, history);
  const counterpartyIds = history.counterparties.map((counterparty) => counterparty.id);
  await recomputeRatings(em, counterpartyIds, now);
  return `finance: demo history (terms of ${history.contracts.length} contracts, ${history.payments.length} payments, ${points} rating history points) for ${counterpartyIds.length} counterparties`;
}

/** The fixed id of a demo contract's schedule line. */
export function demoScheduleItemId(contract: Pick<DemoFinanceContract, 'key'>, position: number): string {
  return demoFinanceId(`${contract.key}:schedule:${position}`);
}

/**
 * What finance knew about a demo contract at the end of `day` — the contract if signed by then, its terms, the
 * invoices and acts signed and the payments made by then, its status then — as the facts loader would give them; null
 * before the contract was signed.
 */
export function demoFactsOn(history: DemoFinanceHistory, contract: DemoFinanceContract, day: string): ContractFacts | null {
  if (contract.date > day) return null;
  const closed = contract.closedOn !== null && contract.closedOn <= day;
  return {
    contractId: contract.id,
    counterpartyId: contract.counterpartyId,
    direction: contract.direction,
    currency: contract.currency,
    number: contract.number,
    contractedMinor: contract.amountMinor,
    signedAt: contract.date,
    startDate: contract.startDate,
    endDate: contract.endDate,
    status: closed ? contract.status : 'IN_FORCE',
    terminated: closed && contract.status === 'TERMINATED',
    termsSet: true,
    schedule: contract.schedule.map((item, position) => ({ id: demoScheduleItemId(contract, position), kind: item.kind, amountMinor: item.amountMinor, dueDate: item.dueDate, daysAfterAct: item.daysAfterAct, description: item.description, position })),
    invoices: contract.invoices.filter((invoice) => invoice.date <= day).map((invoice) => ({ id: invoice.id, type: 'INVOICE', number: invoice.number, date: invoice.date, amountMinor: invoice.amountMinor, dueDate: invoice.dueDate, invoiceId: null })),
    acts: contract.acts.filter((act) => act.date <= day).map((act) => ({ id: act.id, type: 'ACT', number: act.number, date: act.date, amountMinor: act.amountMinor, dueDate: null, invoiceId: act.invoiceId })),
    payments: history.payments
      .filter((payment) => payment.contractId === contract.id && payment.date <= day)
      .map((payment) => ({ id: payment.id, number: payment.number, date: payment.date, amountMinor: payment.amountMinor, invoiceId: payment.invoiceId })),
  };
}

/**
 * The rating's history over the demo year, as if it had been recomputed at the end of every month: for each demo
 * counterparty, the score computed (current method) from the facts known at each month's end — a point whenever the
 * score or grade changed, as the rating service records them. Returns how many points.
 */
async function seedRatingHistory(em: EntityManager, history: DemoFinanceHistory): Promise<number> {
  const [method] = await em.execute<{ version: number; weights: RatingWeights }[]>('select version, weights from rating_methods order by version desc limit 1');
  if (!method) return 0;
  let count = 0;
  for (const counterparty of history.counterparties) {
    const contracts = history.contracts.filter((contract) => contract.counterpartyId === counterparty.id);
    const first = contracts.map((contract) => contract.date).sort()[0];
    let previous: { score: number | null; grade: string | null } | null = null;
    for (let day = monthEndAfter(first); day < history.today; day = monthEndAfter(addDays(day, 1))) {
      const accounts = contracts.map((contract) => demoFactsOn(history, contract, day)).filter((facts): facts is ContractFacts => facts !== null);
      const result = computeRating({ today: day, accounts: accounts.map((facts) => ({ facts, execution: computeExecution(facts, day) })) }, method.weights);
      if (previous && previous.score === result.score && previous.grade === result.grade) continue;
      previous = { score: result.score, grade: result.grade };
      em.create(RatingPoint, { id: demoFinanceId(`${counterparty.id}:rating:${day}`), counterpartyId: counterparty.id, score: result.score, grade: result.grade, methodVersion: method.version, computedAt: new Date(`${day}T18:00:00Z`) }, { persist: true });
      count += 1;
    }
  }
  await em.flush();
  return count;
}

/** The last day of the month of `date`. */
function monthEndAfter(date: string): string {
  const [year, month] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/**
 * The demo counterparties in the read model at the oldest version, with their real INN/KPP (real events from the
 * counterparties service win): statement matching knows them even before those events arrive.
 */
async function preloadCounterparties(em: EntityManager, history: DemoFinanceHistory): Promise<void> {
  const directory = new CounterpartyDirectory(em);
  for (const counterparty of history.counterparties) {
    await directory.upsert({ id: counterparty.id, name: counterparty.party.name, shortName: counterparty.party.name, inn: counterparty.party.inn, kpp: counterparty.party.kpp, status: counterparty.role, updatedAt: new Date(0) });
  }
}
