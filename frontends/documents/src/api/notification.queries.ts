import { gql } from '@apollo/client/core';
import { connectionSelection, type Connection } from '@kartoteka/portal-api';

/** The in-app inbox of the current user and the e-mail preferences per kind. */

export const NOTIFICATION_KINDS = [
  'APPROVAL_TASK',
  'REWORK_NEEDED',
  'ACKNOWLEDGEMENT_REQUESTED',
  'DEADLINE_PASSED',
  'DOCUMENT_SIGNED',
  'DECISION_MADE',
  'PAYMENT_OVERDUE',
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const isNotificationKind = (value: string): value is NotificationKind => (NOTIFICATION_KINDS as readonly string[]).includes(value);

export type NotificationItem = {
  id: string;
  kind: NotificationKind;
  /** Null for the reminder of a task that is not about a document. */
  documentId: string | null;
  /** TASK_DUE_SOON / TASK_OVERDUE: the task the reminder opens (`/tasks/:taskId`). */
  taskId: string | null;
  documentTitle: string;
  documentNumber: string | null;
  actorName: string | null;
  comment: string | null;
  dueAt: string | null;
  createdAt: string;
  readAt: string | null;
  /** When the work behind it was done (step decided, version acknowledged, task completed): it then counts as read. */
  handledAt: string | null;
};

/** The bell's list: the latest few. */
export const BELL_PAGE_SIZE = 8;
/** The inbox tab of "My tasks". */
export const INBOX_PAGE_SIZE = 30;

const NOTIFICATION_FIELDS = gql`
  fragment NotificationFields on Notification {
    id
    kind
    documentId
    taskId
    documentTitle
    documentNumber
    actorName
    comment
    dueAt
    createdAt
    readAt
    handledAt
  }
`;

export const UNREAD_NOTIFICATION_COUNT = gql`
  query UnreadNotificationCount {
    unreadNotificationCount
  }
`;

export type UnreadNotificationCountData = { unreadNotificationCount: number };

/** The bell's dropdown (a separate operation, so the inbox tab pages independently). */
export const LATEST_NOTIFICATIONS = gql`
  query LatestNotifications($first: Int!) {
    notifications(first: $first) {
      ${connectionSelection(NOTIFICATION_FIELDS)}
    }
  }
  ${NOTIFICATION_FIELDS}
`;

export const NOTIFICATIONS = gql`
  query Notifications($unreadOnly: Boolean, $first: Int!, $after: String) {
    notifications(unreadOnly: $unreadOnly, first: $first, after: $after) {
      ${connectionSelection(NOTIFICATION_FIELDS)}
    }
  }
  ${NOTIFICATION_FIELDS}
`;

export type NotificationsData = { notifications: Connection<NotificationItem> };
export type NotificationsVars = { unreadOnly?: boolean | null; first: number; after?: string | null };

export const MARK_NOTIFICATIONS_READ = gql`
  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {
    markNotificationsRead(input: $input)
  }
`;

export type MarkNotificationsReadData = { markNotificationsRead: number };
export type MarkNotificationsReadVars = { input: { ids?: string[] | null; all?: boolean | null } };

export type NotificationPreference = { kind: NotificationKind; emailMuted: boolean };

export const NOTIFICATION_PREFERENCES = gql`
  query NotificationPreferences {
    notificationPreferences {
      kind
      emailMuted
    }
  }
`;

export type NotificationPreferencesData = { notificationPreferences: NotificationPreference[] };

export const UPDATE_NOTIFICATION_PREFERENCE = gql`
  mutation UpdateNotificationPreference($input: UpdateNotificationPreferenceInput!) {
    updateNotificationPreference(input: $input) {
      kind
      emailMuted
    }
  }
`;

export type UpdateNotificationPreferenceData = { updateNotificationPreference: NotificationPreference };
export type UpdateNotificationPreferenceVars = { input: NotificationPreference };

/** Operation names of the inbox queries (refetched when a notification arrives). */
export const NOTIFICATION_QUERY_NAMES = ['UnreadNotificationCount', 'LatestNotifications', 'Notifications'] as const;
