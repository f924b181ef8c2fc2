/**
 * The shared modules of the portal: each is built (or copied) once by the root config, listed in
 * its import map, and treated as an external by every microfrontend. This file is the single
 * source of truth for the import map, the vendor build and the externals of the app builds.
 */

/** Bare specifier -> URL path served by the portal server. */
export const sharedModules = {
  vue: '/vendor/vue.js',
  '@apollo/client/core': '/vendor/apollo-client.js',
  // @vue/apollo-composable imports the deep path; it must resolve to the same module instance.
  '@apollo/client/core/index.js': '/vendor/apollo-client.js',
  '@vue/apollo-composable': '/vendor/apollo-composable.js',
  'naive-ui': '/vendor/naive-ui.js',
  'vue-i18n': '/vendor/vue-i18n.js',
  'single-spa': '/vendor/single-spa.js',
  '@kartoteka/portal-api': '/apps/api/portal-api.js',
  // The utility module's Vue side (app shell, card route, paging): only the Vue apps load it.
  '@kartoteka/portal-api/vue': '/apps/api/portal-api-vue.js',
};

/** The microfrontends: name -> import-map specifier and URL. Each builds to frontends/<name>/dist/<name>.js. */
export const microfrontends = {
  counterparties: { specifier: '@kartoteka/counterparties', url: '/apps/counterparties/counterparties.js' },
  documents: { specifier: '@kartoteka/documents', url: '/apps/documents/documents.js' },
  deals: { specifier: '@kartoteka/deals', url: '/apps/deals/deals.js' },
  finance: { specifier: '@kartoteka/finance', url: '/apps/finance/finance.js' },
  admin: { specifier: '@kartoteka/admin', url: '/apps/admin/admin.js' },
  mailings: { specifier: '@kartoteka/mailings', url: '/apps/mailings/mailings.js' },
};

/** Folders under frontends/ whose dist/ the portal server exposes as /apps/<name>/. */
export const servedApps = ['api', ...Object.keys(microfrontends)];

export const importMap = {
  imports: {
    ...sharedModules,
    ...Object.fromEntries(Object.values(microfrontends).map((mf) => [mf.specifier, mf.url])),
  },
};

const externalIds = new Set([...Object.keys(sharedModules), ...Object.values(microfrontends).map((mf) => mf.specifier)]);

/** True for an import that the import map resolves at run time (never bundled). */
export const isSharedModule = (id) => externalIds.has(id);

/**
 * The part of Naive UI the portal ships. The vendor module re-exports only these names (the whole
 * library is about three times larger); every app build checks that it imports nothing else.
 */
export const naiveUiExports = [
  'NAlert',
  'NButton',
  'NCard',
  'NCheckbox',
  'NCollapse',
  'NCollapseItem',
  'NConfigProvider',
  'NDatePicker',
  'NDescriptions',
  'NDescriptionsItem',
  'NDivider',
  'NDropdown',
  'NDynamicTags',
  'NEmpty',
  'NFormItem',
  'NInput',
  'NInputGroup',
  'NInputNumber',
  'NMessageProvider',
  'NModal',
  'NPopconfirm',
  'NPopover',
  'NProgress',
  'NRadio',
  'NRadioButton',
  'NRadioGroup',
  'NResult',
  'NSelect',
  'NSkeleton',
  'NSpace',
  'NSpin',
  'NSwitch',
  'NTabPane',
  'NTable',
  'NTabs',
  'NTag',
  'NTimeline',
  'NTimelineItem',
  'NTooltip',
  'dateEnUS',
  'dateRuRU',
  'enUS',
  'ruRU',
  'useMessage',
];
