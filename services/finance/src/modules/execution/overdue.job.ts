import { type Logger, OBLIGATION_OVERDUE, type ObligationOverdue, publishEvent, scheduledJob, type ScheduledJob } from '@kartoteka/kit';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { recomputeRatings } from '../rating/rating.service';
import { computeExecution } from './execution.calculator';
import type { ContractFacts, ExecutionResult, ObligationResult } from './execution.types';
import { loadAccounts } from './finance-facts.loader';

/**
 * Counterparties per batch of the job: their ids are read a page at a time (keyset on the id) and only that page's
 * accounts are loaded, so memory stays bounded whatever the number of counterparties; each batch costs a fixed
 * number of statements.
 */
export const OVERDUE_BATCH_SIZE = 500;

/**
 * The key of the once-a-day rating refresh in `overdue_notices`: one row per day (its due_date), inserted by the
 * first run of the day, so ratings are refreshed once a day whatever the number of runs and replicas.
 */
export const DAILY_RATING_REFRESH_KEY = 'job:daily-rating-refresh';

export type OverdueRunResult = { published: number; ratingsRefreshed: number };

type Candidate = { facts: ContractFacts; obligation: ObligationResult; dueDate: string; overdueMinor: number };
type Executed = { facts: ContractFacts; execution: ExecutionResult };

/** Unsettled obligations past their due date, with what is still owed. */
function overdueObligations({ facts, execution }: Executed): Candidate[] {
  return [...execution.paymentObligations, ...execution.deliveryObligations]
    .filter((obligation) => obligation.state === 'OVERDUE' && obligation.resolvedDueDate !== null && obligation.daysLate > 0 && obligation.amountMinor > obligation.settledMinor)
    .map((obligation) => ({ facts, obligation, dueDate: obligation.resolvedDueDate as string, overdueMinor: obligation.amountMinor - obligation.settledMinor }));
}

/** Whether an account still has something to settle (its rating's OVERDUE factor can change with time alone). */
function hasOpenObligations(execution: ExecutionResult): boolean {
  return [...execution.paymentObligations, ...execution.deliveryObligations].some((obligation) => obligation.state !== 'PAID');
}

/**
 * One run of the overdue job, inside the caller's transaction: finds every unsettled obligation past due, records
 * it in `overdue_notices` (obligation key + due date) and — only when that row is new — publishes
 * `finance.obligation.overdue` through the outbox in the same transaction. So an obligation is announced once,
 * however often the job runs and on however many replicas (a rolled-back run announces nothing and records
 * nothing). Once a day it also recomputes the ratings of counterparties with open obligations, since what is
 * overdue grows with time alone.
 */
export async function runOverdueCheck(em: EntityManager, now: Date, options: { batchSize?: number } = {}): Promise<OverdueRunResult> {
  const today = now.toISOString().slice(0, 10);
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? OVERDUE_BATCH_SIZE));

  const refreshRatings =
    (
      await em.execute<{ obligation_key: string }[]>(
        `insert into overdue_notices (obligation_key, due_date, amount_minor, notified_at) values (?, ?, 0, ?) on conflict do nothing returning obligation_key`,
        [DAILY_RATING_REFRESH_KEY, today, now],
      )
    ).length > 0;

  let published = 0;
  let ratingsRefreshed = 0;
  let after: string | null = null;
  for (;;) {
    // the next page of counterparties with verified contracts or invoices, in id order (keyset: no offset scans)
    const batch: string[] = (
      await em.execute<{ counterparty_id: string }[]>(
        `select distinct counterparty_id from finance_documents
         where verified and type in ('CONTRACT', 'INVOICE')${after === null ? '' : ' and counterparty_id > ?'}
         order by counterparty_id limit ?`,
        after === null ? [batchSize] : [after, batchSize],
      )
    ).map((row) => row.counterparty_id);
    if (batch.length === 0) break;
    const accounts = await loadAccounts(em, batch);
    // each account's execution is computed once and serves both the overdue notices and the rating refresh
    const executed = new Map([...accounts].map(([id, list]) => [id, list.map((facts): Executed => ({ facts, execution: computeExecution(facts, today) }))]));
    const candidates = [...executed.values()].flat().flatMap(overdueObligations);
    if (candidates.length) published += await announce(em, candidates, now);
    if (refreshRatings) {
      const open = batch.filter((id) => (executed.get(id) ?? []).some(({ execution }) => hasOpenObligations(execution)));
      if (open.length) await recomputeRatings(em, open, now);
      ratingsRefreshed += open.length;
    }
    if (batch.length < batchSize) break;
    after = batch[batch.length - 1];
  }
  return { published, ratingsRefreshed };
}

/** Records the candidates in one statement and publishes an event for each one that was not recorded before. */
async function announce(em: EntityManager, candidates: Candidate[], now: Date): Promise<number> {
  const inserted = await em.execute<{ obligation_key: string; due_date: string }[]>(
    `insert into overdue_notices (obligation_key, due_date, amount_minor, notified_at)
     select c.obligation_key, c.due_date, c.amount_minor, ?::timestamptz from unnest(array[?]::varchar[], array[?]::date[], array[?]::bigint[]) as c(obligation_key, due_date, amount_minor)
     on conflict do nothing
     returning obligation_key, due_date::text as due_date`,
    [now, candidates.map((c) => c.obligation.key), candidates.map((c) => c.dueDate), candidates.map((c) => c.overdueMinor)],
  );
  if (!inserted.length) return 0;
  const fresh = new Set(inserted.map((row) => `${row.obligation_key}|${row.due_date}`));
  const toPublish = candidates.filter((c) => fresh.has(`${c.obligation.key}|${c.dueDate}`));

  const documentIds = [...new Set(toPublish.flatMap((c) => [c.facts.contractId, c.obligation.documentId].filter((id): id is string => id !== null)))];
  const counterpartyIds = [...new Set(toPublish.map((c) => c.facts.counterpartyId))];
  const documents = await em.execute<{ id: string; number: string | null; responsible_id: string | null }[]>(`select id, number, responsible_id from finance_documents where id = any(array[?]::uuid[])`, [documentIds]);
  const names = await em.execute<{ id: string; name: string }[]>(`select id, coalesce(nullif(short_name, ''), name) as name from counterparty_refs where id = any(array[?]::uuid[])`, [counterpartyIds]);
  const documentById = new Map(documents.map((row) => [row.id, row]));
  const nameById = new Map(names.map((row) => [row.id, row.name]));

  for (const { facts, obligation, dueDate, overdueMinor } of toPublish) {
    // an invoice obligation opens the invoice; a schedule line opens its contract
    const documentId = obligation.documentId ?? (facts.contractId as string | null);
    if (!documentId) continue;
    const document = documentById.get(documentId);
    const contract = facts.contractId ? documentById.get(facts.contractId) : undefined;
    const payload: ObligationOverdue = {
      obligationKey: obligation.key,
      counterpartyId: facts.counterpartyId,
      counterpartyName: nameById.get(facts.counterpartyId) ?? `Контрагент ${facts.counterpartyId}`,
      contractId: facts.contractId,
      documentId,
      documentNumber: document?.number ?? null,
      responsibleId: document?.responsible_id ?? contract?.responsible_id ?? null,
      direction: facts.direction,
      amountMinor: overdueMinor,
      currency: facts.currency,
      dueDate,
      daysOverdue: Math.max(1, obligation.daysLate),
    };
    await publishEvent(em, OBLIGATION_OVERDUE, payload);
  }
  return toPublish.length;
}

export type OverdueJobOptions = { orm: MikroORM; logger: Logger; intervalMs: number; now?: () => Date; batchSize?: number };

/**
 * The overdue job as a kit scheduled job: every `intervalMs`, on one replica at a time (advisory lock), in one
 * transaction. `runOnce` runs it now (tests); `lastResult` tells what it did.
 */
export function overdueJob(options: OverdueJobOptions): ScheduledJob<OverdueRunResult> {
  return scheduledJob({
    name: 'finance:overdue',
    intervalMs: options.intervalMs,
    initialDelayMs: Math.min(options.intervalMs, 30_000),
    orm: options.orm,
    logger: options.logger,
    now: options.now,
    run: (em, now) => runOverdueCheck(em, now, { batchSize: options.batchSize }),
    reportOf: (result) => (result.published || result.ratingsRefreshed ? 'overdue obligations announced' : null),
  });
}
