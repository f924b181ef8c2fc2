import { gql } from '@apollo/client/core';
import { connectionSelection, type Connection } from '@kartoteka/portal-api';
import type { DocumentStatus, DocumentType } from './document.queries';

/** "My tasks": approval steps and acknowledgements waiting for the current user, and the decisions on them. */

export const TASKS_PAGE_SIZE = 50;

export type StepStatus = 'WAITING' | 'PENDING' | 'APPROVED' | 'REJECTED' | 'SKIPPED' | 'CANCELLED';

/** The document of a task as the lists show it (null when it is restricted from the user). */
export type TaskDocument = {
  id: string;
  title: string;
  number: string | null;
  status: DocumentStatus;
  type: DocumentType;
  counterparty: { id: string; name: string } | null;
};

export type ApprovalTask = {
  id: string;
  status: StepStatus;
  stageName: string;
  signOff: boolean;
  dueAt: string | null;
  overdue: boolean;
  canDecide: boolean;
  document: TaskDocument | null;
};

export type AcknowledgementTask = {
  id: string;
  versionNumber: number;
  deadline: string | null;
  overdue: boolean;
  acknowledgedAt: string | null;
  document: TaskDocument | null;
};

const TASK_DOCUMENT = `
  document {
    id
    title
    number
    status
    type
    counterparty {
      id
      name
    }
  }
`;

const MY_APPROVAL_TASK = gql`
  fragment MyApprovalTask on ApprovalStep {
    id
    status
    stageName
    signOff
    dueAt
    overdue
    canDecide
    ${TASK_DOCUMENT}
  }
`;

export const MY_APPROVAL_TASKS = gql`
  query MyApprovalTasks($first: Int!, $after: String) {
    myApprovalTasks(first: $first, after: $after) {
      ${connectionSelection(MY_APPROVAL_TASK)}
    }
  }
  ${MY_APPROVAL_TASK}
`;

export type MyApprovalTasksData = { myApprovalTasks: Connection<ApprovalTask> };

const MY_ACKNOWLEDGEMENT_TASK = gql`
  fragment MyAcknowledgementTask on Acknowledgement {
    id
    versionNumber
    deadline
    overdue
    acknowledgedAt
    ${TASK_DOCUMENT}
  }
`;

export const MY_ACKNOWLEDGEMENT_TASKS = gql`
  query MyAcknowledgementTasks($first: Int!, $after: String) {
    myAcknowledgementTasks(first: $first, after: $after) {
      ${connectionSelection(MY_ACKNOWLEDGEMENT_TASK)}
    }
  }
  ${MY_ACKNOWLEDGEMENT_TASK}
`;

export type MyAcknowledgementTasksData = { myAcknowledgementTasks: Connection<AcknowledgementTask> };

export type PageVars = { first: number; after?: string | null };

/** The answer of a decision: the step's new state (normalized into the cache by id). */
const DECIDED_STEP = `
  id
  status
  canDecide
  decidedAt
  comment
`;

export const APPROVE_STEP = gql`
  mutation ApproveStep($input: ApproveStepInput!) {
    approveStep(input: $input) {
      ${DECIDED_STEP}
    }
  }
`;

export const REJECT_STEP = gql`
  mutation RejectStep($input: RejectStepInput!) {
    rejectStep(input: $input) {
      ${DECIDED_STEP}
    }
  }
`;

export type DecidedStep = { id: string; status: StepStatus; canDecide: boolean; decidedAt: string | null; comment: string | null };
export type ApproveStepData = { approveStep: DecidedStep };
export type RejectStepData = { rejectStep: DecidedStep };
export type DecisionVars = { input: { stepId: string; comment?: string | null } };

export const ACKNOWLEDGE_DOCUMENT = gql`
  mutation AcknowledgeDocument($input: AcknowledgeDocumentInput!) {
    acknowledgeDocument(input: $input) {
      id
      acknowledgedAt
      overdue
    }
  }
`;

export type AcknowledgeDocumentData = { acknowledgeDocument: { id: string; acknowledgedAt: string | null; overdue: boolean } };
export type AcknowledgeDocumentVars = { input: { id: string } };

/** Operation names of the task lists (refetched by live updates). */
export const TASK_QUERY_NAMES = ['MyApprovalTasks', 'MyAcknowledgementTasks'] as const;
