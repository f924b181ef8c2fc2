/**
 * Projects and general tasks of the deals microfrontend, single-spa applications exported by name from its module:
 * `projectPages` (/projects, /projects/new, /projects/:id), `taskPages` (/tasks/new, /tasks/:id), `myTasks` (the
 * deals part of /tasks) and `myDay` (the deals part of the home page). Their pages are lazy chunks.
 */
import singleSpaVue from 'single-spa-vue';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { addTypePolicies, connectionFieldPolicy } from '@kartoteka/portal-api';
import { portalAppOptions } from '@kartoteka/portal-api/vue';
import { PROJECT_LIST_KEY_ARGS } from '../api/project.queries';
import { i18n } from '../i18n';
import MyDayRoot from './MyDayRoot.vue';
import MyTasksRoot from './MyTasksRoot.vue';
import ProjectPagesRoot from './ProjectPagesRoot.vue';
import TaskPagesRoot from './TaskPagesRoot.vue';
import './work.css';

// "Load more" appends pages; other filters (and My day's due windows) are other lists.
addTypePolicies({
  Query: {
    fields: {
      projects: connectionFieldPolicy(PROJECT_LIST_KEY_ARGS),
      myTasks: connectionFieldPolicy(['status', 'dueBefore', 'dueAfter']),
    },
  },
});

export const projectPages = singleSpaVue(portalAppOptions(ProjectPagesRoot, { i18n, apolloClientKey: DefaultApolloClient }));
export const taskPages = singleSpaVue(portalAppOptions(TaskPagesRoot, { i18n, apolloClientKey: DefaultApolloClient }));
export const myTasks = singleSpaVue(portalAppOptions(MyTasksRoot, { i18n, apolloClientKey: DefaultApolloClient }));
export const myDay = singleSpaVue(portalAppOptions(MyDayRoot, { i18n, apolloClientKey: DefaultApolloClient }));
