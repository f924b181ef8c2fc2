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

/**
 * The answer of a decision: the step's new state and its document's — status, who must act now and the pending
 * steps (normalized into the cache by id, so the card's rows follow) — to tell the approver what happens next
 * without another round trip.
 */
const DECIDED_STEP = `
  id
  status
  canDecide
  decidedAt
  comment
  document {
    id
    status
    myPendingSteps {
      id
    }
    awaitingActionFrom {
      id
      name
      roles
    }
    pendingSteps {
      id
      role
      stageName
      signOff
      assignees {
        id
        name
      }
    }
  }
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

/** Someone who must act on a document now (`Document.awaitingActionFrom`). */
export type AwaitingUser = { id: string; name: string; roles: string[] };
/** A step waiting for a decision now, with who may take it. */
export type NextStep = { id: string; role: string | null; stageName: string; signOff: boolean; assignees: { id: string; name: string }[] };
export type DecidedDocument = { id: string; status: DocumentStatus; myPendingSteps: { id: string }[]; awaitingActionFrom: AwaitingUser[]; pendingSteps: NextStep[] };
export type DecidedStep = { id: string; status: StepStatus; canDecide: boolean; decidedAt: string | null; comment: string | null; document: DecidedDocument | null };
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
