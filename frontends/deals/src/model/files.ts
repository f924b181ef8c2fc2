import { apiErrorsOf, getPortalConfig, getToken, type ApiError } from '@kartoteka/portal-api';

/**
 * Files of a deal's form (FILE fields) are stored by the documents subgraph: uploaded through the gateway's
 * REST route `POST /rest/documents/files` (multipart field `files`) with the session's bearer token; the
 * form keeps the stored file's id.
 */
export type UploadedFile = { id: string; name: string; size: number; contentType: string };

export class FileRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors: ApiError[],
  ) {
    super(message);
    this.name = 'FileRequestError';
  }

  get reason(): string | null {
    return this.errors.find((e) => e.reason)?.reason ?? null;
  }
}

export const filesEndpoint = (): string => `${getPortalConfig().gatewayUrl.replace(/\/graphql\/?$/, '')}/rest/documents/files`;

const errorsOfBody = (text: string): ApiError[] => {
  try {
    const body = JSON.parse(text) as { errors?: unknown };
    return apiErrorsOf(body.errors ?? []);
  } catch {
    return [];
  }
};

/** Uploads one file, reporting progress (0..1); rejects with a FileRequestError (status 0: gateway unreachable). */
export const uploadFile = (file: File, onProgress?: (fraction: number) => void): Promise<UploadedFile> =>
  new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('files', file, file.name);
    const request = new XMLHttpRequest();
    request.open('POST', filesEndpoint());
    const token = getToken();
    if (token) request.setRequestHeader('authorization', `Bearer ${token}`);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        try {
          const stored = (JSON.parse(request.responseText) as { files?: UploadedFile[] }).files?.[0];
          if (stored) resolve(stored);
          else reject(new FileRequestError('Empty upload answer', request.status, []));
        } catch {
          reject(new FileRequestError('Unreadable upload answer', request.status, []));
        }
        return;
      }
      const errors = errorsOfBody(request.responseText);
      reject(new FileRequestError(errors[0]?.message ?? `HTTP ${request.status}`, request.status, errors));
    };
    request.onerror = () => reject(new FileRequestError('Network error', 0, []));
    request.send(form);
  });

/** Downloads a stored file under its own name (the token goes in a header, so fetch → Blob → object URL). */
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
  return /filename="([^"]*)"/i.exec(header)?.[1] ?? null;
};

export const downloadStoredFile = async (fileId: string, name: string | null): Promise<void> => {
  const token = getToken();
  const response = await fetch(`${filesEndpoint()}/${encodeURIComponent(fileId)}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    credentials: 'omit',
  });
  if (!response.ok) throw new FileRequestError(`HTTP ${response.status}`, response.status, errorsOfBody(await response.text().catch(() => '')));
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name ?? fileNameOfDisposition(response.headers.get('content-disposition')) ?? fileId;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
};
