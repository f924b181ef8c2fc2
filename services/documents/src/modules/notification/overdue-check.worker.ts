import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { type Logger, scheduledJob, type ScheduledJob } from '@kartoteka/kit';

/**
 * One check for passed deadlines, e.g. `(em, now) => new ApprovalService(em).notifyOverdue(now)`. It runs
 * inside a transaction (notify there) and must be idempotent: it runs again every interval.
 */
export type OverdueCheck = { name: string; run: (em: EntityManager, now: Date) => Promise<void> };

export const OVERDUE_CHECK_INTERVAL_MS = 60_000;

/**
 * The overdue job: every interval, on one instance at a time, runs every check, each in its own savepoint
 * so one failing check neither undoes nor stops the others.
 */
export function overdueCheckWorker(deps: { orm: MikroORM; logger: Logger }, checks: readonly OverdueCheck[], intervalMs = OVERDUE_CHECK_INTERVAL_MS): ScheduledJob {
  return scheduledJob({
    name: 'documents:overdue',
    intervalMs,
    orm: deps.orm,
    logger: deps.logger,
    run: async (em, now) => {
      for (const check of checks) {
        try {
          await em.transactional((inner) => check.run(inner, now));
        } catch (error) {
          deps.logger.error({ err: error, check: check.name }, 'overdue check failed');
        }
      }
    },
  });
}
