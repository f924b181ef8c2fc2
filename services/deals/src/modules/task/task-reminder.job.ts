import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { type Logger, publishEvent, scheduledJob, type ScheduledJob, TASK_DUE_SOON, TASK_OVERDUE, type TaskReminder } from '@kartoteka/kit';

/** Tasks announced per statement: each round claims a batch (keyset-free: claimed rows leave the candidate set). */
export const TASK_REMINDER_BATCH_SIZE = 500;
/** The default lead time of the due-soon reminder: one day before the due time. */
export const DEFAULT_TASK_REMINDER_LEAD_MS = 86_400_000;

export type TaskReminderRunResult = { dueSoon: number; overdue: number };

type ClaimedRow = {
  id: string;
  title: string;
  assignee_id: string;
  due_at: Date;
  priority: TaskReminder['priority'];
  counterparty_id: string | null;
  document_id: string | null;
  deal_id: string | null;
  project_id: string | null;
};

const OPEN = `t.status in ('OPEN', 'IN_PROGRESS') and t.assignee_id is not null and t.due_at is not null`;

/**
 * Marks up to `limit` tasks as announced for their current due time and returns them, in one statement. A task
 * is a candidate while its marker differs from its due time, so each reminder goes out once per task and due
 * time, however often the job runs and on however many replicas (the job's advisory lock serializes runs; a
 * rolled-back run marks nothing).
 */
async function claim(em: EntityManager, kind: 'due-soon' | 'overdue', now: Date, leadMs: number, limit: number): Promise<ClaimedRow[]> {
  const marker = kind === 'due-soon' ? 'due_soon_notified_for' : 'overdue_notified_for';
  const window =
    kind === 'due-soon'
      ? `t.due_at > ?::timestamptz and t.due_at <= ?::timestamptz`
      : `t.due_at <= ?::timestamptz`;
  const params = kind === 'due-soon' ? [now, new Date(now.getTime() + leadMs)] : [now];
  return em.execute<ClaimedRow[]>(
    `update tasks u set ${marker} = u.due_at
       from (select t.id from tasks t where ${OPEN} and ${window} and t.${marker} is distinct from t.due_at order by t.due_at, t.id limit ? for update) c
      where u.id = c.id
      returning u.id, u.title, u.assignee_id, u.due_at, u.priority, u.counterparty_id, u.document_id, u.deal_id, u.project_id`,
    [...params, limit],
  );
}

function reminderOf(row: ClaimedRow): TaskReminder {
  return {
    taskId: row.id,
    title: row.title,
    assigneeId: row.assignee_id,
    dueAt: new Date(row.due_at).toISOString(),
    priority: row.priority,
    counterpartyId: row.counterparty_id,
    documentId: row.document_id,
    dealId: row.deal_id,
    projectId: row.project_id,
  };
}

/**
 * One run of the reminder job, inside the caller's transaction: tasks whose due time is within the lead time get
 * `deals.task.due-soon`, tasks past it `deals.task.overdue` (a task first seen already overdue gets only the
 * overdue notice), published through the outbox in the same transaction as the markers.
 */
export async function runTaskReminders(em: EntityManager, now: Date, options: { leadMs?: number; batchSize?: number } = {}): Promise<TaskReminderRunResult> {
  const leadMs = Math.max(0, options.leadMs ?? DEFAULT_TASK_REMINDER_LEAD_MS);
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? TASK_REMINDER_BATCH_SIZE));
  const result: TaskReminderRunResult = { dueSoon: 0, overdue: 0 };
  for (const [kind, topic] of [['overdue', TASK_OVERDUE], ['due-soon', TASK_DUE_SOON]] as const) {
    for (;;) {
      const rows = await claim(em, kind, now, leadMs, batchSize);
      for (const row of rows) await publishEvent(em, topic, reminderOf(row));
      if (kind === 'overdue') result.overdue += rows.length;
      else result.dueSoon += rows.length;
      if (rows.length < batchSize) break;
    }
  }
  return result;
}

export type TaskReminderJobOptions = { orm: MikroORM; logger: Logger; intervalMs: number; leadMs?: number; now?: () => Date; batchSize?: number };

/**
 * The reminder job as a kit scheduled job: every `intervalMs`, on one replica at a time (advisory lock), in one
 * transaction. `runOnce` runs it now (tests, with a controlled clock through `now`); `lastResult` tells what it did.
 */
export function taskReminderJob(options: TaskReminderJobOptions): ScheduledJob<TaskReminderRunResult> {
  return scheduledJob({
    name: 'deals:task-reminders',
    intervalMs: options.intervalMs,
    initialDelayMs: Math.min(options.intervalMs, 30_000),
    orm: options.orm,
    logger: options.logger,
    now: options.now,
    run: (em, now) => runTaskReminders(em, now, { leadMs: options.leadMs, batchSize: options.batchSize }),
    reportOf: (result) => (result.dueSoon || result.overdue ? 'task reminders announced' : null),
  });
}
