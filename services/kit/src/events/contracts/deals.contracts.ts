import type { JSONSchemaType } from 'ajv';
import { defineContract, UUID_PATTERN, type WireOf } from './contract';

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
};

/** deals → documents: start the approval route of the deal's newest contract (REQUEST_APPROVAL). */
export const DEAL_APPROVAL_REQUESTED = 'deals.approval.requested';
export type DealApprovalRequested = { dealId: string; actionId: string; documentId: string; requestedById: string | null };

const uuid = { type: 'string', pattern: UUID_PATTERN } as const;
const optionalUuid = { type: 'string', pattern: UUID_PATTERN, nullable: true } as const;

type DocumentRequestedWire = WireOf<DealDocumentRequested, 'requestedById' | 'amountMinor' | 'currency'>;
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
}));

export const dealApprovalRequestedContract = defineContract<DealApprovalRequested, ApprovalRequestedWire>([DEAL_APPROVAL_REQUESTED], approvalRequestedSchema, (value) => ({
  dealId: value.dealId.toLowerCase(),
  actionId: value.actionId.toLowerCase(),
  documentId: value.documentId.toLowerCase(),
  requestedById: lower(value.requestedById),
}));
