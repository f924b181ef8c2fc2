import {
  DEAL_CREATED,
  DEAL_LOST,
  DEAL_STAGE_MOVED,
  DEAL_WON,
  dealDocumentNewsContract,
  dealLifecycleContract,
  DOCUMENT_ACTIVITY,
  DOCUMENT_CREATED,
  DOCUMENT_SIGNED,
  DOCUMENT_STATUS_CHANGED,
  documentActivityContract,
  MAILING_RECIPIENT_STATUS_CHANGED,
  mailingRecipientStatusContract,
  documentSignedContract,
  PAYMENT_RECEIVED,
  paymentReceivedContract,
  parseOrPark,
  PROJECT_CHANGED,
  PROJECT_CREATED,
  projectNewsContract,
  TASK_COMPLETED,
  TASK_CREATED,
  taskCompletedContract,
  taskCreatedContract,
  type BusEvent,
  type EventHandler,
  type EventHandlers,
} from '@kartoteka/kit';
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TimelineKind, TimelineSubjectType } from './timeline-entry.entity';

/** Marks an object known to concern no counterparty (a task linked to nothing). */
export const NO_COUNTERPARTY = '00000000-0000-0000-0000-000000000000';

/** The service each topic's producer is (the `source` of its entries). */
const SOURCE_OF_TOPIC = (topic: string): string => topic.split('.')[0];

export type TimelineRow = {
  eventId: string;
  counterpartyId: string;
  occurredAt: Date;
  kind: TimelineKind;
  actorId: string | null;
  subjectType: TimelineSubjectType;
  subjectId: string;
  subjectTitle: string | null;
  summary: Record<string, unknown>;
  source: string;
};

type Ref = { type: TimelineSubjectType; id: string };

/** Inserts entries; an entry already there (same event, same counterparty) only gets a title or actor it lacked (an entry two events tell). */
export async function insertTimelineRows(em: EntityManager, rows: readonly TimelineRow[]): Promise<void> {
  for (const row of rows) {
    await em.execute(
      `insert into timeline_entries (event_id, counterparty_id, occurred_at, kind, actor_id, subject_type, subject_id, subject_title, summary, source)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
       on conflict (event_id, counterparty_id) do update set subject_title = coalesce(timeline_entries.subject_title, excluded.subject_title), actor_id = coalesce(timeline_entries.actor_id, excluded.actor_id)
       where timeline_entries.subject_title is null or timeline_entries.actor_id is null`,
      [row.eventId, row.counterpartyId, row.occurredAt, row.kind, row.actorId, row.subjectType, row.subjectId, row.subjectTitle?.slice(0, 500) ?? null, JSON.stringify(row.summary), row.source],
    );
  }
}

/** Remembers which counterparties an object belongs to, then applies the events that were waiting for it. */
async function learn(em: EntityManager, ref: Ref, counterpartyIds: readonly string[], title: string | null): Promise<void> {
  for (const counterpartyId of counterpartyIds.length ? counterpartyIds : [NO_COUNTERPARTY]) {
    await em.execute(
      `insert into timeline_refs (subject_type, subject_id, counterparty_id, title) values (?, ?, ?, ?)
       on conflict (subject_type, subject_id, counterparty_id) do update set title = coalesce(excluded.title, timeline_refs.title)`,
      [ref.type, ref.id, counterpartyId, title?.slice(0, 500) ?? null],
    );
  }
  const waiting = await em.execute<{ event_id: string; topic: string; producer: string; payload: Record<string, unknown>; occurred_at: Date }[]>(
    'delete from timeline_pending where ref_type = ? and ref_id = ? returning event_id, topic, producer, payload, occurred_at',
    [ref.type, ref.id],
  );
  for (const row of waiting.sort((a, b) => new Date(a.occurred_at).getTime() - new Date(b.occurred_at).getTime())) {
    await applyTimelineEvent(em, { id: row.event_id, topic: row.topic, producer: row.producer, payload: row.payload as BusEvent['payload'], occurredAt: new Date(row.occurred_at) });
  }
}

/** The counterparties (real ones) of a known object; null when the object is not known here. */
async function counterpartiesOf(em: EntityManager, ref: Ref): Promise<{ ids: string[]; title: string | null } | null> {
  const rows = await em.execute<{ counterparty_id: string; title: string | null }[]>('select counterparty_id, title from timeline_refs where subject_type = ? and subject_id = ?', [ref.type, ref.id]);
  if (!rows.length) return null;
  return { ids: rows.map((row) => row.counterparty_id).filter((id) => id !== NO_COUNTERPARTY), title: rows.find((row) => row.title)?.title ?? null };
}

/** Keeps an event the projection cannot place yet, with why; `learn` applies it once `ref` becomes known. */
async function park(em: EntityManager, event: BusEvent, ref: Ref, reason: string): Promise<void> {
  await em.execute(
    `insert into timeline_pending (event_id, topic, producer, payload, occurred_at, ref_type, ref_id, reason) values (?, ?, ?, ?::jsonb, ?, ?, ?, ?) on conflict (event_id) do nothing`,
    [event.id, event.topic, event.producer, JSON.stringify(event.payload), event.occurredAt, ref.type, ref.id, reason],
  );
}

/** Places an event on the timelines of the counterparties `ref` belongs to, or parks it until `ref` is known. */
async function placeVia(em: EntityManager, event: BusEvent, ref: Ref, build: (counterpartyId: string, title: string | null) => TimelineRow | null): Promise<void> {
  const known = await counterpartiesOf(em, ref);
  if (!known) {
    await park(em, event, ref, `${ref.type.toLowerCase()} ${ref.id} is not known to the timeline yet`);
    return;
  }
  await insertTimelineRows(em, known.ids.map((id) => build(id, known.title)).filter((row): row is TimelineRow => row !== null));
}

function row(event: BusEvent, fields: Omit<TimelineRow, 'eventId' | 'source'>): TimelineRow {
  return { ...fields, eventId: event.id, source: SOURCE_OF_TOPIC(event.topic) };
}

function dateOr(value: string | null | undefined, fallback: Date): Date {
  return value ? new Date(value) : fallback;
}

/**
 * A stable uuid (name-based, like v5) for an entry two events tell: a deal's document is announced to deals
 * (`documents.document.created`) and to everyone (`documents.document.activity`); both write this one entry.
 */
export function derivedEntryId(name: string): string {
  const hex = createHash('sha1').update(`kartoteka-timeline:${name}`, 'utf8').digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function documentTitle(number: string | null, title: string | null): string | null {
  return number ? `№ ${number}${title ? ` — ${title}` : ''}` : title;
}

const MAILING_KIND: Partial<Record<string, TimelineKind>> = { SENT: 'MAILING_SENT', BOUNCED: 'MAILING_BOUNCED', FAILED: 'MAILING_FAILED', UNSUBSCRIBED: 'MAILING_UNSUBSCRIBED' };

const DEAL_KIND: Record<string, TimelineKind> = { [DEAL_CREATED]: 'DEAL_CREATED', [DEAL_STAGE_MOVED]: 'DEAL_STAGE_MOVED', [DEAL_WON]: 'DEAL_WON', [DEAL_LOST]: 'DEAL_LOST' };

/** The projection's handler of each topic (malformed payloads are parked by the consumer, as everywhere). */
const APPLY: Record<string, EventHandler> = {
  [DOCUMENT_SIGNED]: async (event, em) => {
    const signed = parseOrPark(documentSignedContract, event);
    const title = documentTitle(signed.number, signed.title);
    await learn(em, { type: 'DOCUMENT', id: signed.documentId }, [signed.counterpartyId], title);
    await insertTimelineRows(em, [
      row(event, {
        counterpartyId: signed.counterpartyId,
        occurredAt: dateOr(signed.signedAt, event.occurredAt),
        kind: 'DOCUMENT_SIGNED',
        actorId: signed.signedById,
        subjectType: 'DOCUMENT',
        subjectId: signed.documentId,
        subjectTitle: title,
        summary: { documentType: signed.documentType, number: signed.number, status: signed.status, amountMinor: signed.amountMinor, currency: signed.currency, dealId: signed.dealId },
      }),
    ]);
  },
  [DOCUMENT_CREATED]: async (event, em) => {
    const news = parseOrPark(dealDocumentNewsContract, event);
    await placeVia(em, event, { type: 'DEAL', id: news.dealId }, (counterpartyId) => ({
      ...row(event, { counterpartyId, occurredAt: event.occurredAt, kind: 'DOCUMENT_CREATED', actorId: null, subjectType: 'DOCUMENT', subjectId: news.documentId, subjectTitle: null, summary: { documentType: news.documentType, status: news.status, dealId: news.dealId } }),
      eventId: derivedEntryId(`document-created:${news.documentId}`),
    }));
    const known = await counterpartiesOf(em, { type: 'DEAL', id: news.dealId });
    if (known) await learn(em, { type: 'DOCUMENT', id: news.documentId }, known.ids, null);
  },
  // Status changes of every document come with `documents.document.activity`; of deals' answers only a refused
  // approval request (which no document's audit tells) is shown from here.
  [DOCUMENT_STATUS_CHANGED]: async (event, em) => {
    const news = parseOrPark(dealDocumentNewsContract, event);
    if (!news.error) return;
    await placeVia(em, event, { type: 'DEAL', id: news.dealId }, (counterpartyId) =>
      row(event, { counterpartyId, occurredAt: event.occurredAt, kind: 'DOCUMENT_STATUS', actorId: null, subjectType: 'DOCUMENT', subjectId: news.documentId, subjectTitle: null, summary: { documentType: news.documentType, status: news.status, error: news.error, dealId: news.dealId } }),
    );
  },
  [DOCUMENT_ACTIVITY]: async (event, em) => {
    const activity = parseOrPark(documentActivityContract, event);
    const title = documentTitle(activity.number, activity.title);
    await learn(em, { type: 'DOCUMENT', id: activity.documentId }, [activity.counterpartyId], title);
    const kind: TimelineKind =
      activity.action === 'CREATED' ? 'DOCUMENT_CREATED' : activity.action === 'STEP_APPROVED' || (activity.action === 'STATUS_CHANGED' && activity.status === 'APPROVED') ? 'DOCUMENT_APPROVED' : 'DOCUMENT_STATUS';
    const entry = row(event, {
      counterpartyId: activity.counterpartyId,
      occurredAt: dateOr(activity.occurredAt, event.occurredAt),
      kind,
      actorId: activity.actorId,
      subjectType: 'DOCUMENT',
      subjectId: activity.documentId,
      subjectTitle: title,
      summary: { documentType: activity.documentType, number: activity.number, action: activity.action, status: activity.status, fromStatus: activity.fromStatus, comment: activity.comment?.slice(0, 300) ?? null, dealId: activity.dealId },
    });
    await insertTimelineRows(em, [activity.action === 'CREATED' ? { ...entry, eventId: derivedEntryId(`document-created:${activity.documentId}`) } : entry]);
  },
  ...Object.fromEntries(
    Object.keys(DEAL_KIND).map((topic): [string, EventHandler] => [
      topic,
      async (event, em) => {
        const deal = parseOrPark(dealLifecycleContract, event);
        await learn(em, { type: 'DEAL', id: deal.dealId }, [deal.counterpartyId], deal.title);
        await insertTimelineRows(em, [
          row(event, {
            counterpartyId: deal.counterpartyId,
            occurredAt: dateOr(deal.occurredAt, event.occurredAt),
            kind: DEAL_KIND[event.topic],
            actorId: deal.actorId,
            subjectType: 'DEAL',
            subjectId: deal.dealId,
            subjectTitle: deal.title,
            summary: { stageKey: deal.stageKey, stageName: deal.stageName, fromStageKey: deal.fromStageKey, fromStageName: deal.fromStageName, status: deal.status, amountMinor: deal.amountMinor, currency: deal.currency, closeReason: deal.closeReason },
          }),
        ]);
      },
    ]),
  ),
  [TASK_CREATED]: async (event, em) => {
    const task = parseOrPark(taskCreatedContract, event);
    const entry = (counterpartyId: string) =>
      row(event, {
        counterpartyId,
        occurredAt: dateOr(task.createdAt, event.occurredAt),
        kind: 'TASK_CREATED',
        actorId: task.createdById,
        subjectType: 'TASK',
        subjectId: task.taskId,
        subjectTitle: task.title,
        summary: { assigneeId: task.assigneeId, dueAt: task.dueAt, priority: task.priority, dealId: task.dealId, projectId: task.projectId, documentId: task.documentId },
      });
    if (task.counterpartyId) {
      await learn(em, { type: 'TASK', id: task.taskId }, [task.counterpartyId], task.title);
      await insertTimelineRows(em, [entry(task.counterpartyId)]);
      return;
    }
    // Linked to a deal, project or document only: placed through it (parked until it is known).
    const via: Ref | null = task.dealId ? { type: 'DEAL', id: task.dealId } : task.documentId ? { type: 'DOCUMENT', id: task.documentId } : task.projectId ? { type: 'PROJECT', id: task.projectId } : null;
    if (!via) {
      await learn(em, { type: 'TASK', id: task.taskId }, [], task.title);
      return;
    }
    const known = await counterpartiesOf(em, via);
    if (!known) {
      await park(em, event, via, `${via.type.toLowerCase()} ${via.id} of task ${task.taskId} is not known to the timeline yet`);
      return;
    }
    await learn(em, { type: 'TASK', id: task.taskId }, known.ids, task.title);
    await insertTimelineRows(em, known.ids.map(entry));
  },
  [TASK_COMPLETED]: async (event, em) => {
    const done = parseOrPark(taskCompletedContract, event);
    await placeVia(em, event, { type: 'TASK', id: done.taskId }, (counterpartyId, title) =>
      row(event, { counterpartyId, occurredAt: dateOr(done.completedAt, event.occurredAt), kind: 'TASK_COMPLETED', actorId: done.completedById, subjectType: 'TASK', subjectId: done.taskId, subjectTitle: title, summary: { status: done.status } }),
    );
  },
  ...Object.fromEntries(
    [PROJECT_CREATED, PROJECT_CHANGED].map((topic): [string, EventHandler] => [
      topic,
      async (event, em) => {
        const project = parseOrPark(projectNewsContract, event);
        await learn(em, { type: 'PROJECT', id: project.projectId }, project.counterpartyIds, project.name);
        await insertTimelineRows(
          em,
          project.counterpartyIds.map((counterpartyId) =>
            row(event, {
              counterpartyId,
              occurredAt: dateOr(project.occurredAt, event.occurredAt),
              kind: topic === PROJECT_CREATED ? 'PROJECT_CREATED' : 'PROJECT_CHANGED',
              actorId: project.actorId,
              subjectType: 'PROJECT',
              subjectId: project.projectId,
              subjectTitle: project.name,
              summary: { status: project.status, changedFields: project.changedFields },
            }),
          ),
        );
      },
    ]),
  ),
  // A mailing recipient's delivery outcome (mailings): one entry per status reached; QUEUED is not news.
  [MAILING_RECIPIENT_STATUS_CHANGED]: async (event, em) => {
    const news = parseOrPark(mailingRecipientStatusContract, event);
    const kind = MAILING_KIND[news.status];
    if (!kind) return;
    await insertTimelineRows(em, [
      row(event, {
        counterpartyId: news.counterpartyId,
        occurredAt: dateOr(news.at, event.occurredAt),
        kind,
        actorId: null,
        subjectType: 'MAILING',
        subjectId: news.mailingId,
        subjectTitle: news.mailingName || null,
        summary: { recipientId: news.recipientId, contactId: news.contactId, contactName: news.contactName, status: news.status, bounceKind: news.bounceKind },
      }),
    ]);
  },
  [PAYMENT_RECEIVED]: async (event, em) => {
    const payment = parseOrPark(paymentReceivedContract, event);
    await insertTimelineRows(em, [
      row(event, {
        counterpartyId: payment.counterpartyId,
        occurredAt: dateOr(payment.matchedAt, event.occurredAt),
        kind: 'PAYMENT_RECEIVED',
        actorId: payment.matchedById,
        subjectType: 'PAYMENT',
        subjectId: payment.paymentId,
        subjectTitle: payment.number ? `№ ${payment.number}` : null,
        summary: { direction: payment.direction, amountMinor: payment.amountMinor, currency: payment.currency, date: payment.date, purpose: payment.purpose?.slice(0, 300) ?? null, invoiceId: payment.invoiceId, contractId: payment.contractId },
      }),
    ]);
  },
};

/** Applies one event to the projection (whatever its topic among the timeline's). */
export async function applyTimelineEvent(em: EntityManager, event: BusEvent): Promise<void> {
  const handler = APPLY[event.topic];
  if (handler) await handler(event, em);
}

/** The `counterparties` consumer's handlers of the timeline's topics. */
export function timelineHandlers(): EventHandlers {
  return Object.fromEntries(Object.keys(APPLY).map((topic) => [topic, (event: BusEvent, em: EntityManager) => applyTimelineEvent(em, event)]));
}

/**
 * Empties what the projection built from events (keeps the counterparty's own entries, written with its changes)
 * and re-derives the own entries from `counterparty_changes`: the `reset` of `events rebuild-timeline`, which then
 * replays the bus's history.
 */
export async function resetTimeline(em: EntityManager): Promise<void> {
  await em.execute(`delete from timeline_entries where source <> 'counterparties'`);
  await em.execute('delete from timeline_refs');
  await em.execute('delete from timeline_pending');
  await em.execute(OWN_HISTORY_BACKFILL_SQL);
}

/** The counterparty's own history as timeline entries (id = the history entry's id); idempotent. */
export const OWN_HISTORY_BACKFILL_SQL = `insert into timeline_entries (event_id, counterparty_id, occurred_at, kind, actor_id, subject_type, subject_id, subject_title, summary, source)
  select c.id, c.counterparty_id, c.at, 'REQUISITES_CHANGED', case when c.actor_kind = 'user' then c.actor_id end, 'COUNTERPARTY', c.counterparty_id, null,
    jsonb_build_object('action', c.action, 'fields', coalesce((select jsonb_agg(x->>'field') from jsonb_array_elements(c.changes) x), '[]'::jsonb), 'actorName', c.actor_name),
    'counterparties'
  from counterparty_changes c on conflict do nothing`;
