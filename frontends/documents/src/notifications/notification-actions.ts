import { useMutation } from '@vue/apollo-composable';
import type { ApolloCache } from '@apollo/client/core';
import { emitPortalEvent, navigate, scheduleLiveRefetch } from '@kartoteka/portal-api';
import {
  MARK_NOTIFICATIONS_READ,
  type NotificationItem,
} from '../api/notification.queries';
import { portalPaths } from '../tasks/paths';

const markReadInCache = (cache: ApolloCache<unknown>, ids: readonly string[] | 'all', nowRead: number): void => {
  const readAt = new Date().toISOString();
  if (ids !== 'all') {
    for (const id of ids) {
      cache.modify({ id: cache.identify({ __typename: 'Notification', id }), fields: { readAt: (current: string | null) => current ?? readAt } });
    }
  }
  cache.modify({
    fields: {
      unreadNotificationCount: (current: number) => (ids === 'all' ? 0 : Math.max(0, current - nowRead)),
    },
  });
};

/** Where a notification leads: its document; a task's reminder without one, the task (`/tasks/:taskId`). */
export const notificationPath = (item: Pick<NotificationItem, 'documentId' | 'taskId'>): string => {
  if (item.documentId) return portalPaths.document(item.documentId);
  if (item.taskId) return portalPaths.task(item.taskId);
  return portalPaths.inbox;
};

/** Marking notifications read (the badge and lists follow at once) and opening a notification's document. */
export const useNotificationActions = () => {
  const mutation = useMutation(MARK_NOTIFICATIONS_READ);

  const markRead = async (ids: readonly string[] | 'all'): Promise<boolean> => {
    try {
      await mutation.mutate(ids === 'all' ? { input: { all: true } } : { input: { ids: [...ids] } }, {
        update: (cache, result) => markReadInCache(cache, ids, result.data?.markNotificationsRead ?? 0),
      });
      // Other lists of the inbox (e.g. "unread only") refetch; the navigation counts too. Other tabs hear it from
      // the server (`notifications-read` on the live stream).
      scheduleLiveRefetch('notification');
      emitPortalEvent('kartoteka:work-changed', { source: 'documents' });
      return true;
    } catch {
      return false;
    }
  };

  /** Opens what a notification is about — its document, else its task — and marks it read (without waiting for the answer). */
  const open = (item: NotificationItem): void => {
    if (item.readAt === null) void markRead([item.id]);
    navigate(notificationPath(item));
  };

  return { markRead, open, marking: mutation.loading };
};
