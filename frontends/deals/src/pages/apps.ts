/**
 * The deal pages of the deals microfrontend, a single-spa application exported by name from its module
 * (`dealPages`): the case template designer (/deals/templates, /deals/templates/:id), the new deal form
 * (/deals/new) and the deal page (/deals/:id). The root config registers it as `@kartoteka/deals#dealPages`
 * in its own slot of the layout.
 */
import singleSpaVue from 'single-spa-vue';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { addTypePolicies, connectionFieldPolicy } from '@kartoteka/portal-api';
import { portalAppOptions } from '@kartoteka/portal-api/vue';
import { i18n } from '../i18n';
import DealPagesRoot from './DealPagesRoot.vue';

// The deal's history pages with "load more".
addTypePolicies({
  Deal: { fields: { history: connectionFieldPolicy() } },
});

export const dealPages = singleSpaVue(portalAppOptions(DealPagesRoot, { i18n, apolloClientKey: DefaultApolloClient }));
