import { apiErrorsOf, type ApiError } from './errors';
import { getPortalConfig } from './config';
import { fileNameOfDisposition } from './files';
import { getLocale } from './i18n';
import { getToken } from './session';

/**
 * Registry exports over the gateway's REST routes: `GET <gateway>/rest/<service>/exports/<registry>.xlsx|csv?…`
 * with the list's filters (the arguments of its GraphQL query). The file is streamed by the service; here it
 * is fetched with the session's bearer token (a plain link would not send it) and saved under the name the
 * server gives (`counterparties-2026-12-06.xlsx`). Headers come in the portal's language (Accept-Language).
 */

export type ExportFormat = 'xlsx' | 'csv';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['xlsx', 'csv'];

/** A filter value as the list's query takes it; null, undefined, '' and [] are left out. */
export type ExportParamValue = string | number | boolean | readonly string[] | null | undefined;
export type ExportParams = Record<string, ExportParamValue>;

export class ExportRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors: ApiError[],
  ) {
    super(message);
    this.name = 'ExportRequestError';
  }

  /** The stable reason of the first error (`export.too-many-rows`, `export.invalid-filter`, …), if any. */
  get reason(): string | null {
    return this.errors.find((e) => e.reason)?.reason ?? null;
  }
}

/** `?status=CLIENT&ratingGrades=A,B`: the filters that are set, lists comma-separated. */
export const exportQueryString = (params: ExportParams): string => {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) query.set(name, value.join(','));
    } else query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : '';
};

/** The export's URL through the gateway. */
export const exportUrl = (service: string, registry: string, format: ExportFormat, params: ExportParams = {}): string =>
  `${getPortalConfig().gatewayUrl.replace(/\/graphql\/?$/, '')}/rest/${encodeURIComponent(service)}/exports/${encodeURIComponent(registry)}.${format}${exportQueryString(params)}`;

const saveBlob = (blob: Blob, name: string): void => {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
};

/**
 * Downloads a registry export with the given filters and saves it. Resolves with the file name; rejects with an
 * ExportRequestError (status 0 when the gateway is unreachable or the download was cut short).
 */
export const downloadExport = async (service: string, registry: string, format: ExportFormat, params: ExportParams = {}, signal?: AbortSignal): Promise<string> => {
  const token = getToken();
  let response: Response;
  try {
    response = await fetch(exportUrl(service, registry, format, params), {
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'accept-language': getLocale() },
      credentials: 'omit',
      signal,
    });
  } catch {
    throw new ExportRequestError('Network error', 0, []);
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    let errors: ApiError[] = [];
    try {
      errors = apiErrorsOf((JSON.parse(text) as { errors?: unknown }).errors ?? []);
    } catch {
      errors = [];
    }
    throw new ExportRequestError(errors[0]?.message ?? `HTTP ${response.status}`, response.status, errors);
  }
  let blob: Blob;
  try {
    blob = await response.blob();
  } catch {
    throw new ExportRequestError('The download was interrupted', 0, []);
  }
  const name = fileNameOfDisposition(response.headers.get('content-disposition')) ?? `${registry}.${format}`;
  saveBlob(blob, name);
  return name;
};
