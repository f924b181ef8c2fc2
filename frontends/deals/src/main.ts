/**
 * The deals microfrontend: the deals panel of the counterparty card. An ES module exporting
 * the single-spa lifecycles; shared libraries and the portal API come from the import map.
 */
import singleSpaVue from 'single-spa-vue';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { addTypePolicies, connectionFieldPolicy } from '@kartoteka/portal-api';
import { defineCardPanelApp, portalAppOptions } from '@kartoteka/portal-api/vue';
import DealsPanel from './components/DealsPanel.vue';
import { i18n } from './i18n';

addTypePolicies({
  Counterparty: { fields: { deals: connectionFieldPolicy() } },
});

const App = defineCardPanelApp(DealsPanel);

export const { bootstrap, mount, unmount } = singleSpaVue(portalAppOptions(App, { i18n, apolloClientKey: DefaultApolloClient }));

// The sales funnel pages (list, kanban board, analytics): an application of its own, registered by the
// root config under `@kartoteka/deals#funnelPages`.
export { funnelPages } from './funnel/apps';

// The deal pages (case template designer, new deal form, deal page): an application of its own, registered
// by the root config under `@kartoteka/deals#dealPages`.
export { dealPages } from './pages/apps';

// Projects and general tasks: the projects pages, the task pages, the deals part of "My tasks" (/tasks) and of
// "My day" (home), registered by the root config as `@kartoteka/deals#projectPages`, `#taskPages`, `#myTasks`, `#myDay`.
export { myDay, myTasks, projectPages, taskPages } from './work/apps';
