import { gql } from '@apollo/client/core';
import type { Connection, Money } from '@kartoteka/portal-api';
import type { JsonObject, StageOutcome, TemplateDefinition } from '../model/template-definition';

/** A deal as a case: the create page, the deal page (form, stages, actions, documents, history). */

export type DealStatus = 'OPEN' | 'WON' | 'LOST';
export type DealActionStatus = 'TODO' | 'REQUESTED' | 'DONE' | 'FAILED';

export type DealAction = {
  id: string;
  key: string;
  kind: string;
  title: string;
  stageKey: string;
  required: boolean;
  status: DealActionStatus;
  dueAt: string | null;
  doneAt: string | null;
  documentId: string | null;
  /** Why the documents service refused, or the document failed (FAILED; the action may run again). */
  failureReason: string | null;
  comment: string | null;
};

export type DealDocument = { id: string; title: string; type: string; status: string; number: string | null };

export type DealHistoryEntry = {
  id: string;
  at: string;
  kind: string;
  actorKind: string;
  actor: { id: string; name: string } | null;
  changes: { field: string; from: unknown; to: unknown }[];
  fromStageKey: string | null;
  toStageKey: string | null;
  actionTitle: string | null;
  closeReason: string | null;
  comment: string | null;
  documentId: string | null;
};

export type DealVersionStage = {
  key: string;
  name: string;
  probability: number;
  outcome: StageOutcome;
  requiredFields: string[];
  actions: { key: string; kind: string; title: string; required: boolean }[];
};

export type DealTemplateVersion = {
  id: string;
  number: number;
  template: { id: string; name: string };
  definition: TemplateDefinition | null;
  jsonSchema: JsonObject;
  uiSchema: JsonObject;
  stages: DealVersionStage[];
};

export type DealCase = {
  id: string;
  title: string;
  amount: Money | null;
  weightedAmount: Money | null;
  owner: { id: string; name: string } | null;
  counterparty: { id: string; name: string; shortName: string | null } | null;
  counterpartyId: string;
  expectedCloseDate: string | null;
  version: number;
  stageKey: string;
  currentStage: { key: string; name: string; probability: number; outcome: StageOutcome; requiredFields: string[] } | null;
  status: DealStatus;
  closeReason: string | null;
  formData: JsonObject | null;
  actions: DealAction[];
  nextAction: { title: string; dueAt: string | null } | null;
  templateVersion: DealTemplateVersion;
};

export const DEAL_CASE = gql`
  fragment DealCase on Deal {
    id
    title
    amount {
      minor
      currency
    }
    weightedAmount {
      minor
      currency
    }
    owner {
      id
      name
    }
    counterpartyId
    counterparty {
      id
      name
      shortName
    }
    expectedCloseDate
    version
    stageKey
    currentStage {
      key
      name
      probability
      outcome
      requiredFields
    }
    status
    closeReason
    formData
    actions {
      id
      key
      kind
      title
      stageKey
      required
      status
      dueAt
      doneAt
      documentId
      failureReason
      comment
    }
    nextAction {
      title
      dueAt
    }
    templateVersion {
      id
      number
      template {
        id
        name
      }
      definition
      jsonSchema
      uiSchema
      stages {
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
        }
      }
    }
  }
`;

export type DealCaseData = { deal: DealCase | null };
export const DEAL_PAGE = gql`
  query DealCasePage($id: ID!) {
    deal(id: $id) {
      ...DealCase
    }
  }
  ${DEAL_CASE}
`;

/** The deal's documents (the documents subgraph adds them): a query of their own, so a silent subgraph spares the page. */
export type DealDocumentsData = { deal: { id: string; documents: DealDocument[] | null } | null };
export const DEAL_DOCUMENTS = gql`
  query DealCaseDocuments($id: ID!) {
    deal(id: $id) {
      id
      documents {
        id
        title
        type
        status
        number
      }
    }
  }
`;

export type DealHistoryData = { deal: { id: string; history: Connection<DealHistoryEntry> | null } | null };
export const DEAL_HISTORY = gql`
  query DealCaseHistory($id: ID!, $first: Int!, $after: String) {
    deal(id: $id) {
      id
      history(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            id
            at
            kind
            actorKind
            actor {
              id
              name
            }
            changes {
              field
              from
              to
            }
            fromStageKey
            toStageKey
            actionTitle
            closeReason
            comment
            documentId
          }
        }
      }
    }
  }
`;

export type CreateDealInput = {
  templateId: string;
  counterpartyId: string;
  title: string;
  ownerId: string | null;
  amountMinor: number | null;
  currency: string | null;
  expectedCloseDate: string | null;
  formData: JsonObject;
};
export type CreateDealData = { createDeal: { id: string; counterpartyId: string } };
export const CREATE_DEAL = gql`
  mutation DealCreateCase($input: CreateDealInput!) {
    createDeal(input: $input) {
      id
      counterpartyId
    }
  }
`;

export type UpdateDealInput = {
  id: string;
  version: number;
  title?: string;
  ownerId?: string | null;
  amountMinor?: number | null;
  currency?: string | null;
  expectedCloseDate?: string | null;
  formData?: JsonObject;
};
export type DealMutationData<K extends string> = { [key in K]: DealCase };
export const UPDATE_DEAL = gql`
  mutation DealUpdateCase($input: UpdateDealInput!) {
    updateDeal(input: $input) {
      ...DealCase
    }
  }
  ${DEAL_CASE}
`;

export const MOVE_DEAL = gql`
  mutation DealMoveCase($input: MoveDealInput!) {
    moveDeal(input: $input) {
      ...DealCase
    }
  }
  ${DEAL_CASE}
`;

/** Running an action answers the action; its deal comes along. */
export type CompleteDealActionData = { completeDealAction: { id: string; status: DealActionStatus; deal: DealCase } };
export const COMPLETE_DEAL_ACTION = gql`
  mutation DealCompleteAction($input: CompleteDealActionInput!) {
    completeDealAction(input: $input) {
      id
      status
      deal {
        ...DealCase
      }
    }
  }
  ${DEAL_CASE}
`;

/** Published templates a deal can start from, with the latest version's form. */
export type StartTemplate = { id: string; name: string; description: string | null; latestVersion: { id: string; number: number } | null };
export type StartTemplatesData = { caseTemplates: StartTemplate[] };
export const START_TEMPLATES = gql`
  query DealStartTemplates {
    caseTemplates(includeArchived: false) {
      id
      name
      description
      latestVersion {
        id
        number
      }
    }
  }
`;
