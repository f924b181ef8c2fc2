import { gql } from '@apollo/client/core';
import type { JsonObject, TemplateDefinition } from '../model/template-definition';

/** Case templates of the deals subgraph: the designer's list and editor, preview, versions, import/export. */

export type TemplateStatus = 'DRAFT' | 'PUBLISHED' | 'ARCHIVED';

export type VersionRef = { id: string; number: number; publishedAt: string | null };

export type CaseTemplateRow = {
  id: string;
  name: string;
  description: string | null;
  status: TemplateStatus;
  draftVersion: number;
  latestVersion: { id: string; number: number } | null;
  updatedAt: string;
};

export type CaseTemplate = CaseTemplateRow & {
  /** The draft definition (JSONObject): structurally valid, fully checked on publish. */
  draft: TemplateDefinition | null;
  versions: VersionRef[];
};

/** A stage of a version (or of a preview) as the server computed it. */
export type VersionStage = {
  key: string;
  name: string;
  probability: number;
  outcome: 'OPEN' | 'WON' | 'LOST';
  requiredFields: string[];
  actions: { key: string; kind: string; title: string; required: boolean; dueOffsetDays?: number | null }[];
};

export type CaseTemplateVersion = {
  id: string;
  number: number;
  publishedAt: string | null;
  definition: TemplateDefinition;
  jsonSchema: JsonObject;
  uiSchema: JsonObject;
  stages: VersionStage[];
  template: { id: string; name: string };
};

export type TemplatePreview = { jsonSchema: JsonObject; uiSchema: JsonObject; stages: VersionStage[] };

const TEMPLATE_ROW = gql`
  fragment CaseTemplateRow on CaseTemplate {
    id
    name
    description
    status
    draftVersion
    latestVersion {
      id
      number
    }
    updatedAt
  }
`;

const TEMPLATE_FULL = gql`
  fragment CaseTemplateFull on CaseTemplate {
    ...CaseTemplateRow
    draft
    versions {
      id
      number
      publishedAt
    }
  }
  ${TEMPLATE_ROW}
`;

const STAGE_FIELDS = `
  key
  name
  probability
  outcome
  requiredFields
  actions {
    key
    kind
    title
    required
    dueOffsetDays
  }
`;

export type CaseTemplatesData = { caseTemplates: CaseTemplateRow[] };
export const CASE_TEMPLATES = gql`
  query DealCaseTemplates($includeArchived: Boolean) {
    caseTemplates(includeArchived: $includeArchived) {
      ...CaseTemplateRow
    }
  }
  ${TEMPLATE_ROW}
`;

export type CaseTemplateData = { caseTemplate: CaseTemplate | null };
export const CASE_TEMPLATE = gql`
  query DealCaseTemplate($id: ID!) {
    caseTemplate(id: $id) {
      ...CaseTemplateFull
    }
  }
  ${TEMPLATE_FULL}
`;

export type CaseTemplateVersionData = { caseTemplateVersion: CaseTemplateVersion | null };
export const CASE_TEMPLATE_VERSION = gql`
  query DealCaseTemplateVersion($id: ID!) {
    caseTemplateVersion(id: $id) {
      id
      number
      publishedAt
      definition
      jsonSchema
      uiSchema
      stages {
        ${STAGE_FIELDS}
      }
      template {
        id
        name
      }
    }
  }
`;

export type PreviewCaseTemplateData = { previewCaseTemplate: TemplatePreview };
export const PREVIEW_CASE_TEMPLATE = gql`
  query DealPreviewCaseTemplate($definition: JSONObject!) {
    previewCaseTemplate(definition: $definition) {
      jsonSchema
      uiSchema
      stages {
        ${STAGE_FIELDS}
      }
    }
  }
`;

export type ExportCaseTemplateData = { exportCaseTemplate: JsonObject };
export const EXPORT_CASE_TEMPLATE = gql`
  query DealExportCaseTemplate($id: ID!) {
    exportCaseTemplate(id: $id)
  }
`;

export type TemplateDraftInput = { name: string; description: string | null; definition: TemplateDefinition };

export type CreateCaseTemplateData = { createCaseTemplate: CaseTemplate };
export const CREATE_CASE_TEMPLATE = gql`
  mutation DealCreateCaseTemplate($input: CreateCaseTemplateInput!) {
    createCaseTemplate(input: $input) {
      ...CaseTemplateFull
    }
  }
  ${TEMPLATE_FULL}
`;

export type UpdateCaseTemplateDraftData = { updateCaseTemplateDraft: CaseTemplate };
export const UPDATE_CASE_TEMPLATE_DRAFT = gql`
  mutation DealUpdateCaseTemplateDraft($input: UpdateCaseTemplateDraftInput!) {
    updateCaseTemplateDraft(input: $input) {
      ...CaseTemplateFull
    }
  }
  ${TEMPLATE_FULL}
`;

/** Publishing answers the new version; its template comes along (status, versions, draftVersion). */
export type PublishCaseTemplateData = { publishCaseTemplate: { id: string; number: number; publishedAt: string | null; template: CaseTemplate } };
export const PUBLISH_CASE_TEMPLATE = gql`
  mutation DealPublishCaseTemplate($input: PublishCaseTemplateInput!) {
    publishCaseTemplate(input: $input) {
      id
      number
      publishedAt
      template {
        ...CaseTemplateFull
      }
    }
  }
  ${TEMPLATE_FULL}
`;

export type ImportCaseTemplateData = { importCaseTemplate: CaseTemplate };
export const IMPORT_CASE_TEMPLATE = gql`
  mutation DealImportCaseTemplate($input: ImportCaseTemplateInput!) {
    importCaseTemplate(input: $input) {
      ...CaseTemplateFull
    }
  }
  ${TEMPLATE_FULL}
`;

export type ArchiveCaseTemplateData = { archiveCaseTemplate: CaseTemplateRow };
export const ARCHIVE_CASE_TEMPLATE = gql`
  mutation DealArchiveCaseTemplate($input: ArchiveCaseTemplateInput!) {
    archiveCaseTemplate(input: $input) {
      ...CaseTemplateRow
    }
  }
  ${TEMPLATE_ROW}
`;
