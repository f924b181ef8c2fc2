/**
 * The mailings microfrontend (`@kartoteka/mailings`, slot `#mf-mailings`, routes `/mailings`, `/mailings/new`,
 * `/mailings/:id`): offer mailings of the mailings subgraph — the list, the editor (MJML body, audience with a live
 * count, sandboxed preview, attachment), the approval in the EDMS, the sending with its progress, the recipients.
 * An ES module exporting the single-spa lifecycles; shared libraries and the portal API come from the import map.
 * The list and the mailing page are chunks of their own.
 */
import singleSpaVue from 'single-spa-vue';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { addTypePolicies, connectionFieldPolicy } from '@kartoteka/portal-api';
import { portalAppOptions } from '@kartoteka/portal-api/vue';
import MailingsRoot from './pages/MailingsRoot.vue';
import { i18n } from './i18n';
import './styles.css';

addTypePolicies({
  Query: {
    fields: {
      mailings: connectionFieldPolicy(['status', 'q']),
    },
  },
  Mailing: {
    fields: {
      recipients: connectionFieldPolicy(['status']),
      // values of the mailing without an id: a newer answer (the progress poll) replaces them whole
      progress: { merge: true },
      audience: { merge: true },
    },
  },
  // Values of their mailing, no id of their own.
  MailingProgress: { keyFields: false },
  MailingAudienceFilter: { keyFields: false },
  MailingAttachment: { keyFields: false },
  // A preview answer belongs to the content it was asked for (the query's variables), not to an id.
  MailingRendered: { keyFields: false },
  MailingAudiencePreview: { keyFields: false },
});

export const { bootstrap, mount, unmount } = singleSpaVue(portalAppOptions(MailingsRoot, { i18n, apolloClientKey: DefaultApolloClient }));
