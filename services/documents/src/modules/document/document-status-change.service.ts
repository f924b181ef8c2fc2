import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { groupByKeys, type SubgraphContext } from '@kartoteka/kit';
import type { Actor } from './document-access';
import type { Document, DocumentStatus } from './document.entity';
import { DocumentStatusChange } from './document-status-change.entity';

type Context = Pick<SubgraphContext, 'em' | 'loaders'>;

/**
 * Sets a document's status and appends the change to its status history, in the caller's unit of work.
 * Every status change goes through here (or through `recordStatusChangeSql` for set-based updates), so the
 * history is complete: the last entry is always the current status.
 */
export function changeStatus(em: EntityManager, document: Document, to: DocumentStatus, actor: Actor, reason: string | null = null): void {
  const from = document.status;
  if (from === to) return;
  document.status = to;
  em.create(DocumentStatusChange, { documentId: document.id, fromStatus: from, status: to, at: new Date(), actorId: actor.actorId, actorKind: actor.actorKind, reason });
}

/** The first entry of a new document's history (its initial status). */
export function recordInitialStatus(em: EntityManager, document: Document, actor: Actor): void {
  em.create(DocumentStatusChange, { documentId: document.id, fromStatus: null, status: document.status, at: document.createdAt, actorId: actor.actorId, actorKind: actor.actorKind, reason: null });
}

/** The history entry of a change made by a set-based SQL update (the scheduled contracts-in-force job). */
export async function recordStatusChangeSql(em: EntityManager, documentId: string, from: DocumentStatus, to: DocumentStatus, actor: Actor, reason: string | null): Promise<void> {
  await em.execute(
    `insert into document_status_changes (id, document_id, from_status, status, at, actor_id, actor_kind, reason) values (?, ?, ?, ?, now(), ?, ?, ?)`,
    [randomUUID(), documentId, from, to, actor.actorId, actor.actorKind, reason],
  );
}

export class DocumentStatusHistoryService {
  constructor(private readonly context: Context) {}

  /** A document's status changes in the order they were made (oldest first); batched across the documents of a request. */
  async historyOf(documentId: string): Promise<DocumentStatusChange[]> {
    const changes = await this.context.loaders
      .get<DocumentStatusChange[]>('documents:status-history', async (ids) =>
        groupByKeys(ids, await this.context.em.find(DocumentStatusChange, { documentId: { $in: [...ids] } }, { orderBy: { seq: 'asc' } }), (change) => change.documentId),
      )
      .load(documentId);
    return changes ?? [];
  }
}
