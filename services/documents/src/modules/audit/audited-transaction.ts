import type { EntityManager } from '@mikro-orm/postgresql';
import { type AuditEntry, AuditService } from './audit.service';

/** Audit records a transaction will append when its work is done, keyed by the transaction's entity manager. */
const pending = new WeakMap<EntityManager, AuditEntry[]>();

/**
 * Queues an audit record of the current transaction (begun by `auditedTransaction`). Appending takes the
 * chain's global lock until commit, so it happens last: every transaction then takes its locks in the same
 * order (document row → journal row → audit chain) and two of them cannot deadlock.
 */
export function deferAudit(em: EntityManager, entry: AuditEntry): void {
  const queue = pending.get(em);
  if (!queue) throw new Error('deferAudit outside auditedTransaction');
  queue.push(entry);
}

/** A transaction whose deferred audit records are appended, in order, at its end (or dropped on rollback). */
export function auditedTransaction<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return em.transactional(async (transaction) => {
    const outer = pending.get(transaction);
    if (outer) return work(transaction);
    pending.set(transaction, []);
    try {
      const result = await work(transaction);
      await transaction.flush();
      const audit = new AuditService(transaction);
      for (const entry of pending.get(transaction) ?? []) await audit.record(entry);
      return result;
    } finally {
      pending.delete(transaction);
    }
  });
}
