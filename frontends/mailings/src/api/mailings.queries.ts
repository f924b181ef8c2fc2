import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  MailingCancelDocument,
  MailingPauseDocument,
  MailingResumeDocument,
  MailingStartDocument,
  MailingSubmitDocument,
  type MailingDetailFragment,
  type MailingListItemFragment,
  type MailingListQuery,
  type MailingRecipientsQuery,
  type MailingRecipientStatus,
  type MailingStatus as SchemaMailingStatus,
  type MailingSubmitMutation,
  type MailingSubmitMutationVariables,
} from './__generated__/mailings';

/**
 * The mailings subgraph's operations the portal sends. The documents are in mailings.graphql; their types and typed
 * document nodes are generated from the supergraph (`pnpm codegen`).
 */
export {
  MailingListDocument as MAILINGS,
  MailingPageDocument as MAILING,
  /** What the page polls while a mailing sends: its status and counts only. */
  MailingProgressDocument as MAILING_PROGRESS,
  MailingRecipientsDocument as MAILING_RECIPIENTS,
  MailingRenderDocument as RENDER_MAILING,
  MailingAudiencePreviewDocument as AUDIENCE_PREVIEW,
  /** Staff for the "responsible manager" filter (identity's `users(search)`, readable by every role). */
  MailingManagerOptionsDocument as MANAGER_OPTIONS,
  MailingCreateDocument as CREATE_MAILING,
  MailingUpdateDocument as UPDATE_MAILING,
} from './__generated__/mailings';

export type MailingStatus = SchemaMailingStatus;
/** The statuses in the order the list's filter offers them. */
export const MAILING_STATUSES = ['DRAFT', 'ON_APPROVAL', 'APPROVED', 'REJECTED', 'SENDING', 'PAUSED', 'COMPLETED', 'CANCELLED'] as const satisfies readonly MailingStatus[];

export type RecipientStatus = MailingRecipientStatus;
/** The recipient statuses in the order the recipients' filter offers them. */
export const RECIPIENT_STATUSES = ['QUEUED', 'SENT', 'FAILED', 'BOUNCED', 'UNSUBSCRIBED'] as const satisfies readonly RecipientStatus[];

/** Counterparty statuses an audience can be built from (counterparties' `CounterpartyStatus`, archived ones left out). */
export const AUDIENCE_COUNTERPARTY_STATUSES = ['PROSPECT', 'CLIENT', 'SUPPLIER', 'PARTNER'] as const;

export type MailingListItem = MailingListItemFragment;
export type MailingsData = MailingListQuery;
export type Mailing = MailingDetailFragment;
export type AudienceFilter = Mailing['audience'];
export type MailingAttachment = NonNullable<Mailing['attachment']>;

export type MailingRecipientsData = MailingRecipientsQuery;
export type MailingRecipient = NonNullable<MailingRecipientsData['mailing']>['recipients']['edges'][number]['node'];

/**
 * The status changes of a mailing, each `(input: { id })` answering the mailing under the alias `mailing`: every
 * one has the result shape of `MailingSubmit` (mailings.graphql), and the map is checked against it.
 */
export type MailingAction = 'submit' | 'start' | 'pause' | 'resume' | 'cancel';
export type MailingActionData = MailingSubmitMutation;
export type MailingActionVars = MailingSubmitMutationVariables;
export const MAILING_ACTIONS: Record<MailingAction, TypedDocumentNode<MailingActionData, MailingActionVars>> = {
  submit: MailingSubmitDocument,
  start: MailingStartDocument,
  pause: MailingPauseDocument,
  resume: MailingResumeDocument,
  cancel: MailingCancelDocument,
};
