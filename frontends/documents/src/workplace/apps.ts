/**
 * "My day" of the documents microfrontend: an application of its own, exported by name from its module
 * (`myDay`) and registered by the root config as `@kartoteka/documents#myDay` on the home page.
 */
import { defineAsyncComponent, defineComponent, h } from 'vue';
import singleSpaVue from 'single-spa-vue';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { refetchOnLiveUpdates } from '@kartoteka/portal-api';
import { PortalAppShell, portalAppOptions } from '@kartoteka/portal-api/vue';
import { i18n } from '../i18n';

/** A chunk of its own, loaded on the home page only. */
const MyDayDocuments = defineAsyncComponent(() => import('./MyDayDocuments.vue'));

// A new task, a decision or a changed document: the lists on screen refetch (live stream).
refetchOnLiveUpdates(['MyDayDocuments'], ['notification', 'document']);

const MyDayApp = defineComponent({
  name: 'DocumentsMyDayApp',
  setup: () => () => h(PortalAppShell, { class: 'md-app' }, { default: () => h(MyDayDocuments) }),
});

export const myDay = singleSpaVue(portalAppOptions(MyDayApp, { i18n, apolloClientKey: DefaultApolloClient }));
