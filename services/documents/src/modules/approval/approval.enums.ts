import { registerEnumType } from 'type-graphql';

export enum StageMode {
  SEQUENTIAL = 'SEQUENTIAL',
  PARALLEL = 'PARALLEL',
}

export enum CompletionRule {
  ALL = 'ALL',
  ANY = 'ANY',
  QUORUM = 'QUORUM',
}

export enum RouteStatus {
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
  REJECTED = 'REJECTED',
  RECALLED = 'RECALLED',
  STOPPED = 'STOPPED',
}

export enum StageStatus {
  WAITING = 'WAITING',
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
}

export enum StepStatus {
  WAITING = 'WAITING',
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  SKIPPED = 'SKIPPED',
  CANCELLED = 'CANCELLED',
}

export enum ResubmitMode {
  ALL = 'ALL',
  NOT_YET_APPROVED = 'NOT_YET_APPROVED',
}

registerEnumType(StageMode, {
  name: 'StageMode',
  valuesConfig: { SEQUENTIAL: { description: 'Steps one after another, in order' }, PARALLEL: { description: 'All steps at once' } },
});
registerEnumType(CompletionRule, {
  name: 'CompletionRule',
  description: 'When a stage is complete',
  valuesConfig: { ALL: { description: 'Every step approved' }, ANY: { description: 'One approval is enough' }, QUORUM: { description: '`quorum` approvals' } },
});
registerEnumType(RouteStatus, {
  name: 'RouteStatus',
  valuesConfig: {
    ACTIVE: { description: 'In progress' },
    COMPLETED: { description: 'Every stage passed, the document is signed' },
    REJECTED: { description: 'A step was rejected: the document went to rework' },
    RECALLED: { description: 'The author recalled the document' },
    STOPPED: { description: 'An administrator stopped the route' },
  },
});
registerEnumType(StageStatus, { name: 'StageStatus' });
registerEnumType(StepStatus, {
  name: 'StepStatus',
  valuesConfig: {
    WAITING: { description: 'Not yet its turn' },
    PENDING: { description: 'Waiting for the approver\'s decision' },
    APPROVED: { description: 'Approved' },
    REJECTED: { description: 'Rejected (with a comment)' },
    SKIPPED: { description: 'Not needed: the stage completed without it' },
    CANCELLED: { description: 'The route ended before a decision' },
  },
});
registerEnumType(ResubmitMode, {
  name: 'ResubmitMode',
  valuesConfig: {
    ALL: { description: 'Everyone approves the new version again' },
    NOT_YET_APPROVED: { description: 'Only those who had not approved yet; earlier approvals are carried over (sign-off is always decided again)' },
  },
});
