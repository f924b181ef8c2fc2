import type { DecidedStepFragment, MyAcknowledgementTaskFragment, TaskDocumentFragment } from './__generated__/tasks';

/**
 * "My tasks": approval steps and acknowledgements waiting for the current user, and the decisions on them (also
 * taken from the document page). The documents are in tasks.graphql; their types and typed document nodes are
 * generated from the supergraph (`pnpm codegen`).
 */
export {
  MyApprovalTasksDocument as MY_APPROVAL_TASKS,
  MyAcknowledgementTasksDocument as MY_ACKNOWLEDGEMENT_TASKS,
  ApproveStepDocument as APPROVE_STEP,
  RejectStepDocument as REJECT_STEP,
  AcknowledgeDocumentDocument as ACKNOWLEDGE_DOCUMENT,
} from './__generated__/tasks';
export type { StepStatus } from './__generated__/tasks';

export const TASKS_PAGE_SIZE = 50;

/** The document of a task as the lists show it (null when it is restricted from the user). */
export type TaskDocument = TaskDocumentFragment;
export type AcknowledgementTask = MyAcknowledgementTaskFragment;

/**
 * The answer of a decision: the step's new state and its document's — status, who must act now and the pending
 * steps — to tell the approver what happens next without another round trip.
 */
export type DecidedStep = DecidedStepFragment;
export type DecidedDocument = NonNullable<DecidedStep['document']>;
/** A step waiting for a decision now, with who may take it. */
export type NextStep = DecidedDocument['pendingSteps'][number];

/** Operation names of the task lists (refetched by live updates). */
export const TASK_QUERY_NAMES = ['MyApprovalTasks', 'MyAcknowledgementTasks'] as const;
