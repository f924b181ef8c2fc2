import type { NotificationFieldsFragment, NotificationKind } from './__generated__/notification';

/**
 * The in-app inbox of the current user and the e-mail preferences per kind. The documents are in
 * notification.graphql; their types and typed document nodes are generated from the supergraph (`pnpm codegen`).
 */
export {
  UnreadNotificationCountDocument as UNREAD_NOTIFICATION_COUNT,
  /** The bell's dropdown (a separate operation, so the inbox tab pages independently). */
  LatestNotificationsDocument as LATEST_NOTIFICATIONS,
  NotificationInboxDocument as NOTIFICATIONS,
  MarkNotificationsReadDocument as MARK_NOTIFICATIONS_READ,
  NotificationPreferencesDocument as NOTIFICATION_PREFERENCES,
  UpdateNotificationPreferenceDocument as UPDATE_NOTIFICATION_PREFERENCE,
} from './__generated__/notification';
export type { NotificationKind };

/**
 * The kinds about documents, in the order the preferences list them: each has its sentence (`notify.kind.*`) and
 * an e-mail switch. The task reminders of the deals app (TASK_DUE_SOON, TASK_OVERDUE) have sentences of their own.
 */
export const NOTIFICATION_KINDS = [
  'APPROVAL_TASK',
  'REWORK_NEEDED',
  'ACKNOWLEDGEMENT_REQUESTED',
  'DEADLINE_PASSED',
  'DOCUMENT_SIGNED',
  'DECISION_MADE',
  'PAYMENT_OVERDUE',
] as const satisfies readonly NotificationKind[];

export type DocumentNotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A kind with a document sentence; a kind the server added after this version of the portal is not one. */
export const isDocumentNotificationKind = (value: string): value is DocumentNotificationKind => (NOTIFICATION_KINDS as readonly string[]).includes(value);

export type NotificationItem = NotificationFieldsFragment;

/** The bell's list: the latest few. */
export const BELL_PAGE_SIZE = 8;
/** The inbox tab of "My tasks". */
export const INBOX_PAGE_SIZE = 30;

/** Operation names of the inbox queries (refetched when a notification arrives). */
export const NOTIFICATION_QUERY_NAMES = ['UnreadNotificationCount', 'LatestNotifications', 'NotificationInbox'] as const;
