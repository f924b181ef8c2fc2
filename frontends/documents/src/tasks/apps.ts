/**
 * The documents microfrontend's other single-spa applications, exported by name from its module next to
 * the card panel's lifecycles: "My tasks" (`tasksPage`, the /tasks route) and the notifications bell
 * (`notificationBell`, in the layout header on every page). The root config registers each one.
 */
import { defineAsyncComponent, defineComponent, h } from 'vue';
import singleSpaVue from 'single-spa-vue';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { addTypePolicies, connectionFieldPolicy, refetchOnLiveUpdates } from '@kartoteka/portal-api';
import { PortalAppShell, portalAppOptions } from '@kartoteka/portal-api/vue';
import { NOTIFICATION_QUERY_NAMES } from '../api/notification.queries';
import { TASK_QUERY_NAMES } from '../api/tasks.queries';
import { i18n } from '../i18n';
import NotificationBell from '../notifications/NotificationBell.vue';

/** "My tasks" is a chunk of its own, loaded on its first visit: the bell and the card do not carry it. */
const TasksPage = defineAsyncComponent(() => import('./TasksPage.vue'));

addTypePolicies({
  Query: {
    fields: {
      myApprovalTasks: connectionFieldPolicy(),
      myAcknowledgementTasks: connectionFieldPolicy(),
      notifications: connectionFieldPolicy(['unreadOnly']),
    },
  },
  // One preference per kind: a saved switch updates the cached list by itself.
  NotificationPreference: { keyFields: ['kind'] },
});

// Live updates (portal-api `startLiveUpdates`) refetch these while they are on screen.
refetchOnLiveUpdates(NOTIFICATION_QUERY_NAMES, ['notification']);
refetchOnLiveUpdates([...TASK_QUERY_NAMES, 'CounterpartyDocuments'], ['notification', 'document']);

const shell = (name: string, page: Parameters<typeof h>[0], className: string) =>
  defineComponent({
    name,
    setup: () => () => h(PortalAppShell, { class: className }, { default: () => h(page) }),
  });

export const tasksPage = singleSpaVue(
  portalAppOptions(shell('TasksApp', TasksPage, 'tk-app'), { i18n, apolloClientKey: DefaultApolloClient }),
);

export const notificationBell = singleSpaVue(
  portalAppOptions(shell('NotificationBellApp', NotificationBell, 'tk-bell-app'), { i18n, apolloClientKey: DefaultApolloClient }),
);
