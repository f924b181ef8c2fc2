import type { EntityManager } from '@mikro-orm/postgresql';
import { type EventHandlers, parseOrPark, TASK_COMPLETED, TASK_DUE_SOON, TASK_OVERDUE, taskCompletedContract, type TaskReminder, taskReminderContract } from '@kartoteka/kit';
import { Document } from '../document/document.entity';
import type { NotificationKind } from './notification.entity';
import { NotificationService } from './notification.service';

/** A notification of this task, kind and due time was already written (an event published again). */
async function alreadyNotified(em: EntityManager, kind: NotificationKind, reminder: TaskReminder): Promise<boolean> {
  const rows = await em.execute<{ found: number }[]>(
    `select 1 as found from notifications where task_id = ? and kind = ? and user_id = ? and params->'task'->>'dueAt' = ? limit 1`,
    [reminder.taskId, kind, reminder.assigneeId, reminder.dueAt],
  );
  return rows.length > 0;
}

function remind(kind: NotificationKind): EventHandlers[string] {
  return async (event, em) => {
    const reminder = parseOrPark(taskReminderContract, event);
    await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`task-reminder:${reminder.taskId}`]);
    if (await alreadyNotified(em, kind, reminder)) return;
    // the link to a document only when it exists here (deals may know a document id this service has dropped)
    const document = reminder.documentId ? await em.findOne(Document, { id: reminder.documentId }, { fields: ['id'] }) : null;
    await new NotificationService(em).notify({
      userIds: [reminder.assigneeId],
      kind,
      documentId: document?.id ?? null,
      documentTitle: reminder.title,
      documentNumber: null,
      dueAt: new Date(reminder.dueAt),
      task: {
        taskId: reminder.taskId,
        title: reminder.title,
        dueAt: reminder.dueAt,
        priority: reminder.priority,
        counterpartyId: reminder.counterpartyId,
        dealId: reminder.dealId,
        projectId: reminder.projectId,
      },
    });
  };
}

/**
 * deals' task reminders → TASK_DUE_SOON / TASK_OVERDUE notifications of the assignee (in-app, and e-mail unless
 * muted), exactly as finance's overdue obligations become PAYMENT_OVERDUE (payment-overdue.consumer.ts); and
 * `deals.task.completed` → the task's notifications count as handled (and read). Idempotent: the inbox drops a
 * redelivered event, and the same task, kind and due time writes one notification. A reminder never arrives after
 * its task's completion: deals writes both through one outbox, and its job and the completion serialize on the
 * task's row (the job skips a task no longer open), so the completion is always the later event.
 */
export const taskReminderHandlers: EventHandlers = {
  [TASK_DUE_SOON]: remind('TASK_DUE_SOON'),
  [TASK_OVERDUE]: remind('TASK_OVERDUE'),
  [TASK_COMPLETED]: async (event, em) => {
    const completed = parseOrPark(taskCompletedContract, event);
    await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`task-reminder:${completed.taskId}`]);
    await new NotificationService(em).taskHandled(completed.taskId, new Date(completed.completedAt));
  },
};
