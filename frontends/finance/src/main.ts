/**
 * The finance microfrontend: the finance panel of the counterparty card (balances, invoiced/paid chart,
 * contracts, the reliability rating). An ES module exporting the single-spa lifecycles; shared libraries
 * and the portal API come from the import map. Two more applications are named exports of this module:
 * `documentExecution` (a contract's execution on its document page), `financePages` (payments registry,
 * statement import, review queue) and `myDay` (the overdue invoices of my counterparties on the home page).
 */
import singleSpaVue from 'single-spa-vue';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { addTypePolicies, connectionFieldPolicy, refetchOnLiveUpdates } from '@kartoteka/portal-api';
import { defineCardPanelApp, portalAppOptions } from '@kartoteka/portal-api/vue';
import FinancePanel from './components/FinancePanel.vue';
import DocumentExecutionRoot from './execution/DocumentExecutionRoot.vue';
import FinancePagesRoot from './pages/FinancePagesRoot.vue';
import MyDayRoot from './myday/MyDayRoot.vue';
import { i18n } from './i18n';
import './styles.css';

addTypePolicies({
  Query: { fields: { payments: connectionFieldPolicy(['filter']), unmatchedPayments: connectionFieldPolicy() } },
  // Money and the finance figures have no id: they are values of their parent.
  CounterpartyFinance: { keyFields: false },
  ContractExecution: { keyFields: false },
  Rating: { keyFields: false },
});

// A document signed, its status changed: finance follows from its events, so the views showing it refetch.
refetchOnLiveUpdates(['CounterpartyFinancePanel', 'FinanceDocumentExecution', 'FinanceMyDay'], ['document']);

const options = { i18n, apolloClientKey: DefaultApolloClient };

export const { bootstrap, mount, unmount } = singleSpaVue(portalAppOptions(defineCardPanelApp(FinancePanel), options));

/** A contract's execution under its document page (`@kartoteka/finance#documentExecution`). */
export const documentExecution = singleSpaVue(portalAppOptions(DocumentExecutionRoot, options));

/** The finance pages (`@kartoteka/finance#financePages`). */
export const financePages = singleSpaVue(portalAppOptions(FinancePagesRoot, options));

/** "My day" on the home page: the overdue invoices of my counterparties (`@kartoteka/finance#myDay`). */
export const myDay = singleSpaVue(portalAppOptions(MyDayRoot, options));
