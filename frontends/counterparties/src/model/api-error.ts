import { apiErrorsOf, hasApiErrorCode, isNetworkFailure } from '@kartoteka/portal-api';

/** One line for a failed request, in the UI language where the reason is known. */
export const describeApiError = (error: unknown, t: (key: string, params?: Record<string, unknown>) => string): string => {
  if (isNetworkFailure(error)) return t('common.networkError');
  if (hasApiErrorCode(error, 'FORBIDDEN')) return t('common.forbidden');
  const first = apiErrorsOf(error)[0];
  const message = first?.message || (error instanceof Error ? error.message : String(error));
  return t('common.loadError', { message });
};
