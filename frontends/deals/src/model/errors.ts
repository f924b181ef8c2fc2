import { apiErrorsOf, hasApiErrorCode, isNetworkFailure, type ApiError } from '@kartoteka/portal-api';

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** One error in the UI language where its code says enough, else the API's own message. */
export const errorText = (error: ApiError, t: Translate): string => {
  if (error.code === 'FORBIDDEN') return t('dealsCommon.forbidden');
  if (error.code === 'CONFLICT') return t('dealsCommon.conflict');
  if (error.code === 'NOT_FOUND') return t('dealsCommon.notFound');
  return error.message;
};

/** One line for a failed request. */
export const describeError = (error: unknown, t: Translate): string => {
  if (!error) return '';
  if (isNetworkFailure(error)) return t('dealsCommon.networkError');
  if (hasApiErrorCode(error, 'FORBIDDEN')) return t('dealsCommon.forbidden');
  const first = apiErrorsOf(error)[0];
  if (first) return errorText(first, t);
  return t('dealsCommon.failed', { message: error instanceof Error ? error.message : String(error) });
};

/** Saves JSON as a file download (an object URL clicked as a link, then revoked). */
export const downloadJson = (value: unknown, fileName: string): void => {
  const blob = new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
};

/** A file name from a template name: «Продажа услуг» → `Продажа услуг.json` without characters file systems refuse. */
export const jsonFileName = (name: string): string => `${name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim() || 'template'}.json`;
