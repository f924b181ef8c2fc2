import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { JsonObject, TemplateDefinition } from '../model/template-definition';
import {
  DealCasePageDocument,
  DealCompleteActionDocument,
  DealMoveCaseDocument,
  DealUpdateCaseDocument,
  type DealActionStatus as SchemaDealActionStatus,
  type DealCaseDocumentsQuery,
  type DealCaseFragment,
  type DealCaseHistoryQuery,
  type DealCasePageQueryVariables,
  type DealCompleteActionMutation,
  type DealCompleteActionMutationVariables,
  type DealCreateCaseMutation,
  type DealMoveCaseMutationVariables,
  type DealStartTemplatesQuery,
  type DealStatus as SchemaDealStatus,
  type DealUpdateCaseMutationVariables,
} from './__generated__/deal-case';

/**
 * A deal as a case: the create page, the deal page (form, stages, actions, documents, history). The documents
 * are in deal-case.graphql; their types and typed document nodes are generated from the supergraph
 * (`pnpm codegen`). The schema types the form's data and the version's definition and schemas as JSON; the types
 * below narrow those fields to the shapes the app reads (model/template-definition.ts).
 */
export {
  DealCaseFragmentDoc as DEAL_CASE,
  DealCaseDocumentsDocument as DEAL_DOCUMENTS,
  DealCaseHistoryDocument as DEAL_HISTORY,
  DealCreateCaseDocument as CREATE_DEAL,
  DealStartTemplatesDocument as START_TEMPLATES,
} from './__generated__/deal-case';
export type { CreateDealInput, UpdateDealInput } from './__generated__/deal-case';

export type DealStatus = SchemaDealStatus;
export type DealActionStatus = SchemaDealActionStatus;

type GeneratedTemplateVersion = DealCaseFragment['templateVersion'];
export type DealVersionStage = GeneratedTemplateVersion['stages'][number];
export type DealTemplateVersion = Omit<GeneratedTemplateVersion, 'definition' | 'jsonSchema' | 'uiSchema'> & {
  definition: TemplateDefinition | null;
  jsonSchema: JsonObject;
  uiSchema: JsonObject;
};

export type DealCase = Omit<DealCaseFragment, 'formData' | 'templateVersion'> & {
  formData: JsonObject | null;
  templateVersion: DealTemplateVersion;
};
/** `failureReason`: why the documents service refused, or the document failed (FAILED; the action may run again). */
export type DealAction = DealCase['actions'][number];

export type DealCaseData = { deal: DealCase | null };

/** The deal's documents (the documents subgraph adds them): a query of their own, so a silent subgraph spares the page. */
export type DealDocumentsData = DealCaseDocumentsQuery;
export type DealDocument = NonNullable<NonNullable<DealDocumentsData['deal']>['documents']>[number];

export type DealHistoryData = DealCaseHistoryQuery;
export type DealHistoryEntry = NonNullable<DealHistoryData['deal']>['history']['edges'][number]['node'];

export type CreateDealData = DealCreateCaseMutation;
export type DealMutationData<K extends string> = { [key in K]: DealCase };

/** Running an action answers the action; its deal comes along. */
export type CompleteDealActionData = { completeDealAction: Omit<DealCompleteActionMutation['completeDealAction'], 'deal'> & { deal: DealCase } };

/** Published templates a deal can start from, with the latest version's form. */
export type StartTemplatesData = DealStartTemplatesQuery;
export type StartTemplate = StartTemplatesData['caseTemplates'][number];

/** The same documents, the deal's JSON fields narrowed as above (variables as generated). */
const narrowed = <Data, Vars>(document: TypedDocumentNode<unknown, Vars>): TypedDocumentNode<Data, Vars> => document as TypedDocumentNode<Data, Vars>;
export const DEAL_PAGE = narrowed<DealCaseData, DealCasePageQueryVariables>(DealCasePageDocument);
export const UPDATE_DEAL = narrowed<DealMutationData<'updateDeal'>, DealUpdateCaseMutationVariables>(DealUpdateCaseDocument);
export const MOVE_DEAL = narrowed<DealMutationData<'moveDeal'>, DealMoveCaseMutationVariables>(DealMoveCaseDocument);
export const COMPLETE_DEAL_ACTION = narrowed<CompleteDealActionData, DealCompleteActionMutationVariables>(DealCompleteActionDocument);
