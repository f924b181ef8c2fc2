/**
 * @kartoteka/portal-api/vue — the Vue side of the utility module, shared by the Vue microfrontends
 * (loaded once through the import map, like the core module it builds on): the app shell, the
 * card route, paging of connections and the card panel.
 */
export { portalAppOptions } from './app-options';
export type { PortalAppOptions } from './app-options';
export { PortalAppShell, defineCardPanelApp, usePortalLocale } from './app-shell';
export { useCardId } from './card-route';
export { useCardPanel } from './card-panel';
export type { CardPanel } from './card-panel';
export { useConnectionPage } from './connection-page';
export type { ConnectionPage, PagedConnection, PagedQuery } from './connection-page';
export { ConnectionPanel } from './connection-panel';
export type { PanelTranslate } from './connection-panel';
export { useRemoteSearch } from './remote-search';
export type { RemoteSearch } from './remote-search';
export { ActionDialog } from './action-dialog';
export { DateInput } from './date-input';
export { CounterpartyPicker } from './counterparty-picker';
export type { CounterpartyPickerOption } from './counterparty-picker';
export { useCan } from './use-can';
export { focusFirstInvalid, useServerForm } from './use-server-form';
export type { ServerFieldError, ServerForm, ServerFormOptions } from './use-server-form';
export { replaceQueryParams, urlParam, useUrlFilters } from './use-url-filters';
export type { UrlFilters, UrlParam, UrlParams } from './use-url-filters';
export { SortHeader } from './sort-header';
export type { SortDir } from './sort-header';
export { ExportButton } from './export-button';
export type { ExportButtonTexts } from './export-button';
