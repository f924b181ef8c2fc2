import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { runWithRequestId, type Logger } from './logger';
import type { BackgroundWorker } from './subgraph-server';

/** First key of the two-int advisory locks of scheduled jobs ("JOBS"), apart from any other advisory lock. */
const JOB_LOCK_NAMESPACE = 0x4a4f4253;

export type ScheduledJobOptions<R = void> = {
  /** Also the lock key: every instance running a job of this name takes turns. */
  name: string;
  intervalMs: number;
  /** Before the first run; defaults to one interval (a fresh process does its start-up work first). */
  initialDelayMs?: number;
  orm: MikroORM;
  logger: Logger;
  /** The work, inside one transaction that holds the job's lock; what it returns is the run's result. */
  run: (em: EntityManager, now: Date) => Promise<R>;
  /** The line logged (at info, with the result's fields) after a run worth reporting; null: nothing to say. */
  reportOf?: (result: R) => string | null;
  now?: () => Date;
};

export type ScheduledJob<R = void> = BackgroundWorker & {
  /** One run now: false when another instance holds the job's lock (nothing was done). Errors propagate. */
  runOnce: () => Promise<boolean>;
  /** The result of this instance's last run; null before it ran (or while another instance held the lock). */
  lastResult: () => R | null;
};

/**
 * A job that runs every `intervalMs` (never overlapping itself) in a transaction holding
 * `pg_try_advisory_xact_lock` for its name, so only one instance of the service runs it at a time; an
 * instance that finds the lock taken skips that round. A failing run is logged and the loop goes on.
 */
export function scheduledJob<R = void>(options: ScheduledJobOptions<R>): ScheduledJob<R> {
  const now = options.now ?? (() => new Date());
  const logger = options.logger.child({ job: options.name });
  let last: R | null = null;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> | null = null;
  let stopped = true;

  const runOnce = (): Promise<boolean> =>
    options.orm.em.fork().transactional(async (em) => {
      const rows = await em.execute<{ locked: boolean }[]>('select pg_try_advisory_xact_lock(?, hashtext(?)) as locked', [JOB_LOCK_NAMESPACE, options.name]);
      if (!rows[0]?.locked) return false;
      const result = await options.run(em, now());
      last = result;
      const report = options.reportOf?.(result);
      if (report) logger.info(typeof result === 'object' && result !== null ? { ...result } : { result }, report);
      return true;
    });

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      // each run is a "request" of its own: its lines, errors included, share one id
      current = runWithRequestId(`${options.name}:${randomUUID()}`, () =>
        runOnce()
          .then((ran) => {
            if (!ran) logger.debug('another instance is running the job; skipped');
          })
          .catch((error: unknown) => {
            logger.error({ err: error }, 'scheduled job failed');
          }),
      ).finally(() => {
        current = null;
        schedule(options.intervalMs);
      });
    }, delayMs);
  };

  return {
    name: options.name,
    runOnce,
    lastResult: () => last,
    start: () => {
      if (!stopped) return;
      stopped = false;
      schedule(options.initialDelayMs ?? options.intervalMs);
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await current;
    },
  };
}
