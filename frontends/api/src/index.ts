/**
 * @kartoteka/portal-api — the portal's utility module. The import map loads it once; every app
 * and the root config share this instance: one Apollo client, one session, one locale.
 */
export { getPortalConfig, DEFAULT_GATEWAY_URL } from './config';
export type { PortalConfig } from './config';
export { emitPortalEvent, onPortalEvent } from './events';
export type { LiveStatus, PortalEventName, PortalEvents } from './events';
export { DEFAULT_LOCALE, getLocale, intlLocaleOf, locales, onLocaleChanged, setLocale } from './i18n';
export type { Locale } from './i18n';
export { clearSession, currentUser, getToken, isAuthenticated } from './session';
export type { PortalUser, Role } from './session';
export { can, canEdit, login, logout, refreshCurrentUser } from './auth';
export type { LoginFailure, LoginOutcome, Permission } from './auth';
export { addTypePolicies, apolloClient, connectionFieldPolicy } from './client';
export type { Connection, PageInfo } from './connection';
export { apiErrorMessage, apiErrorsOf, hasApiErrorCode, isNetworkFailure } from './errors';
export type { ApiError, ApiErrorCode } from './errors';
export { formatDate, formatDateTime, formatMoney, minorToDecimalString } from './format';
export type { Money } from './format';
export { HOME_PATH, LOGIN_PATH, loginUrl, navigate, safeReturnPath } from './navigation';
export { prefersReducedMotion, revealElement } from './motion';
export { portalTheme } from './theme';
export { liveStatus, liveStreamUrl, refetchOnLiveUpdates, scheduleLiveRefetch, startLiveUpdates } from './live';
export type { LiveTrigger } from './live';
export { createSseParser } from './sse';
export type { SseMessage, SseParserHandlers } from './sse';
export { CURRENCIES, minorToInput, parseMoneyToMinor } from './money';
export type { MoneyParse } from './money';
export {
  downloadFile,
  downloadStoredFile,
  fetchFileBlob,
  fileNameOfDisposition,
  FileRequestError,
  filesEndpoint,
  formatFileSize,
  previewKindOf,
  uploadFile,
  uploadFiles,
} from './files';
export type { PreviewKind, UploadedFile } from './files';
export { downloadExport, EXPORT_FORMATS, ExportRequestError, exportQueryString, exportUrl } from './exports';
export type { ExportFormat, ExportParams, ExportParamValue } from './exports';
