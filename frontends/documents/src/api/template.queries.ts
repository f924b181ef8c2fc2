import { gql } from '@apollo/client/core';
import { apiErrorsOf, getPortalConfig, getToken, type ApiError } from '@kartoteka/portal-api';
import type { DocumentType } from './document.queries';

/**
 * Document templates (documents subgraph): the catalogue over GraphQL, the DOCX files over the gateway's REST
 * pass-through (`POST /rest/documents/templates/:id/versions`, `GET /rest/documents/templates/versions/:id/file`).
 */

export type TemplateFile = { id: string; name: string; size: number; url: string };
export type TemplateVersion = { id: string; number: number; placeholders: string[]; uploadedAt: string; file: TemplateFile | null };
export type DocumentTemplate = {
  id: string;
  code: string;
  name: string;
  documentType: DocumentType;
  description: string | null;
  currentVersionNumber: number;
  archived: boolean;
  version: number;
  versions: TemplateVersion[];
};
export type Placeholder = { name: string; description: string };
export type DocumentTemplatesData = { documentTemplates: DocumentTemplate[]; documentTemplatePlaceholders: Placeholder[] };

const TEMPLATE_FIELDS = `id code name documentType description currentVersionNumber archived version
  versions { id number placeholders uploadedAt file { id name size url } }`;

export const DOCUMENT_TEMPLATES = gql`
  query DocumentTemplates($documentType: DocumentType, $includeArchived: Boolean) {
    documentTemplates(documentType: $documentType, includeArchived: $includeArchived) { ${TEMPLATE_FIELDS} }
    documentTemplatePlaceholders { name description }
  }
`;

export type TemplateChoice = Pick<DocumentTemplate, 'id' | 'code' | 'name' | 'currentVersionNumber'>;
export const TEMPLATES_OF_TYPE = gql`
  query DocumentTemplatesOfType($documentType: DocumentType) {
    documentTemplates(documentType: $documentType) { id code name currentVersionNumber }
  }
`;

export const CREATE_DOCUMENT_TEMPLATE = gql`
  mutation CreateDocumentTemplate($input: CreateDocumentTemplateInput!) {
    createDocumentTemplate(input: $input) { ${TEMPLATE_FIELDS} }
  }
`;

export const ARCHIVE_DOCUMENT_TEMPLATE = gql`
  mutation ArchiveDocumentTemplate($input: ArchiveDocumentTemplateInput!) {
    archiveDocumentTemplate(input: $input) { id archived version }
  }
`;

export type GenerateData = { generateDocumentVersion: { version: { id: string; number: number; files: { id: string; name: string; contentType: string }[] }; warnings: string[] } };
export const GENERATE_DOCUMENT_VERSION = gql`
  mutation GenerateDocumentVersion($input: GenerateDocumentVersionInput!) {
    generateDocumentVersion(input: $input) {
      version { id number files { id name contentType } }
      warnings
    }
  }
`;

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
