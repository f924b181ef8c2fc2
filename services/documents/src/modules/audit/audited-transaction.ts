import type { EntityManager } from '@mikro-orm/postgresql';
import { armAuditCommit, type AuditEntry, AuditService } from './audit.service';

/** An entry queued by `deferAudit`, with the time it was queued (its `recordedAt`). */
type DeferredEntry = { entry: AuditEntry; at: Date };

/** Audit records a transaction will record when its work is done, keyed by the transaction's entity manager. */
const pending = new WeakMap<EntityManager, DeferredEntry[]>();

/**
 * Queues an audit record of the current transaction (begun by `auditedTransaction`), stamped now. It is recorded
 * (`AuditService.record`) when the work is done, so the timeline activity it publishes describes the document as
 * the transaction leaves it; the record itself joins the chain at the commit.
 */
export function deferAudit(em: EntityManager, entry: AuditEntry): void {
  const queue = pending.get(em);
  if (!queue) throw new Error('deferAudit outside auditedTransaction');
  queue.push({ entry, at: new Date() });
}

/**
 * A transaction whose deferred audit records are recorded, in order and each with its own time, at the end of its
 * work, and appended to the chain at its commit (dropped on rollback).
 */
export function auditedTransaction<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
  // Armed before the transaction begins: its fork copies the subscriber that appends at commit.
  armAuditCommit(em);
  return em.transactional(async (transaction) => {
    const outer = pending.get(transaction);
    if (outer) return work(transaction);
    pending.set(transaction, []);
    try {
      const result = await work(transaction);
      await transaction.flush();
      await new AuditService(transaction).recordAll(pending.get(transaction) ?? []);
      return result;
    } finally {
      pending.delete(transaction);
    }
  });
}
