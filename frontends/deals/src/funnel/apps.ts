/**
 * The sales funnel pages of the deals microfrontend, a single-spa application exported by name from its
 * module (`funnelPages`): the deals list (/deals), the kanban board (/deals/board) and the analytics
 * (/deals/analytics). The root config registers it as `@kartoteka/deals#funnelPages` in its own slot.
 */
import singleSpaVue from 'single-spa-vue';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { addTypePolicies, connectionFieldPolicy } from '@kartoteka/portal-api';
import { portalAppOptions } from '@kartoteka/portal-api/vue';
import { DEAL_LIST_KEY_ARGS } from '../api/funnel.queries';
import { i18n } from '../i18n';
import FunnelPagesRoot from './FunnelPagesRoot.vue';

// Paging of the deals list: "load more" appends, other filters select another list.
addTypePolicies({
  Query: { fields: { deals: connectionFieldPolicy(DEAL_LIST_KEY_ARGS) } },
});

export const funnelPages = singleSpaVue(portalAppOptions(FunnelPagesRoot, { i18n, apolloClientKey: DefaultApolloClient }));
