import type { JSONSchemaType } from 'ajv';
import { DATE_TIME_PATTERN, defineContract, isRealDateTime, UUID_PATTERN, type WireOf } from './contract';

const uuid = { type: 'string', pattern: UUID_PATTERN } as const;

/**
 * mailings → documents: a mailing was submitted for approval. documents files an EDMS document with the id chosen
 * by mailings (`documentId`, so both sides know it at once and a redelivery creates nothing new) of type
 * COMMERCIAL_OFFER under `counterpartyId` (the sample recipient's counterparty: a document needs one), with the
 * rendered sample as its file, and starts its type's default approval route. The outcome comes back through
 * documents' usual events: `documents.document.signed` (approved), `documents.document.activity` (rejected, recalled,
 * with the comment), or `documents.mailing-approval.refused` when no route could be started.
 */
export const MAILING_APPROVAL_REQUESTED = 'mailings.mailing.approval-requested';

export type MailingApprovalRequested = {
  mailingId: string;
  /** The EDMS document to create (chosen by mailings; a new one per submission). */
  documentId: string;
  name: string;
  /** The subject as the sample recipient sees it. */
  subject: string;
  /** The rendered, sanitized HTML personalised for the sample recipient: the document's file. */
  html: string;
  /** The plain-text alternative of the same message. */
  text: string;
  /** The counterparty the document is filed under (the sample recipient's). */
  counterpartyId: string;
  /** How many recipients the audience had when it was submitted. */
  recipientCount: number;
  /** The staff member who submitted it; documents acts on their behalf (their permissions). */
  requestedById: string | null;
  /** ISO-8601. */
  requestedAt: string;
};

type RequestedWire = WireOf<MailingApprovalRequested, 'requestedById'>;

const requestedSchema: JSONSchemaType<RequestedWire> = {
  type: 'object',
  properties: {
    mailingId: uuid,
    documentId: uuid,
    name: { type: 'string', minLength: 1, maxLength: 500 },
    subject: { type: 'string', maxLength: 2000 },
    html: { type: 'string', maxLength: 5_000_000 },
    text: { type: 'string', maxLength: 5_000_000 },
    counterpartyId: uuid,
    recipientCount: { type: 'integer', minimum: 0, maximum: 100_000_000 },
    requestedById: { type: 'string', pattern: UUID_PATTERN, nullable: true },
    requestedAt: { type: 'string', pattern: DATE_TIME_PATTERN },
  },
  required: ['mailingId', 'documentId', 'name', 'subject', 'html', 'text', 'counterpartyId', 'recipientCount', 'requestedAt'],
  additionalProperties: true,
};

export const mailingApprovalRequestedContract = defineContract<MailingApprovalRequested, RequestedWire>([MAILING_APPROVAL_REQUESTED], requestedSchema, (value) =>
  isRealDateTime(value.requestedAt)
    ? {
        ...value,
        mailingId: value.mailingId.toLowerCase(),
        documentId: value.documentId.toLowerCase(),
        counterpartyId: value.counterpartyId.toLowerCase(),
        requestedById: value.requestedById ? value.requestedById.toLowerCase() : null,
      }
    : 'requestedAt is not a real date-time',
);

/** documents → mailings: the approval of a mailing could not be started (no route template, no permission, unknown counterparty…). */
export const MAILING_APPROVAL_REFUSED = 'documents.mailing-approval.refused';

export type MailingApprovalRefused = { mailingId: string; documentId: string; error: string };

const refusedSchema: JSONSchemaType<MailingApprovalRefused> = {
  type: 'object',
  properties: { mailingId: uuid, documentId: uuid, error: { type: 'string', minLength: 1, maxLength: 5000 } },
  required: ['mailingId', 'documentId', 'error'],
  additionalProperties: true,
};

export const mailingApprovalRefusedContract = defineContract<MailingApprovalRefused>([MAILING_APPROVAL_REFUSED], refusedSchema, (value) => ({
  ...value,
  mailingId: value.mailingId.toLowerCase(),
  documentId: value.documentId.toLowerCase(),
}));

/**
 * mailings → everyone: a recipient of a mailing reached a status of its delivery — SENT (the receiving SMTP server
 * accepted the message), BOUNCED (refused: HARD at once, SOFT after the last attempt), FAILED (gave up on temporary
 * errors) or UNSUBSCRIBED (the contact unsubscribed, or the address is suppressed). Published in the transaction that
 * records the status (H2, mailings-delivery); the counterparty's timeline shows it.
 */
export const MAILING_RECIPIENT_STATUS_CHANGED = 'mailings.recipient.status-changed';

export const MAILING_RECIPIENT_EVENT_STATUSES = ['QUEUED', 'SENT', 'FAILED', 'BOUNCED', 'UNSUBSCRIBED'] as const;
export type MailingRecipientEventStatus = (typeof MAILING_RECIPIENT_EVENT_STATUSES)[number];

export type MailingRecipientStatusChanged = {
  mailingId: string;
  mailingName: string;
  counterpartyId: string;
  recipientId: string;
  contactId: string | null;
  contactName: string | null;
  /** The status the recipient has now. */
  status: MailingRecipientEventStatus;
  /** BOUNCED: HARD or SOFT. */
  bounceKind: 'HARD' | 'SOFT' | null;
  /** ISO-8601: when the status was reached. */
  at: string;
};

type MailingRecipientStatusWire = WireOf<MailingRecipientStatusChanged, 'contactId' | 'contactName' | 'bounceKind'>;

const mailingRecipientStatusSchema: JSONSchemaType<MailingRecipientStatusWire> = {
  type: 'object',
  properties: {
    mailingId: uuid,
    mailingName: { type: 'string', maxLength: 500 },
    counterpartyId: uuid,
    recipientId: uuid,
    contactId: { type: 'string', pattern: UUID_PATTERN, nullable: true },
    contactName: { type: 'string', maxLength: 500, nullable: true },
    status: { type: 'string', enum: [...MAILING_RECIPIENT_EVENT_STATUSES] },
    bounceKind: { type: 'string', enum: ['HARD', 'SOFT', null], nullable: true },
    at: { type: 'string', pattern: DATE_TIME_PATTERN },
  },
  required: ['mailingId', 'mailingName', 'counterpartyId', 'recipientId', 'status', 'at'],
  additionalProperties: true,
};

export const mailingRecipientStatusContract = defineContract<MailingRecipientStatusChanged, MailingRecipientStatusWire>([MAILING_RECIPIENT_STATUS_CHANGED], mailingRecipientStatusSchema, (value) =>
  isRealDateTime(value.at)
    ? {
        ...value,
        mailingId: value.mailingId.toLowerCase(),
        counterpartyId: value.counterpartyId.toLowerCase(),
        recipientId: value.recipientId.toLowerCase(),
        contactId: value.contactId ? value.contactId.toLowerCase() : null,
        contactName: value.contactName ?? null,
        bounceKind: value.bounceKind ?? null,
      }
    : 'at is not a real date-time',
);
