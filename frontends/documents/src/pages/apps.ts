/**
 * The EDMS pages of the documents microfrontend, a single-spa application exported by name from its
 * module (`documentPages`): the registry (/documents), the form (/documents/new, /documents/:id/edit),
 * the document page (/documents/:id) and the route template editor (/settings/route-templates). The root
 * config registers it as `@kartoteka/documents#documentPages` in its own slot of the layout.
 */
import singleSpaVue from 'single-spa-vue';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { addTypePolicies, connectionFieldPolicy } from '@kartoteka/portal-api';
import { portalAppOptions } from '@kartoteka/portal-api/vue';
import { i18n } from '../i18n';
import DocumentsPagesRoot from './DocumentsPagesRoot.vue';

// Paging of the lists these pages own: "load more" appends, other filters select another list.
addTypePolicies({
  Query: {
    fields: {
      documents: connectionFieldPolicy(['type', 'status', 'counterpartyId', 'dealId', 'dateFrom', 'dateTo', 'search', 'sort', 'direction']),
    },
  },
  Document: {
    fields: {
      auditTrail: connectionFieldPolicy(),
    },
  },
});

export const documentPages = singleSpaVue(portalAppOptions(DocumentsPagesRoot, { i18n, apolloClientKey: DefaultApolloClient }));
