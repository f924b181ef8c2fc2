/**
 * The documents microfrontend: the documents panel of the counterparty card. An ES module exporting
 * the single-spa lifecycles; shared libraries and the portal API come from the import map.
 */
import singleSpaVue from 'single-spa-vue';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { addTypePolicies, connectionFieldPolicy } from '@kartoteka/portal-api';
import { defineCardPanelApp, portalAppOptions } from '@kartoteka/portal-api/vue';
import DocumentsPanel from './components/DocumentsPanel.vue';
import { i18n } from './i18n';

addTypePolicies({
  Counterparty: { fields: { documents: connectionFieldPolicy() } },
});

const App = defineCardPanelApp(DocumentsPanel);

export const { bootstrap, mount, unmount } = singleSpaVue(portalAppOptions(App, { i18n, apolloClientKey: DefaultApolloClient }));

// "My tasks" (/tasks) and the notifications bell (layout header): applications of their own in this
// module, registered by the root config under `@kartoteka/documents#tasksPage` / `#notificationBell`.
export { notificationBell, tasksPage } from './tasks/apps';

// The EDMS pages (registry, document, form, route templates): an application of its own, registered by
// the root config under `@kartoteka/documents#documentPages`.
export { documentPages } from './pages/apps';

// "My day" on the home page (documents waiting for my decision or acknowledgement): registered by the root
// config under `@kartoteka/documents#myDay`.
export { myDay } from './workplace/apps';
