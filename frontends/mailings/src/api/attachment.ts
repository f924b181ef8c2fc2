import { apiErrorsOf, getPortalConfig, getToken, type ApiError } from '@kartoteka/portal-api';

/**
 * A mailing's attachment over the gateway's REST route of the mailings service:
 * `POST <gateway>/rest/mailings/mailings/<id>/attachment` (multipart, one file in the field `file`, ≤ 10 MB)
 * stores or replaces it, `DELETE` the same URL removes it. The session's bearer token goes with each request.
 */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export class AttachmentRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors: ApiError[],
  ) {
    super(message);
    this.name = 'AttachmentRequestError';
  }
}

export const attachmentUrl = (mailingId: string): string =>
  `${getPortalConfig().gatewayUrl.replace(/\/graphql\/?$/, '')}/rest/mailings/mailings/${encodeURIComponent(mailingId)}/attachment`;

const request = async (mailingId: string, init: RequestInit): Promise<void> => {
  const token = getToken();
  let response: Response;
  try {
    response = await fetch(attachmentUrl(mailingId), { ...init, headers: token ? { authorization: `Bearer ${token}` } : {}, credentials: 'omit' });
  } catch {
    throw new AttachmentRequestError('Network error', 0, []);
  }
  if (response.ok) return;
  const text = await response.text().catch(() => '');
  let errors: ApiError[] = [];
  try {
    errors = apiErrorsOf((JSON.parse(text) as { errors?: unknown }).errors ?? []);
  } catch {
    errors = [];
  }
  throw new AttachmentRequestError(errors[0]?.message ?? `HTTP ${response.status}`, response.status, errors);
};

export const uploadAttachment = (mailingId: string, file: File): Promise<void> => {
  const form = new FormData();
  form.append('file', file, file.name);
  return request(mailingId, { method: 'POST', body: form });
};

export const removeAttachment = (mailingId: string): Promise<void> => request(mailingId, { method: 'DELETE' });
