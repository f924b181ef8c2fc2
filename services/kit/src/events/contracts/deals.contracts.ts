import type { JSONSchemaType } from 'ajv';
import { DATE_TIME_PATTERN, defineContract, isRealDateTime, UUID_PATTERN, type WireOf } from './contract';

/** deals → documents: make a draft document for a deal action (SEND_OFFER → COMMERCIAL_OFFER, PREPARE_CONTRACT → CONTRACT). */
export const DEAL_DOCUMENT_REQUESTED = 'deals.document.requested';
export type DealDocumentRequested = {
  dealId: string;
  actionId: string;
  counterpartyId: string;
  documentType: 'COMMERCIAL_OFFER' | 'CONTRACT';
  title: string;
  /** The staff member (or API key) who ran the action. */
  requestedById: string | null;
  amountMinor: number | null;
  currency: string | null;
  /** Code of the document template the case template names for this action; the file is generated from it. Optional: added later. */
  templateCode?: string | null;
  /** Title of the deal (for the `deal.title` placeholder). Optional: added later. */
  dealTitle?: string | null;
};

/** deals → documents: start the approval route of the deal's newest contract (REQUEST_APPROVAL). */
export const DEAL_APPROVAL_REQUESTED = 'deals.approval.requested';
export type DealApprovalRequested = { dealId: string; actionId: string; documentId: string; requestedById: string | null };

const uuid = { type: 'string', pattern: UUID_PATTERN } as const;
const optionalUuid = { type: 'string', pattern: UUID_PATTERN, nullable: true } as const;

type DocumentRequestedWire = WireOf<DealDocumentRequested, 'requestedById' | 'amountMinor' | 'currency' | 'templateCode' | 'dealTitle'>;
type ApprovalRequestedWire = WireOf<DealApprovalRequested, 'requestedById'>;

const documentRequestedSchema: JSONSchemaType<DocumentRequestedWire> = {
  type: 'object',
  properties: {
    dealId: uuid,
    actionId: uuid,
    counterpartyId: uuid,
    documentType: { type: 'string', enum: ['COMMERCIAL_OFFER', 'CONTRACT'] },
    title: { type: 'string', minLength: 1, maxLength: 2000, pattern: '\\S' },
    requestedById: optionalUuid,
    amountMinor: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, nullable: true },
    currency: { type: 'string', pattern: '^[A-Z]{3}$', nullable: true },
    templateCode: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,49}$', nullable: true },
    dealTitle: { type: 'string', maxLength: 2000, nullable: true },
  },
  required: ['dealId', 'actionId', 'counterpartyId', 'documentType', 'title'],
  additionalProperties: true,
};

const approvalRequestedSchema: JSONSchemaType<ApprovalRequestedWire> = {
  type: 'object',
  properties: { dealId: uuid, actionId: uuid, documentId: uuid, requestedById: optionalUuid },
  required: ['dealId', 'actionId', 'documentId'],
  additionalProperties: true,
};

const lower = (id: string | null | undefined): string | null => (id ? id.toLowerCase() : null);

export const dealDocumentRequestedContract = defineContract<DealDocumentRequested, DocumentRequestedWire>([DEAL_DOCUMENT_REQUESTED], documentRequestedSchema, (value) => ({
  ...value,
  dealId: value.dealId.toLowerCase(),
  actionId: value.actionId.toLowerCase(),
  counterpartyId: value.counterpartyId.toLowerCase(),
  title: value.title.trim().slice(0, 500),
  requestedById: lower(value.requestedById),
  amountMinor: value.amountMinor ?? null,
  currency: value.currency ?? null,
  templateCode: value.templateCode ?? null,
  dealTitle: value.dealTitle?.trim().slice(0, 500) || null,
}));

export const dealApprovalRequestedContract = defineContract<DealApprovalRequested, ApprovalRequestedWire>([DEAL_APPROVAL_REQUESTED], approvalRequestedSchema, (value) => ({
  dealId: value.dealId.toLowerCase(),
  actionId: value.actionId.toLowerCase(),
  documentId: value.documentId.toLowerCase(),
  requestedById: lower(value.requestedById),
}));

/**
 * deals → documents: a general task (deals' task module) comes due soon (`deals.task.due-soon`, once per task and
 * due time, the configured lead time before it) or fell overdue (`deals.task.overdue`, once per task and due time).
 * Documents turns them into TASK_DUE_SOON / TASK_OVERDUE notifications of `assigneeId` (in-app and e-mail).
 */
export const TASK_DUE_SOON = 'deals.task.due-soon';
export const TASK_OVERDUE = 'deals.task.overdue';

export type TaskReminder = {
  taskId: string;
  title: string;
  /** The staff member to remind. */
  assigneeId: string;
  /** The due time the reminder is for (ISO-8601, UTC): a task whose due time moves is reminded again. */
  dueAt: string;
  priority: 'LOW' | 'NORMAL' | 'HIGH' | 'URGENT';
  /** What the task is linked to, if anything (for the notification's link). */
  counterpartyId: string | null;
  documentId: string | null;
  dealId: string | null;
  projectId: string | null;
};

/** deals → documents: a general task was completed (or cancelled): its reminders count as handled. */
export const TASK_COMPLETED = 'deals.task.completed';

export type TaskCompleted = {
  taskId: string;
  /** DONE or CANCELLED. */
  status: 'DONE' | 'CANCELLED';
  /** ISO-8601. */
  completedAt: string;
  completedById: string | null;
};

type TaskReminderWire = WireOf<TaskReminder, 'counterpartyId' | 'documentId' | 'dealId' | 'projectId'>;
type TaskCompletedWire = WireOf<TaskCompleted, 'completedById'>;

const taskReminderSchema: JSONSchemaType<TaskReminderWire> = {
  type: 'object',
  properties: {
    taskId: uuid,
    title: { type: 'string', minLength: 1, maxLength: 2000, pattern: '\\S' },
    assigneeId: uuid,
    dueAt: { type: 'string', pattern: DATE_TIME_PATTERN },
    priority: { type: 'string', enum: ['LOW', 'NORMAL', 'HIGH', 'URGENT'] },
    counterpartyId: optionalUuid,
    documentId: optionalUuid,
    dealId: optionalUuid,
    projectId: optionalUuid,
  },
  required: ['taskId', 'title', 'assigneeId', 'dueAt', 'priority'],
  additionalProperties: true,
};

const taskCompletedSchema: JSONSchemaType<TaskCompletedWire> = {
  type: 'object',
  properties: {
    taskId: uuid,
    status: { type: 'string', enum: ['DONE', 'CANCELLED'] },
    completedAt: { type: 'string', pattern: DATE_TIME_PATTERN },
    completedById: optionalUuid,
  },
  required: ['taskId', 'status', 'completedAt'],
  additionalProperties: true,
};

export const taskReminderContract = defineContract<TaskReminder, TaskReminderWire>([TASK_DUE_SOON, TASK_OVERDUE], taskReminderSchema, (value) =>
  isRealDateTime(value.dueAt)
    ? {
        ...value,
        taskId: value.taskId.toLowerCase(),
        title: value.title.trim().slice(0, 500),
        assigneeId: value.assigneeId.toLowerCase(),
        counterpartyId: lower(value.counterpartyId),
        documentId: lower(value.documentId),
        dealId: lower(value.dealId),
        projectId: lower(value.projectId),
      }
    : 'dueAt is not a real date-time',
);

export const taskCompletedContract = defineContract<TaskCompleted, TaskCompletedWire>([TASK_COMPLETED], taskCompletedSchema, (value) =>
  isRealDateTime(value.completedAt) ? { ...value, taskId: value.taskId.toLowerCase(), completedById: lower(value.completedById) } : 'completedAt is not a real date-time',
);
