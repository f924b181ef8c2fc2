/**
 * The admin microfrontend (`@kartoteka/admin`, slot `#mf-admin`, routes `/admin` and `/admin/:section`): users
 * and roles, partner API keys, failed e-mails, parked events, audit-chain verification. An ES module exporting
 * the single-spa lifecycles; shared libraries and the portal API come from the import map. Each section is a
 * chunk of its own, loaded when first shown.
 */
import singleSpaVue from 'single-spa-vue';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { addTypePolicies, connectionFieldPolicy } from '@kartoteka/portal-api';
import { portalAppOptions } from '@kartoteka/portal-api/vue';
import { EVENT_SERVICES } from './api/parked-events.queries';
import AdminRoot from './pages/AdminRoot.vue';
import { i18n } from './i18n';
import './styles.css';

addTypePolicies({
  Query: {
    fields: {
      users: connectionFieldPolicy(['search']),
      ...Object.fromEntries(EVENT_SERVICES.map((service) => [`${service}ParkedEvents`, connectionFieldPolicy()])),
    },
  },
  // Values of their parent, no id of their own.
  RolePermissions: { keyFields: ['role'] },
  AuditChainVerification: { keyFields: false },
});

export const { bootstrap, mount, unmount } = singleSpaVue(portalAppOptions(AdminRoot, { i18n, apolloClientKey: DefaultApolloClient }));
