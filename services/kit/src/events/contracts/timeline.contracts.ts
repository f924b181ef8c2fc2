import type { JSONSchemaType } from 'ajv';
import { DATE_PATTERN, DATE_TIME_PATTERN, defineContract, isRealDate, isRealDateTime, UUID_PATTERN, type WireOf } from './contract';

/*
 * Events published for the counterparty timeline (issue 11): what happened to deals, tasks, projects and payments,
 * each naming the counterparty it concerns when the producer knows it. Consumers other than the timeline may use
 * them too. Additive to the older contracts of the same producers (deals.contracts.ts, finance.contracts.ts).
 */

const uuid = { type: 'string', pattern: UUID_PATTERN } as const;
const optionalUuid = { type: 'string', pattern: UUID_PATTERN, nullable: true } as const;
const optionalText = (maxLength: number) => ({ type: 'string', maxLength, nullable: true }) as const;
const lowerOrNull = (id: string | null | undefined): string | null => (id ? id.toLowerCase() : null);

/** deals → everyone: a deal was created. */
export const DEAL_CREATED = 'deals.deal.created';
/** deals → everyone: a deal moved to another open stage (forward, back, or reopened after being closed). */
export const DEAL_STAGE_MOVED = 'deals.deal.stage-moved';
/** deals → everyone: a deal was won (moved to a won stage). */
export const DEAL_WON = 'deals.deal.won';
/** deals → everyone: a deal was lost (moved to a lost stage, with a reason). */
export const DEAL_LOST = 'deals.deal.lost';
export const DEAL_LIFECYCLE_TOPICS = [DEAL_CREATED, DEAL_STAGE_MOVED, DEAL_WON, DEAL_LOST] as const;

/** A deal's lifecycle step: its state right after the step. */
export type DealLifecycle = {
  dealId: string;
  counterpartyId: string;
  title: string;
  /** The stage the deal is in now, and its name in the deal's template version. */
  stageKey: string;
  stageName: string | null;
  /** The stage it left (null on creation). */
  fromStageKey: string | null;
  fromStageName: string | null;
  /** OPEN, WON or LOST. */
  status: string;
  amountMinor: number | null;
  currency: string | null;
  closeReason: string | null;
  /** The staff member (or API key) who acted. */
  actorId: string | null;
  /** ISO-8601. */
  occurredAt: string;
};

type DealLifecycleWire = WireOf<DealLifecycle, 'stageName' | 'fromStageKey' | 'fromStageName' | 'amountMinor' | 'currency' | 'closeReason' | 'actorId'>;

const dealLifecycleSchema: JSONSchemaType<DealLifecycleWire> = {
  type: 'object',
  properties: {
    dealId: uuid,
    counterpartyId: uuid,
    title: { type: 'string', minLength: 1, maxLength: 2000 },
    stageKey: { type: 'string', minLength: 1, maxLength: 100 },
    stageName: optionalText(500),
    fromStageKey: optionalText(100),
    fromStageName: optionalText(500),
    status: { type: 'string', enum: ['OPEN', 'WON', 'LOST'] },
    amountMinor: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, nullable: true },
    currency: { type: 'string', pattern: '^[A-Z]{3}$', nullable: true },
    closeReason: optionalText(5000),
    actorId: optionalUuid,
    occurredAt: { type: 'string', pattern: DATE_TIME_PATTERN },
  },
  required: ['dealId', 'counterpartyId', 'title', 'stageKey', 'status', 'occurredAt'],
  additionalProperties: true,
};

export const dealLifecycleContract = defineContract<DealLifecycle, DealLifecycleWire>(DEAL_LIFECYCLE_TOPICS, dealLifecycleSchema, (value) =>
  isRealDateTime(value.occurredAt)
    ? {
        ...value,
        dealId: value.dealId.toLowerCase(),
        counterpartyId: value.counterpartyId.toLowerCase(),
        stageName: value.stageName ?? null,
        fromStageKey: value.fromStageKey ?? null,
        fromStageName: value.fromStageName ?? null,
        amountMinor: value.amountMinor ?? null,
        currency: value.currency ?? null,
        closeReason: value.closeReason ?? null,
        actorId: lowerOrNull(value.actorId),
      }
    : 'occurredAt is not a real date-time',
);

/** deals → everyone: a general task was created (completion: {@link TASK_COMPLETED} in deals.contracts.ts). */
export const TASK_CREATED = 'deals.task.created';

export type TaskCreated = {
  taskId: string;
  title: string;
  assigneeId: string | null;
  createdById: string | null;
  /** ISO-8601, or null. */
  dueAt: string | null;
  priority: string | null;
  counterpartyId: string | null;
  dealId: string | null;
  projectId: string | null;
  documentId: string | null;
  /** ISO-8601. */
  createdAt: string;
};

type TaskCreatedWire = WireOf<TaskCreated, 'assigneeId' | 'createdById' | 'dueAt' | 'priority' | 'counterpartyId' | 'dealId' | 'projectId' | 'documentId'>;

const taskCreatedSchema: JSONSchemaType<TaskCreatedWire> = {
  type: 'object',
  properties: {
    taskId: uuid,
    title: { type: 'string', minLength: 1, maxLength: 2000 },
    assigneeId: optionalUuid,
    createdById: optionalUuid,
    dueAt: { type: 'string', pattern: DATE_TIME_PATTERN, nullable: true },
    priority: optionalText(20),
    counterpartyId: optionalUuid,
    dealId: optionalUuid,
    projectId: optionalUuid,
    documentId: optionalUuid,
    createdAt: { type: 'string', pattern: DATE_TIME_PATTERN },
  },
  required: ['taskId', 'title', 'createdAt'],
  additionalProperties: true,
};

export const taskCreatedContract = defineContract<TaskCreated, TaskCreatedWire>([TASK_CREATED], taskCreatedSchema, (value) =>
  isRealDateTime(value.createdAt) && (value.dueAt == null || isRealDateTime(value.dueAt))
    ? {
        ...value,
        taskId: value.taskId.toLowerCase(),
        assigneeId: lowerOrNull(value.assigneeId),
        createdById: lowerOrNull(value.createdById),
        dueAt: value.dueAt ?? null,
        priority: value.priority ?? null,
        counterpartyId: lowerOrNull(value.counterpartyId),
        dealId: lowerOrNull(value.dealId),
        projectId: lowerOrNull(value.projectId),
        documentId: lowerOrNull(value.documentId),
      }
    : 'createdAt or dueAt is not a real date-time',
);

/** deals → everyone: a project was created. */
export const PROJECT_CREATED = 'deals.project.created';
/** deals → everyone: a project's fields, counterparties or status changed. */
export const PROJECT_CHANGED = 'deals.project.changed';
export const PROJECT_TOPICS = [PROJECT_CREATED, PROJECT_CHANGED] as const;

export type ProjectNews = {
  projectId: string;
  name: string;
  status: string;
  /** The counterparties concerned: those of the project now, and on a change also those it just removed. */
  counterpartyIds: string[];
  /** Names of the fields that changed (empty on creation). */
  changedFields: string[];
  actorId: string | null;
  /** ISO-8601. */
  occurredAt: string;
  /**
   * The documents linked to the project now (all of them, not a diff: the newest event wins), so finance can
   * compute the project's actuals from its own data. null: the producer did not say (events before this field).
   */
  documentIds: string[] | null;
};

type ProjectWire = WireOf<ProjectNews, 'actorId' | 'documentIds'>;

const projectSchema: JSONSchemaType<ProjectWire> = {
  type: 'object',
  properties: {
    projectId: uuid,
    name: { type: 'string', minLength: 1, maxLength: 2000 },
    status: { type: 'string', minLength: 1, maxLength: 50 },
    counterpartyIds: { type: 'array', items: uuid, maxItems: 1000 },
    changedFields: { type: 'array', items: { type: 'string', maxLength: 100 }, maxItems: 100 },
    actorId: optionalUuid,
    occurredAt: { type: 'string', pattern: DATE_TIME_PATTERN },
    documentIds: { type: 'array', items: uuid, maxItems: 1000, nullable: true },
  },
  required: ['projectId', 'name', 'status', 'counterpartyIds', 'changedFields', 'occurredAt'],
  additionalProperties: true,
};

export const projectNewsContract = defineContract<ProjectNews, ProjectWire>(PROJECT_TOPICS, projectSchema, (value) =>
  isRealDateTime(value.occurredAt)
    ? {
        ...value,
        projectId: value.projectId.toLowerCase(),
        counterpartyIds: [...new Set(value.counterpartyIds.map((id) => id.toLowerCase()))],
        actorId: lowerOrNull(value.actorId),
        documentIds: value.documentIds ? [...new Set(value.documentIds.map((id) => id.toLowerCase()))] : null,
      }
    : 'occurredAt is not a real date-time',
);

/** finance → everyone: a payment was received (or sent) and matched to a counterparty (bank statement import or manual match). */
export const PAYMENT_RECEIVED = 'finance.payment.received';

export type PaymentReceived = {
  paymentId: string;
  counterpartyId: string;
  /** INCOMING: the counterparty paid us; OUTGOING: we paid the counterparty. */
  direction: 'INCOMING' | 'OUTGOING';
  amountMinor: number;
  currency: string;
  /** The payment order number and date (YYYY-MM-DD) as the bank reported them. */
  number: string | null;
  date: string;
  purpose: string | null;
  invoiceId: string | null;
  contractId: string | null;
  /** ISO-8601: when it was matched. */
  matchedAt: string;
  matchedById: string | null;
};

type PaymentWire = WireOf<PaymentReceived, 'number' | 'purpose' | 'invoiceId' | 'contractId' | 'matchedById'>;

const paymentSchema: JSONSchemaType<PaymentWire> = {
  type: 'object',
  properties: {
    paymentId: uuid,
    counterpartyId: uuid,
    direction: { type: 'string', enum: ['INCOMING', 'OUTGOING'] },
    amountMinor: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    number: optionalText(100),
    date: { type: 'string', pattern: DATE_PATTERN },
    purpose: optionalText(2000),
    invoiceId: optionalUuid,
    contractId: optionalUuid,
    matchedAt: { type: 'string', pattern: DATE_TIME_PATTERN },
    matchedById: optionalUuid,
  },
  required: ['paymentId', 'counterpartyId', 'direction', 'amountMinor', 'currency', 'date', 'matchedAt'],
  additionalProperties: true,
};

export const paymentReceivedContract = defineContract<PaymentReceived, PaymentWire>([PAYMENT_RECEIVED], paymentSchema, (value) => {
  if (!isRealDate(value.date)) return 'date is not a real date';
  if (!isRealDateTime(value.matchedAt)) return 'matchedAt is not a real date-time';
  return {
    ...value,
    paymentId: value.paymentId.toLowerCase(),
    counterpartyId: value.counterpartyId.toLowerCase(),
    number: value.number ?? null,
    purpose: value.purpose ?? null,
    invoiceId: lowerOrNull(value.invoiceId),
    contractId: lowerOrNull(value.contractId),
    matchedById: lowerOrNull(value.matchedById),
  };
});

/**
 * documents → everyone: something happened to a document that its counterparty's timeline shows — created, an
 * approval step decided (approved or rejected), its status changed. Published with the document's audit record
 * (in the same transaction), for every document whatever its type or deal. Sign-off has its own event
 * ({@link DOCUMENT_SIGNED} in documents.contracts.ts), so a change to SIGNED is not repeated here.
 */
export const DOCUMENT_ACTIVITY = 'documents.document.activity';

export const DOCUMENT_ACTIVITY_ACTIONS = ['CREATED', 'STEP_APPROVED', 'STEP_REJECTED', 'STATUS_CHANGED'] as const;
export type DocumentActivityAction = (typeof DOCUMENT_ACTIVITY_ACTIONS)[number];

export type DocumentActivity = {
  documentId: string;
  counterpartyId: string;
  documentType: string;
  number: string | null;
  title: string;
  /** The status after the activity. */
  status: string;
  action: DocumentActivityAction;
  /** STATUS_CHANGED: the status before. */
  fromStatus: string | null;
  /** An approver's comment, a reason. */
  comment: string | null;
  dealId: string | null;
  actorId: string | null;
  /** ISO-8601. */
  occurredAt: string;
};

type DocumentActivityWire = WireOf<DocumentActivity, 'number' | 'fromStatus' | 'comment' | 'dealId' | 'actorId'>;

const documentActivitySchema: JSONSchemaType<DocumentActivityWire> = {
  type: 'object',
  properties: {
    documentId: uuid,
    counterpartyId: uuid,
    documentType: { type: 'string', minLength: 1, maxLength: 50 },
    number: optionalText(100),
    title: { type: 'string', maxLength: 2000 },
    status: { type: 'string', minLength: 1, maxLength: 50 },
    action: { type: 'string', enum: [...DOCUMENT_ACTIVITY_ACTIONS] },
    fromStatus: optionalText(50),
    comment: optionalText(5000),
    dealId: optionalUuid,
    actorId: optionalUuid,
    occurredAt: { type: 'string', pattern: DATE_TIME_PATTERN },
  },
  required: ['documentId', 'counterpartyId', 'documentType', 'title', 'status', 'action', 'occurredAt'],
  additionalProperties: true,
};

export const documentActivityContract = defineContract<DocumentActivity, DocumentActivityWire>([DOCUMENT_ACTIVITY], documentActivitySchema, (value) =>
  isRealDateTime(value.occurredAt)
    ? {
        ...value,
        documentId: value.documentId.toLowerCase(),
        counterpartyId: value.counterpartyId.toLowerCase(),
        number: value.number ?? null,
        fromStatus: value.fromStatus ?? null,
        comment: value.comment ?? null,
        dealId: lowerOrNull(value.dealId),
        actorId: lowerOrNull(value.actorId),
      }
    : 'occurredAt is not a real date-time',
);
