import type { EntityManager } from '@mikro-orm/postgresql';
import { DOCUMENT_ACTIVITY, publishEvent, type DocumentActivity, type DocumentActivityAction } from '@kartoteka/kit';
import type { AuditEntry } from './audit.service';

/** The audit actions a counterparty's timeline shows, as the activity they are published as. */
const ACTIVITY_OF_AUDIT: Partial<Record<AuditEntry['action'], DocumentActivityAction>> = {
  DOCUMENT_CREATED: 'CREATED',
  STEP_APPROVED: 'STEP_APPROVED',
  STEP_REJECTED: 'STEP_REJECTED',
  STATUS_CHANGED: 'STATUS_CHANGED',
};

type DocumentRow = { counterparty_id: string | null; type: string; number: string | null; title: string; status: string; deal_id: string | null };

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 5000) : null;
}

/**
 * `documents.document.activity` for an audit record the timeline shows, in the transaction that appends it (so
 * every path that audits a document — commands, approvals, jobs — publishes it, once). A change to SIGNED is told
 * by `documents.document.signed` instead.
 */
export async function publishDocumentActivity(em: EntityManager, entry: AuditEntry, at: Date): Promise<void> {
  const action = ACTIVITY_OF_AUDIT[entry.action];
  if (!action) return;
  const details = entry.details ?? {};
  if (action === 'STATUS_CHANGED' && details.to === 'SIGNED') return;
  const [document] = await em.execute<DocumentRow[]>('select counterparty_id, type, number, title, status, deal_id from documents where id = ?', [entry.documentId]);
  if (!document?.counterparty_id) return;
  const payload: DocumentActivity = {
    documentId: entry.documentId.toLowerCase(),
    counterpartyId: document.counterparty_id,
    documentType: document.type,
    number: document.number,
    title: document.title.slice(0, 2000),
    status: action === 'STATUS_CHANGED' && typeof details.to === 'string' ? details.to : document.status,
    action,
    fromStatus: action === 'STATUS_CHANGED' ? text(details.from) : null,
    comment: text(details.comment) ?? text(details.reason),
    dealId: document.deal_id,
    // a staff member (the timeline names them); neither the system nor a partner system's API key is a user
    actorId: entry.actorKind === 'user' ? entry.actorId : null,
    occurredAt: at.toISOString(),
  };
  await publishEvent(em, DOCUMENT_ACTIVITY, payload);
}
