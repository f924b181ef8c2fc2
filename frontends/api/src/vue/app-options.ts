import { createApp, h, type App, type Component, type InjectionKey, type Plugin } from 'vue';
import { apolloClient } from '@kartoteka/portal-api';

/** What `singleSpaVue` (single-spa-vue, bundled by each app) needs to mount a Vue 3 app. */
export type PortalAppOptions = {
  createApp: typeof createApp;
  appOptions: { render: () => ReturnType<typeof h> };
  handleInstance: (app: App) => void;
};

/**
 * Options of `singleSpaVue` for a microfrontend: renders `root` with the app's i18n and provides the
 * portal's one Apollo client under `apolloClientKey` (`DefaultApolloClient` of @vue/apollo-composable).
 */
export const portalAppOptions = (
  root: Component,
  { i18n, apolloClientKey }: { i18n: Plugin; apolloClientKey: InjectionKey<unknown> | string },
): PortalAppOptions => ({
  createApp,
  appOptions: { render: () => h(root) },
  handleInstance: (app) => {
    app.use(i18n);
    app.provide(apolloClientKey, apolloClient);
  },
});
