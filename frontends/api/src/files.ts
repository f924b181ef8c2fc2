import { apiErrorsOf, type ApiError } from './errors';
import { getPortalConfig } from './config';
import { getToken } from './session';

/**
 * Stored files (documents subgraph) over the gateway's REST routes: `POST /rest/documents/files` (multipart
 * field `files`), `GET /rest/documents/files/:id`. Every request carries the session's bearer token, so
 * downloads and previews go through fetch → Blob → object URL (a plain link would not send it).
 */

/** An uploaded, stored file as the upload answers it. */
export type UploadedFile = { id: string; name: string; size: number; contentType: string; sha256: string };

export class FileRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors: ApiError[],
  ) {
    super(message);
    this.name = 'FileRequestError';
  }

  /** The stable reason of the first error (`file.too-large`, `file.type-not-allowed`, …), if any. */
  get reason(): string | null {
    return this.errors.find((e) => e.reason)?.reason ?? null;
  }
}

/** `http://host:4000` + `/rest/documents/files` (the gateway's GraphQL URL without `/graphql`). */
export const filesEndpoint = (): string => `${getPortalConfig().gatewayUrl.replace(/\/graphql\/?$/, '')}/rest/documents/files`;

const authHeaders = (): Record<string, string> => {
  const token = getToken();
  return token ? { authorization: `Bearer ${token}` } : {};
};

const errorsOfBody = (text: string): ApiError[] => {
  try {
    const body = JSON.parse(text) as { errors?: unknown };
    return apiErrorsOf(body.errors ?? []);
  } catch {
    return [];
  }
};

/**
 * Uploads files (multipart field `files`) and reports progress (0..1). Resolves with the stored files;
 * rejects with a FileRequestError (status 0 when the gateway is unreachable).
 */
export const uploadFiles = (files: readonly File[], onProgress?: (fraction: number) => void, signal?: AbortSignal): Promise<UploadedFile[]> =>
  new Promise((resolve, reject) => {
    const form = new FormData();
    for (const file of files) form.append('files', file, file.name);
    const request = new XMLHttpRequest();
    request.open('POST', filesEndpoint());
    for (const [name, value] of Object.entries(authHeaders())) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        try {
          const body = JSON.parse(request.responseText) as { files?: UploadedFile[] };
          resolve(body.files ?? []);
        } catch {
          reject(new FileRequestError('Unreadable upload answer', request.status, []));
        }
        return;
      }
      const errors = errorsOfBody(request.responseText);
      reject(new FileRequestError(errors[0]?.message ?? `HTTP ${request.status}`, request.status, errors));
    };
    request.onerror = () => reject(new FileRequestError('Network error', 0, []));
    request.onabort = () => reject(new FileRequestError('Aborted', 0, []));
    signal?.addEventListener('abort', () => request.abort());
    request.send(form);
  });

/** Uploads one file (see `uploadFiles`); rejects when the answer names no stored file. */
export const uploadFile = async (file: File, onProgress?: (fraction: number) => void): Promise<UploadedFile> => {
  const stored = await uploadFiles([file], onProgress);
  if (!stored[0]) throw new FileRequestError('Empty upload answer', 200, []);
  return stored[0];
};

/** The answer of a stored file's download (`inline`: the preview variant for PDF and images). */
const fetchFile = async (fileId: string, { inline = false }: { inline?: boolean } = {}): Promise<Response> => {
  let response: Response;
  try {
    response = await fetch(`${filesEndpoint()}/${encodeURIComponent(fileId)}${inline ? '?inline=1' : ''}`, {
      headers: authHeaders(),
      credentials: 'omit',
    });
  } catch {
    throw new FileRequestError('Network error', 0, []);
  }
  if (!response.ok) {
    const errors = errorsOfBody(await response.text().catch(() => ''));
    throw new FileRequestError(errors[0]?.message ?? `HTTP ${response.status}`, response.status, errors);
  }
  return response;
};

/** The file's content as a Blob (`inline`: the preview variant for PDF and images). */
export const fetchFileBlob = async (fileId: string, options: { inline?: boolean } = {}): Promise<Blob> => (await fetchFile(fileId, options)).blob();

/** The file name of a `Content-Disposition` header (RFC 5987 `filename*` first). */
export const fileNameOfDisposition = (header: string | null): string | null => {
  if (!header) return null;
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]);
    } catch {
      return extended[1];
    }
  }
  // quoted, or a plain token (RFC 6266 allows both: `filename=counterparties-2026-12-06.xlsx`)
  return /filename="([^"]*)"/i.exec(header)?.[1] ?? /filename=([^;\s"]+)/i.exec(header)?.[1] ?? null;
};

/** Saves a Blob under a name (an object URL clicked as a download link, then revoked). */
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

/** Saves a file under its own name. */
export const downloadFile = async (file: { id: string; name: string }): Promise<void> => {
  saveBlob(await fetchFileBlob(file.id), file.name);
};

/** Saves a stored file known by id: under `name`, else the name the server gives, else the id. */
export const downloadStoredFile = async (fileId: string, name: string | null): Promise<void> => {
  const response = await fetchFile(fileId);
  saveBlob(await response.blob(), name ?? fileNameOfDisposition(response.headers.get('content-disposition')) ?? fileId);
};

export type PreviewKind = 'pdf' | 'image' | null;

export const previewKindOf = (contentType: string): PreviewKind => {
  if (contentType === 'application/pdf') return 'pdf';
  if (/^image\/(png|jpeg|gif|webp)$/.test(contentType)) return 'image';
  return null;
};

/** "1,2 МБ" / "1.2 MB" style size. */
export const formatFileSize = (bytes: number, locale: string): string => {
  const units = locale === 'ru' ? ['Б', 'КБ', 'МБ', 'ГБ'] : ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = new Intl.NumberFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value);
  return `${text} ${units[unit]}`;
};
