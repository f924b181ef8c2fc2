import { apiErrorsOf, fileNameOfDisposition, getPortalConfig, getToken, type ApiError } from '@kartoteka/portal-api';

/**
 * Imports over the gateway's REST pass-through to the counterparties service: `POST /rest/counterparties/imports`
 * (multipart field `file`) and `GET /rest/counterparties/imports/:id/refused.xlsx|csv`. Every request carries the
 * session's bearer token, so the report is fetched and saved as a Blob (a plain link would not send it).
 */

export type UploadedImport = { id: string; fileName: string; status: string; headers: string[]; rowCount: number };

export class ImportRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors: ApiError[],
  ) {
    super(message);
    this.name = 'ImportRequestError';
  }
}

const importsEndpoint = (): string => `${getPortalConfig().gatewayUrl.replace(/\/graphql\/?$/, '')}/rest/counterparties/imports`;

const authHeaders = (): Record<string, string> => {
  const token = getToken();
  return token ? { authorization: `Bearer ${token}` } : {};
};

const errorsOfBody = (text: string): ApiError[] => {
  try {
    return apiErrorsOf((JSON.parse(text) as { errors?: unknown }).errors ?? []);
  } catch {
    return [];
  }
};

/** Uploads a spreadsheet, reporting progress (0..1); resolves with the new import job. */
export const uploadImportFile = (file: File, onProgress?: (fraction: number) => void): Promise<UploadedImport> =>
  new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('file', file, file.name);
    const request = new XMLHttpRequest();
    request.open('POST', importsEndpoint());
    for (const [name, value] of Object.entries(authHeaders())) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        try {
          resolve((JSON.parse(request.responseText) as { job: UploadedImport }).job);
        } catch {
          reject(new ImportRequestError('Unreadable upload answer', request.status, []));
        }
        return;
      }
      const errors = errorsOfBody(request.responseText);
      reject(new ImportRequestError(errors[0]?.message ?? `HTTP ${request.status}`, request.status, errors));
    };
    request.onerror = () => reject(new ImportRequestError('Network error', 0, []));
    request.send(form);
  });

/** Saves the refused-rows report of an import (original columns + "errors"). */
export const downloadRefusedRows = async (jobId: string, format: 'xlsx' | 'csv'): Promise<void> => {
  let response: Response;
  try {
    response = await fetch(`${importsEndpoint()}/${encodeURIComponent(jobId)}/refused.${format}`, { headers: authHeaders(), credentials: 'omit' });
  } catch {
    throw new ImportRequestError('Network error', 0, []);
  }
  if (!response.ok) {
    const errors = errorsOfBody(await response.text().catch(() => ''));
    throw new ImportRequestError(errors[0]?.message ?? `HTTP ${response.status}`, response.status, errors);
  }
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileNameOfDisposition(response.headers.get('content-disposition')) ?? `refused.${format}`;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
};
