import { PgWakeListener, WorkerLoop, type BackgroundWorker, type Logger } from '@kartoteka/kit';
import type { MikroORM } from '@mikro-orm/postgresql';
import { failStatementImport, importNextChunk, STATEMENT_IMPORT_CHANNEL, StatementImportChunkError } from './statement-import.service';

export type StatementImportWorker = BackgroundWorker & {
  /** Imports chunks until no RUNNING import is left (or another instance holds the remaining ones). */
  drain: () => Promise<void>;
};

/** The idle safety-net poll: a confirmed import normally wakes the worker at once (NOTIFY on confirm). */
export const STATEMENT_IMPORT_POLL_MS = 30_000;

/**
 * Runs confirmed (RUNNING) statement imports chunk after chunk, each chunk its own transaction. Idle, it sleeps
 * until `confirmStatementImport` wakes it (a NOTIFY on STATEMENT_IMPORT_CHANNEL, sent when the confirming
 * transaction commits, heard over a dedicated LISTEN connection), or `pollMs` (30 s) passes — the safety net
 * when the wake-up connection is down or a notification was missed; that poll asks the listening connection
 * first, so an idle worker stays out of the service's pool. A RUNNING import left by a crash or a restart is
 * simply picked up again (at start, then at every poll; chunks are idempotent through the payments'
 * fingerprints). With several instances, `for update skip locked` gives each chunk to one of them. A chunk that
 * fails marks its import FAILED (the chunks already imported stay).
 */
export function statementImportWorker(deps: { orm: MikroORM; logger: Logger }, options: { pollMs?: number } = {}): StatementImportWorker {
  const logger = deps.logger.child({ worker: 'statement-import' });
  const url = deps.orm.config.get('clientUrl');
  let loop: WorkerLoop | null = null;
  let wake: PgWakeListener | null = null;

  /** One chunk; true when there may be more to do. */
  const step = async (): Promise<boolean> => {
    try {
      return await importNextChunk(deps.orm.em.fork());
    } catch (error) {
      const id = error instanceof StatementImportChunkError ? error.statementImportId : null;
      logger.error({ err: error instanceof StatementImportChunkError ? error.failure : error, statementImportId: id }, 'statement import chunk failed');
      if (!id) throw error;
      await failStatementImport(deps.orm.em.fork(), id, 'The import stopped on an internal error; the payments imported so far are kept. Upload the statement again to import the rest.');
      // another RUNNING import may be waiting
      return true;
    }
  };

  /** Whether a RUNNING import may be waiting, asked on the listening connection (true when it cannot tell). */
  const mayHaveWork = async (): Promise<boolean> => {
    const row = await wake?.queryOne<{ running: boolean }>(`select exists (select 1 from statement_imports where status = 'RUNNING') as running`);
    return row ? row.running : true;
  };

  return {
    name: 'statement-import',
    drain: async () => {
      try {
        while (await step()) {
          /* chunk after chunk */
        }
      } catch (error) {
        logger.error({ err: error }, 'statement import worker failed');
      }
    },
    start: () => {
      if (loop) return;
      const listener = url ? new PgWakeListener({ url, channel: STATEMENT_IMPORT_CHANNEL, logger, onNotify: () => loop?.wake() }) : null;
      wake = listener;
      loop = new WorkerLoop({
        name: 'statement-import',
        logger,
        pollIntervalMs: options.pollMs ?? STATEMENT_IMPORT_POLL_MS,
        iterate: async () => {
          await listener?.ensure();
          if (!(await mayHaveWork())) return false;
          return step();
        },
      });
      loop.start();
    },
    stop: async () => {
      const running = loop;
      const listener = wake;
      loop = null;
      wake = null;
      await running?.stop();
      await listener?.close();
    },
  };
}
