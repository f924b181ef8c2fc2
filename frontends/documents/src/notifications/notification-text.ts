import { formatDateTime, type Locale } from '@kartoteka/portal-api';
import { isDocumentNotificationKind, type NotificationItem } from '../api/notification.queries';

type Translate = (key: string, named?: Record<string, unknown>) => string;

/** Reminders of general tasks (from deals): their sentence names the task. */
const TASK_KINDS: Partial<Record<string, string>> = { TASK_DUE_SOON: 'work.taskDueSoon', TASK_OVERDUE: 'work.taskOverdue' };

/** What a notification says in the UI language: a headline and its details (number, comment, deadline). */
export type NotificationText = { headline: string; details: string[] };

/**
 * The text of a notification, built from the values the service copied when it wrote it (the document
 * may have changed since): the kind's sentence with the title (and who did it, when known), then the
 * registration number, the comment and the deadline.
 */
export const notificationText = (t: Translate, locale: Locale, item: NotificationItem): NotificationText => {
  const named = { title: item.documentTitle, actor: item.actorName ?? '' };
  // A task's reminder names the task; a kind this version of the portal does not know yet: the title says enough.
  const headline = TASK_KINDS[item.kind]
    ? t(TASK_KINDS[item.kind] as string, named)
    : !isDocumentNotificationKind(item.kind)
    ? item.documentTitle
    : item.actorName
      ? t(`notify.actorKind.${item.kind}`, named)
      : t(`notify.kind.${item.kind}`, named);
  const details: string[] = [];
  if (item.documentNumber) details.push(t('notify.number', { number: item.documentNumber }));
  if (item.comment) details.push(t('notify.comment', { comment: item.comment }));
  if (item.dueAt) details.push(t('notify.due', { date: formatDateTime(item.dueAt, locale) }));
  return { headline, details };
};
