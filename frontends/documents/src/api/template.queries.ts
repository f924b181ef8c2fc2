import { apiErrorsOf, getPortalConfig, getToken, type ApiError } from '@kartoteka/portal-api';
import type { DocumentTemplateFieldsFragment, GenerateDocumentVersionMutation } from './__generated__/template';

/**
 * Document templates (documents subgraph): the catalogue over GraphQL, the DOCX files over the gateway's REST
 * pass-through (`POST /rest/documents/templates/:id/versions`, `GET /rest/documents/templates/versions/:id/file`).
 * The GraphQL documents are in template.graphql; their types and typed document nodes are generated (`pnpm codegen`).
 */
export {
  DocumentTemplatesDocument as DOCUMENT_TEMPLATES,
  DocumentTemplatesOfTypeDocument as TEMPLATES_OF_TYPE,
  CreateDocumentTemplateDocument as CREATE_DOCUMENT_TEMPLATE,
  ArchiveDocumentTemplateDocument as ARCHIVE_DOCUMENT_TEMPLATE,
  GenerateDocumentVersionDocument as GENERATE_DOCUMENT_VERSION,
} from './__generated__/template';

export type DocumentTemplate = DocumentTemplateFieldsFragment;
export type TemplateVersion = DocumentTemplate['versions'][number];
export type TemplateFile = NonNullable<TemplateVersion['file']>;
export type GenerateData = GenerateDocumentVersionMutation;

const restBase = (): string => `${getPortalConfig().gatewayUrl.replace(/\/graphql\/?$/, '')}/rest/documents`;
const authHeaders = (): Record<string, string> => {
  const token = getToken();
  return token ? { authorization: `Bearer ${token}` } : {};
};

export class TemplateRequestError extends Error {
  constructor(
    message: string,
    readonly errors: ApiError[],
  ) {
    super(message);
    this.name = 'TemplateRequestError';
  }
}

const errorsOf = async (response: Response): Promise<ApiError[]> => {
  try {
    return apiErrorsOf(((await response.json()) as { errors?: unknown }).errors ?? []);
  } catch {
    return [];
  }
};

/** Uploads a DOCX as the template's new current version; rejects with the server's errors (unknown placeholders…). */
export const uploadTemplateVersion = async (templateId: string, file: File): Promise<{ number: number; placeholders: string[] }> => {
  const form = new FormData();
  form.append('files', file, file.name);
  let response: Response;
  try {
    response = await fetch(`${restBase()}/templates/${encodeURIComponent(templateId)}/versions`, { method: 'POST', headers: authHeaders(), body: form, credentials: 'omit' });
  } catch {
    throw new TemplateRequestError('Network error', []);
  }
  if (!response.ok) {
    const errors = await errorsOf(response);
    throw new TemplateRequestError(errors[0]?.message ?? `HTTP ${response.status}`, errors);
  }
  return ((await response.json()) as { version: { number: number; placeholders: string[] } }).version;
};

/** Saves a template version's DOCX under its name. */
export const downloadTemplateFile = async (file: TemplateFile): Promise<void> => {
  const response = await fetch(`${getPortalConfig().gatewayUrl.replace(/\/graphql\/?$/, '')}${file.url}`, { headers: authHeaders(), credentials: 'omit' });
  if (!response.ok) throw new TemplateRequestError((await errorsOf(response))[0]?.message ?? `HTTP ${response.status}`, []);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
};
