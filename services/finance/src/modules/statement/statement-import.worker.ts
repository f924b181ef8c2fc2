import { runWithRequestId, type BackgroundWorker, type Logger } from '@kartoteka/kit';
import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { failStatementImport, importNextChunk, StatementImportChunkError } from './statement-import.service';

export type StatementImportWorker = BackgroundWorker & {
  /** Imports chunks until no RUNNING import is left (or another instance holds the remaining ones). */
  drain: () => Promise<void>;
};

/**
 * Runs confirmed (RUNNING) statement imports chunk after chunk, each chunk its own transaction; polls every
 * `pollMs` when idle. A RUNNING import left by a crash or a restart is simply picked up again (chunks are
 * idempotent through the payments' fingerprints). With several instances, `for update skip locked` gives each
 * chunk to one of them. A chunk that fails marks its import FAILED (the chunks already imported stay).
 */
export function statementImportWorker(deps: { orm: MikroORM; logger: Logger }, options: { pollMs?: number } = {}): StatementImportWorker {
  const pollMs = options.pollMs ?? 1000;
  const logger = deps.logger.child({ worker: 'statement-import' });
  let stopped = true;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> | null = null;

  /** Chunk after chunk until nothing is left; `untilStopped`: also ends when the worker stops. */
  const drain = async (untilStopped: boolean): Promise<void> => {
    while (!(untilStopped && stopped)) {
      try {
        if (!(await importNextChunk(deps.orm.em.fork()))) return;
      } catch (error) {
        const id = error instanceof StatementImportChunkError ? error.statementImportId : null;
        logger.error({ err: error instanceof StatementImportChunkError ? error.failure : error, statementImportId: id }, 'statement import chunk failed');
        if (id) await failStatementImport(deps.orm.em.fork(), id, 'The import stopped on an internal error; the payments imported so far are kept. Upload the statement again to import the rest.');
        return;
      }
    }
  };

  const schedule = (delayMs: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      current = runWithRequestId(`statement-import:${randomUUID()}`, () => drain(true))
        .catch((error: unknown) => logger.error({ err: error }, 'statement import worker failed'))
        .finally(() => {
          current = null;
          schedule(pollMs);
        });
    }, delayMs);
  };

  return {
    name: 'statement-import',
    drain: () => drain(false),
    start: () => {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await current;
    },
  };
}
