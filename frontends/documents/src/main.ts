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
