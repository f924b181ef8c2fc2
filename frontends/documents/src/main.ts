/**
 * The documents microfrontend: the documents panel of the counterparty card. An ES module exporting
 * the single-spa lifecycles; shared libraries and the portal API come from the import map.
 */
import { createApp, h } from 'vue';
import singleSpaVue from 'single-spa-vue';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { addTypePolicies, apolloClient, connectionFieldPolicy } from '@kartoteka/portal-api';
import App from './App.vue';
import { i18n } from './i18n';

addTypePolicies({
  Counterparty: { fields: { documents: connectionFieldPolicy() } },
});

const lifecycles = singleSpaVue({
  createApp,
  appOptions: {
    render: () => h(App),
  },
  handleInstance: (app: ReturnType<typeof createApp>) => {
    app.use(i18n);
    app.provide(DefaultApolloClient, apolloClient);
  },
});

export const { bootstrap, mount, unmount } = lifecycles;
