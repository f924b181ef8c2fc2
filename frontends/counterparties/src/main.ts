/**
 * The counterparties microfrontend: list, create/edit form and the header of the counterparty card.
 * An ES module exporting the single-spa lifecycles; vue, naive-ui, Apollo and the portal API come
 * from the import map.
 */
import singleSpaVue from 'single-spa-vue';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { addTypePolicies, connectionFieldPolicy } from '@kartoteka/portal-api';
import { portalAppOptions } from '@kartoteka/portal-api/vue';
import App from './App.vue';
import { i18n } from './i18n';

// Paging of the lists this app owns: "load more" appends, a new search replaces.
addTypePolicies({
  Query: {
    fields: {
      counterparties: connectionFieldPolicy(['search', 'status', 'minRating', 'ratingGrades', 'sort', 'direction']),
      users: connectionFieldPolicy(['search']),
    },
  },
  Counterparty: {
    fields: {
      history: connectionFieldPolicy(),
    },
  },
});

export const { bootstrap, mount, unmount } = singleSpaVue(portalAppOptions(App, { i18n, apolloClientKey: DefaultApolloClient }));

// "Recently opened counterparties" on My day (home): an application of its own in this module, registered by the
// root config under `@kartoteka/counterparties#recent`.
export { recent } from './recent/apps';
