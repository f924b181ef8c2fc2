import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { JsonObject, TemplateDefinition } from '../model/template-definition';
import {
  DealCaseTemplateDocument,
  DealCaseTemplateVersionDocument,
  DealCreateCaseTemplateDocument,
  DealExportCaseTemplateDocument,
  DealImportCaseTemplateDocument,
  DealPreviewCaseTemplateDocument,
  DealPublishCaseTemplateDocument,
  DealUpdateCaseTemplateDraftDocument,
  type CaseTemplateFullFragment,
  type CaseTemplateRowFragment,
  type CaseTemplateStatus,
  type DealArchiveCaseTemplateMutation,
  type DealCaseTemplateQueryVariables,
  type DealCaseTemplateVersionQuery,
  type DealCaseTemplateVersionQueryVariables,
  type DealCreateCaseTemplateMutationVariables,
  type DealExportCaseTemplateQueryVariables,
  type DealImportCaseTemplateMutationVariables,
  type DealPreviewCaseTemplateQuery,
  type DealPreviewCaseTemplateQueryVariables,
  type DealPublishCaseTemplateMutation,
  type DealPublishCaseTemplateMutationVariables,
  type DealUpdateCaseTemplateDraftMutationVariables,
} from './__generated__/case-template';

/**
 * Case templates of the deals subgraph: the designer's list and editor, preview, versions, import/export.
 * The documents are in case-template.graphql; their types and typed document nodes are generated from the
 * supergraph (`pnpm codegen`). The schema types a definition as a `JSONObject`; the types below narrow those
 * fields to the definition's shape the server checks (model/template-definition.ts).
 */
export { DealCaseTemplatesDocument as CASE_TEMPLATES, DealArchiveCaseTemplateDocument as ARCHIVE_CASE_TEMPLATE } from './__generated__/case-template';

export type TemplateStatus = CaseTemplateStatus;

export type CaseTemplateRow = CaseTemplateRowFragment;

/** The draft definition (JSONObject): structurally valid, fully checked on publish. */
export type CaseTemplate = Omit<CaseTemplateFullFragment, 'draft'> & { draft: TemplateDefinition | null };
export type VersionRef = CaseTemplate['versions'][number];

type GeneratedVersion = NonNullable<DealCaseTemplateVersionQuery['caseTemplateVersion']>;
/** A stage of a version (or of a preview) as the server computed it. */
export type VersionStage = GeneratedVersion['stages'][number];
export type CaseTemplateVersion = Omit<GeneratedVersion, 'definition' | 'jsonSchema' | 'uiSchema'> & {
  definition: TemplateDefinition;
  jsonSchema: JsonObject;
  uiSchema: JsonObject;
};
export type TemplatePreview = Omit<DealPreviewCaseTemplateQuery['previewCaseTemplate'], 'jsonSchema' | 'uiSchema'> & { jsonSchema: JsonObject; uiSchema: JsonObject };

export type CaseTemplatesData = { caseTemplates: CaseTemplateRow[] };
export type CaseTemplateData = { caseTemplate: CaseTemplate | null };
export type CaseTemplateVersionData = { caseTemplateVersion: CaseTemplateVersion | null };
export type PreviewCaseTemplateData = { previewCaseTemplate: TemplatePreview };
export type ExportCaseTemplateData = { exportCaseTemplate: JsonObject };

export type TemplateDraftInput = { name: string; description: string | null; definition: TemplateDefinition };

export type CreateCaseTemplateData = { createCaseTemplate: CaseTemplate };
export type UpdateCaseTemplateDraftData = { updateCaseTemplateDraft: CaseTemplate };
/** Publishing answers the new version; its template comes along (status, versions, draftVersion). */
export type PublishCaseTemplateData = {
  publishCaseTemplate: Omit<DealPublishCaseTemplateMutation['publishCaseTemplate'], 'template'> & { template: CaseTemplate };
};
export type ImportCaseTemplateData = { importCaseTemplate: CaseTemplate };
export type ArchiveCaseTemplateData = DealArchiveCaseTemplateMutation;

/** The same documents, their JSON fields narrowed as above (variables as generated). */
const narrowed = <Data, Vars>(document: TypedDocumentNode<unknown, Vars>): TypedDocumentNode<Data, Vars> => document as TypedDocumentNode<Data, Vars>;
export const CASE_TEMPLATE = narrowed<CaseTemplateData, DealCaseTemplateQueryVariables>(DealCaseTemplateDocument);
export const CASE_TEMPLATE_VERSION = narrowed<CaseTemplateVersionData, DealCaseTemplateVersionQueryVariables>(DealCaseTemplateVersionDocument);
export const PREVIEW_CASE_TEMPLATE = narrowed<PreviewCaseTemplateData, DealPreviewCaseTemplateQueryVariables>(DealPreviewCaseTemplateDocument);
export const EXPORT_CASE_TEMPLATE = narrowed<ExportCaseTemplateData, DealExportCaseTemplateQueryVariables>(DealExportCaseTemplateDocument);
export const CREATE_CASE_TEMPLATE = narrowed<CreateCaseTemplateData, DealCreateCaseTemplateMutationVariables>(DealCreateCaseTemplateDocument);
export const UPDATE_CASE_TEMPLATE_DRAFT = narrowed<UpdateCaseTemplateDraftData, DealUpdateCaseTemplateDraftMutationVariables>(DealUpdateCaseTemplateDraftDocument);
export const PUBLISH_CASE_TEMPLATE = narrowed<PublishCaseTemplateData, DealPublishCaseTemplateMutationVariables>(DealPublishCaseTemplateDocument);
export const IMPORT_CASE_TEMPLATE = narrowed<ImportCaseTemplateData, DealImportCaseTemplateMutationVariables>(DealImportCaseTemplateDocument);
