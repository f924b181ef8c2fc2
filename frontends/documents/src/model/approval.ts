import type { ApprovalRoute, ApprovalStage, ApprovalStep } from '../api/edms.queries';

export type Decision = 'approve' | 'reject' | 'delegate';

/** A click on a decision button of a step (the rounds card or the "your decision" banner). */
export type StepDecisionRequest = { decision: Decision; step: ApprovalStep; stage: ApprovalStage; route: ApprovalRoute };
