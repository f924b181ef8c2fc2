import { useMutation } from '@vue/apollo-composable';
import type { ApolloCache } from '@apollo/client/core';
import { navigate, scheduleLiveRefetch } from '@kartoteka/portal-api';
import {
  MARK_NOTIFICATIONS_READ,
  type MarkNotificationsReadData,
  type MarkNotificationsReadVars,
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

/** Marking notifications read (the badge and lists follow at once) and opening a notification's document. */
export const useNotificationActions = () => {
  const mutation = useMutation<MarkNotificationsReadData, MarkNotificationsReadVars>(MARK_NOTIFICATIONS_READ);

  const markRead = async (ids: readonly string[] | 'all'): Promise<boolean> => {
    try {
      await mutation.mutate(ids === 'all' ? { input: { all: true } } : { input: { ids: [...ids] } }, {
        update: (cache, result) => markReadInCache(cache, ids, result.data?.markNotificationsRead ?? 0),
      });
      // Other lists of the inbox (e.g. "unread only") refetch.
      scheduleLiveRefetch('notification');
      return true;
    } catch {
      return false;
    }
  };

  /** Opens the document of a notification and marks it read (without waiting for the answer). */
  const open = (item: NotificationItem): void => {
    if (item.readAt === null) void markRead([item.id]);
    navigate(portalPaths.document(item.documentId));
  };

  return { markRead, open, marking: mutation.loading };
};
