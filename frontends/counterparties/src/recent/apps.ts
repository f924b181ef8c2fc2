/**
 * The counterparties microfrontend's application on "My day" (the home page): the recently opened counterparties,
 * registered by the root config as `@kartoteka/counterparties#recent` in `#mf-home-recent`. Its panel is a chunk
 * of its own: the list, the form and the card do not carry it.
 */
import { defineAsyncComponent, defineComponent, h } from 'vue';
import { NSkeleton } from 'naive-ui';
import singleSpaVue from 'single-spa-vue';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { PortalAppShell, portalAppOptions } from '@kartoteka/portal-api/vue';
import { i18n } from '../i18n';

const RecentPanel = defineAsyncComponent({ loader: () => import('./RecentPanel.vue'), loadingComponent: NSkeleton, delay: 150 });

const RecentRoot = defineComponent({
  name: 'CounterpartiesRecentRoot',
  setup: () => () => h(PortalAppShell, { class: 'cp-app' }, { default: () => h(RecentPanel) }),
});

export const recent = singleSpaVue(portalAppOptions(RecentRoot, { i18n, apolloClientKey: DefaultApolloClient }));
