import { gql } from '@apollo/client/core';
import type { Connection } from '@kartoteka/portal-api';

/**
 * The mailings subgraph's operations the portal sends (validated against the supergraph by
 * test/src/gateway/portal-operations.spec.ts, which imports every `*.queries.ts` of `src/api`).
 * Types are written by hand after /work/briefs/mailings-api.graphql (the agreed API).
 */

export const MAILING_STATUSES = ['DRAFT', 'ON_APPROVAL', 'APPROVED', 'REJECTED', 'SENDING', 'PAUSED', 'COMPLETED', 'CANCELLED'] as const;
export type MailingStatus = (typeof MAILING_STATUSES)[number];

export const RECIPIENT_STATUSES = ['QUEUED', 'SENT', 'FAILED', 'BOUNCED', 'UNSUBSCRIBED'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

/** Counterparty statuses an audience can be built from (counterparties' `CounterpartyStatus`, archived ones left out). */
export const AUDIENCE_COUNTERPARTY_STATUSES = ['PROSPECT', 'CLIENT', 'SUPPLIER', 'PARTNER'] as const;

export type MailingProgress = { total: number; queued: number; sent: number; failed: number; bounced: number; unsubscribed: number };
export type AudienceFilter = { statuses: string[]; tags: string[]; responsibleManagerIds: string[]; minRatingScore: number | null; counterpartyIds: string[] };
export type MailingAttachment = { fileName: string; contentType: string; size: number };

export type MailingListItem = { id: string; name: string; status: MailingStatus; createdAt: string; progress: MailingProgress };
export type Mailing = MailingListItem & {
  subject: string;
  bodyMjml: string;
  audience: AudienceFilter;
  ratePerMinute: number;
  ratePerHour: number;
  attachment: MailingAttachment | null;
  approvalDocumentId: string | null;
  approvalComment: string | null;
  createdBy: { id: string; name: string } | null;
  updatedAt: string;
  version: number;
};

const PROGRESS = 'progress { total queued sent failed bounced unsubscribed }';
const MAILING_FIELDS = `
  id name subject bodyMjml status createdAt updatedAt version ratePerMinute ratePerHour approvalDocumentId approvalComment
  audience { statuses tags responsibleManagerIds minRatingScore counterpartyIds }
  attachment { fileName contentType size }
  createdBy { id name }
  ${PROGRESS}
`;

export const MAILINGS = gql`
  query MailingList($first: Int!, $after: String, $status: MailingStatus, $q: String) {
    mailings(first: $first, after: $after, status: $status, q: $q) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name status createdAt ${PROGRESS} } }
    }
  }
`;
export type MailingsData = { mailings: Connection<MailingListItem> };
export type MailingsVars = { first: number; after?: string | null; status?: MailingStatus | null; q?: string | null };

export const MAILING = gql`
  query MailingPage($id: ID!) {
    mailing(id: $id) { ${MAILING_FIELDS} }
  }
`;
export type MailingData = { mailing: Mailing | null };

/** What the page polls while a mailing sends: its status and counts only. */
export const MAILING_PROGRESS = gql`
  query MailingProgress($id: ID!) {
    mailing(id: $id) { id status version ${PROGRESS} }
  }
`;
export type MailingProgressData = { mailing: Pick<Mailing, 'id' | 'status' | 'version' | 'progress'> | null };

export type MailingRecipient = {
  id: string;
  contactName: string | null;
  email: string;
  status: RecipientStatus;
  attempts: number;
  lastError: string | null;
  bounceKind: 'HARD' | 'SOFT' | null;
  sentAt: string | null;
  updatedAt: string;
  counterparty: { id: string; name: string } | null;
};

export const MAILING_RECIPIENTS = gql`
  query MailingRecipients($id: ID!, $first: Int!, $after: String, $status: MailingRecipientStatus) {
    mailing(id: $id) {
      id
      recipients(first: $first, after: $after, status: $status) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { id contactName email status attempts lastError bounceKind sentAt updatedAt counterparty { id name } } }
      }
    }
  }
`;
export type MailingRecipientsData = { mailing: { id: string; recipients: Connection<MailingRecipient> } | null };
export type MailingRecipientsVars = { id: string; first: number; after?: string | null; status?: RecipientStatus | null };

export const RENDER_MAILING = gql`
  query MailingRender($input: RenderMailingInput!) {
    renderMailing(input: $input) { html text subject warnings }
  }
`;
export type RenderedMailing = { html: string; text: string; subject: string; warnings: string[] };
export type RenderMailingData = { renderMailing: RenderedMailing };

export const AUDIENCE_PREVIEW = gql`
  query MailingAudiencePreview($audience: MailingAudienceFilterInput!) {
    mailingAudiencePreview(audience: $audience) {
      recipients suppressed withoutConsent
      sample { counterpartyId counterpartyName contactName email }
    }
  }
`;
export type AudienceMember = { counterpartyId: string; counterpartyName: string; contactName: string | null; email: string };
export type AudiencePreview = { recipients: number; suppressed: number; withoutConsent: number; sample: AudienceMember[] };
export type AudiencePreviewData = { mailingAudiencePreview: AudiencePreview };
export type AudienceFilterInput = { statuses: string[]; tags: string[]; responsibleManagerIds: string[]; minRatingScore: number | null; counterpartyIds: string[] };

/** Staff for the "responsible manager" filter (identity's `users(search)`, readable by every role). */
export const MANAGER_OPTIONS = gql`
  query MailingManagerOptions($search: String, $first: Int!) {
    users(search: $search, first: $first) { edges { node { id name email } } }
  }
`;
export type ManagerOptionsData = { users: Connection<{ id: string; name: string; email: string }> };

export const CREATE_MAILING = gql`
  mutation MailingCreate($input: CreateMailingInput!) {
    createMailing(input: $input) { ${MAILING_FIELDS} }
  }
`;
export type CreateMailingData = { createMailing: Mailing };

export const UPDATE_MAILING = gql`
  mutation MailingUpdate($input: UpdateMailingInput!) {
    updateMailing(input: $input) { ${MAILING_FIELDS} }
  }
`;
export type UpdateMailingData = { updateMailing: Mailing };

/** The status changes of a mailing, each `(input: { id })` answering the mailing (read under the alias `mailing`). */
export const MAILING_ACTIONS = {
  submit: gql`mutation MailingSubmit($input: MailingIdInput!) { mailing: submitMailingForApproval(input: $input) { ${MAILING_FIELDS} } }`,
  start: gql`mutation MailingStart($input: MailingIdInput!) { mailing: startMailing(input: $input) { ${MAILING_FIELDS} } }`,
  pause: gql`mutation MailingPause($input: MailingIdInput!) { mailing: pauseMailing(input: $input) { ${MAILING_FIELDS} } }`,
  resume: gql`mutation MailingResume($input: MailingIdInput!) { mailing: resumeMailing(input: $input) { ${MAILING_FIELDS} } }`,
  cancel: gql`mutation MailingCancel($input: MailingIdInput!) { mailing: cancelMailing(input: $input) { ${MAILING_FIELDS} } }`,
};
export type MailingAction = keyof typeof MAILING_ACTIONS;
export type MailingActionData = { mailing: Mailing };
