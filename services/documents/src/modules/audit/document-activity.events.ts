import type { EntityManager } from '@mikro-orm/postgresql';
import { DOCUMENT_ACTIVITY, publishEvent, publishEvents, type DocumentActivity, type DocumentActivityAction } from '@kartoteka/kit';
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

/** The activity an audit record shows on the timeline, or null when it shows none (or the document has no counterparty). */
function activityOf(entry: AuditEntry, at: Date, document: DocumentRow | undefined): DocumentActivity | null {
  const action = ACTIVITY_OF_AUDIT[entry.action];
  if (!action || !document?.counterparty_id) return null;
  const details = entry.details ?? {};
  return {
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
}

/** Whether the timeline shows the record at all (a change to SIGNED is told by `documents.document.signed` instead). */
function shown(entry: AuditEntry): boolean {
  const action = ACTIVITY_OF_AUDIT[entry.action];
  return Boolean(action) && !(action === 'STATUS_CHANGED' && (entry.details ?? {}).to === 'SIGNED');
}

/**
 * `documents.document.activity` for an audit record the timeline shows, in the transaction that records it (so
 * every path that audits a document — commands, approvals, jobs — publishes it, once), with the record's own time.
 */
export async function publishDocumentActivity(em: EntityManager, entry: AuditEntry, at: Date): Promise<void> {
  await publishDocumentActivities(em, [{ entry, at }]);
}

/**
 * The activities of several audit records recorded together (the end of an audited transaction), in their order:
 * the documents they concern read in one statement, the events published through kit in one call.
 */
export async function publishDocumentActivities(em: EntityManager, records: readonly { entry: AuditEntry; at: Date }[]): Promise<void> {
  const visible = records.filter(({ entry }) => shown(entry));
  if (!visible.length) return;
  const ids = [...new Set(visible.map(({ entry }) => entry.documentId.toLowerCase()))];
  const rows = await em.execute<(DocumentRow & { id: string })[]>('select id, counterparty_id, type, number, title, status, deal_id from documents where id in (?)', [ids]);
  const documents = new Map(rows.map((row) => [row.id, row]));
  const payloads = visible.map(({ entry, at }) => activityOf(entry, at, documents.get(entry.documentId.toLowerCase()))).filter((payload): payload is DocumentActivity => payload !== null);
  if (payloads.length === 1) await publishEvent(em, DOCUMENT_ACTIVITY, payloads[0]);
  else if (payloads.length) await publishEvents(em, DOCUMENT_ACTIVITY, payloads);
}
