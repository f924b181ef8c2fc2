import { ANONYMOUS, DomainError, type BackgroundWorker, type Identity, LoaderRegistry, type Logger, PgWakeListener, type RoleCode, userIdentity, WorkerLoop } from '@kartoteka/kit';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Document } from '../document/document.entity';
import { StaffService } from '../staff/staff.service';
import { DocumentGenerationService } from './document-generation.service';
import { DocumentTemplate } from './document-template.entity';
import { templateStoreOf } from './document-template.service';

/** The PostgreSQL channel a committed generation request pings (NOTIFY is transactional: after the commit only). */
export const GENERATION_CHANNEL = 'documents_generation';

export type GenerationWorkerOptions = {
  /** The idle safety-net poll (a request normally wakes the worker at once). */
  pollMs?: number;
  /** After this many failed attempts (errors other than a refusal) the request is FAILED and recorded as a warning. */
  maxAttempts?: number;
  /** Delay after the first failure; doubles with every further one, up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
};

export type GenerationWorker = BackgroundWorker & {
  /** Handles due requests until none is left (or the rest are taken by another instance); returns how many. */
  drain: () => Promise<number>;
};

const MAX_ERROR_LENGTH = 2000;

/** The staff member who asked (from the directory), acting through the deal; the system when unknown or inactive. */
export async function requesterIdentity(em: EntityManager, userId: string | null): Promise<Identity> {
  if (!userId) return ANONYMOUS;
  const [member] = await new StaffService(em).findByIds([userId]);
  return member?.active ? userIdentity(member.id, member.name, member.roles as RoleCode[]) : ANONYMOUS;
}

/**
 * Records, in the caller's (the event consumer's) transaction, that a deal action's document must be generated
 * from a template; the worker does it after the commit. Idempotent by document id.
 */
export async function requestGeneration(em: EntityManager, documentId: string, templateCode: string, requestedById: string | null): Promise<void> {
  await em.execute(
    `insert into document_generation_requests (document_id, template_code, requested_by_id) values (?, ?, ?) on conflict (document_id) do nothing`,
    [documentId, templateCode.trim().toLowerCase().slice(0, 50), requestedById],
  );
  await em.execute('select pg_notify(?, ?)', [GENERATION_CHANNEL, documentId]);
}

type Claimed = { documentId: string; templateCode: string; requestedById: string | null; attempts: number };

class LeaseLostError extends Error {}

/**
 * One due request: taken in a short transaction (`for update skip locked`, so one instance gets it; the attempt is
 * counted and `next_attempt_at` pushed past the longest conversion, a lease another instance respects), then
 * rendered and converted outside any transaction; the version is added, and the request marked DONE, in one short
 * transaction — which adds nothing if the lease was lost meanwhile. A refusal (no such template, wrong type, the
 * document no longer a draft) is final; any other error is retried with backoff, and after `maxAttempts` given up.
 * Either way the reason lands in the document's audit trail as a warning, and the document keeps existing.
 * Returns false when no request was due.
 */
export async function generateNextRequested(orm: MikroORM, logger: Logger, options: GenerationWorkerOptions = {}): Promise<boolean> {
  const maxAttempts = options.maxAttempts ?? 5;
  const backoffMs = options.backoffMs ?? 30_000;
  const maxBackoffMs = options.maxBackoffMs ?? 3_600_000;
  const leaseMs = templateStoreOf(orm.em).templates.pdfTimeoutMs + 60_000;
  const claimed = await orm.em.fork().transactional(async (em): Promise<Claimed | null> => {
    const rows = await em.execute<{ document_id: string; template_code: string; requested_by_id: string | null; attempts: number }[]>(
      `select document_id, template_code, requested_by_id, attempts from document_generation_requests
       where status = 'PENDING' and next_attempt_at <= now() order by next_attempt_at, document_id limit 1 for update skip locked`,
    );
    if (rows.length === 0) return null;
    const row = rows[0];
    await em.execute(`update document_generation_requests set attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => ?), updated_at = now() where document_id = ?`, [leaseMs / 1000, row.document_id]);
    return { documentId: row.document_id, templateCode: row.template_code, requestedById: row.requested_by_id, attempts: row.attempts + 1 };
  });
  if (!claimed) return false;

  const em = orm.em.fork();
  const finish = (status: 'FAILED', warning: string | null) =>
    orm.em.fork().transactional(async (tem) => {
      if (warning) await DocumentGenerationService.recordWarning(tem, claimed.documentId, claimed.templateCode, warning);
      await tem.execute(`update document_generation_requests set status = ?, last_error = ?, updated_at = now() where document_id = ? and attempts = ?`, [status, warning?.slice(0, MAX_ERROR_LENGTH) ?? null, claimed.documentId, claimed.attempts]);
    });
  const document = await em.findOne(Document, { id: claimed.documentId });
  if (!document) {
    await finish('FAILED', null);
    return true;
  }
  const template = await em.findOne(DocumentTemplate, { code: claimed.templateCode });
  if (!template) {
    await finish('FAILED', `there is no document template with the code «${claimed.templateCode}»`);
    return true;
  }
  try {
    const identity = await requesterIdentity(em, claimed.requestedById);
    const markDone = async (tem: EntityManager) => {
      const done = await tem.execute<{ document_id: string }[]>(
        `update document_generation_requests set status = 'DONE', last_error = null, updated_at = now() where document_id = ? and status = 'PENDING' and attempts = ? returning document_id`,
        [claimed.documentId, claimed.attempts],
      );
      if (done.length === 0) throw new LeaseLostError(`generation request of ${claimed.documentId} was taken over`);
    };
    const result = await new DocumentGenerationService({ em, identity, loaders: new LoaderRegistry() }).generateFor(document, template, null, { within: markDone });
    // The version exists; what went wrong on the way (no PDF) is said in its comment and in the audit trail.
    if (result.warnings.length) await DocumentGenerationService.recordWarning(orm.em.fork(), claimed.documentId, claimed.templateCode, result.warnings.join('; '));
    return true;
  } catch (error) {
    if (error instanceof LeaseLostError) {
      logger.warn({ documentId: claimed.documentId }, 'generation request taken over by another worker; nothing added');
      return true;
    }
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof DomainError || claimed.attempts >= maxAttempts) {
      if (!(error instanceof DomainError)) logger.error({ err: error, documentId: claimed.documentId, attempts: claimed.attempts }, 'document generation failed for good');
      await finish('FAILED', reason);
      return true;
    }
    const delayMs = Math.min(backoffMs * 2 ** (claimed.attempts - 1), maxBackoffMs);
    logger.warn({ err: error, documentId: claimed.documentId, attempts: claimed.attempts }, 'document generation failed; will retry');
    await orm.em.fork().execute(`update document_generation_requests set next_attempt_at = now() + make_interval(secs => ?), last_error = ?, updated_at = now() where document_id = ? and attempts = ?`, [delayMs / 1000, reason.slice(0, MAX_ERROR_LENGTH), claimed.documentId, claimed.attempts]);
    return true;
  }
}

/**
 * The generation worker: runs requested generations one at a time (each one's conversion outside any transaction).
 * Idle, it sleeps until a request's commit wakes it (NOTIFY on {@link GENERATION_CHANNEL} over a dedicated LISTEN
 * connection) or `pollMs` passes — the safety net that also picks up retries and requests left by a crash.
 */
export function generationWorker(deps: { orm: MikroORM; logger: Logger }, options: GenerationWorkerOptions = {}): GenerationWorker {
  const logger = deps.logger.child({ worker: 'document-generation' });
  const url = deps.orm.config.get('clientUrl');
  let loop: WorkerLoop | null = null;
  let wake: PgWakeListener | null = null;

  const drain = async (): Promise<number> => {
    let handled = 0;
    while (await generateNextRequested(deps.orm, logger, options)) handled += 1;
    return handled;
  };

  return {
    name: 'document-generation',
    drain,
    start: () => {
      if (loop) return;
      const listener = url ? new PgWakeListener({ url, channel: GENERATION_CHANNEL, logger, onNotify: () => loop?.wake() }) : null;
      wake = listener;
      loop = new WorkerLoop({
        name: 'document-generation',
        logger,
        pollIntervalMs: options.pollMs ?? 10_000,
        iterate: async () => {
          await listener?.ensure();
          // Asked on the listening connection: an idle worker stays out of the service's pool.
          const due = await listener?.queryOne<{ due: boolean }>(`select exists (select 1 from document_generation_requests where status = 'PENDING' and next_attempt_at <= now()) as due`);
          if (due && !due.due) return false;
          return generateNextRequested(deps.orm, logger, options);
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
