import { addTypePolicies, connectionFieldPolicy } from '@kartoteka/portal-api';
import type { TimelineEntryFragment, TimelineKind as SchemaTimelineKind } from './__generated__/timeline';

/**
 * A counterparty's timeline (the card's timeline panel). The document is in timeline.graphql; its types and typed
 * document node are generated from the supergraph (`pnpm codegen`).
 */
export { CounterpartyTimelineDocument as COUNTERPARTY_TIMELINE } from './__generated__/timeline';

/** What a counterparty's timeline can hold (the API's TimelineKind). */
export type TimelineKind = SchemaTimelineKind;

/** The filter chips: groups of kinds. */
export const TIMELINE_GROUPS = {
  requisites: ['REQUISITES_CHANGED'],
  documents: ['DOCUMENT_CREATED', 'DOCUMENT_APPROVED', 'DOCUMENT_SIGNED', 'DOCUMENT_STATUS'],
  deals: ['DEAL_CREATED', 'DEAL_STAGE_MOVED', 'DEAL_WON', 'DEAL_LOST'],
  payments: ['PAYMENT_RECEIVED'],
  work: ['TASK_CREATED', 'TASK_COMPLETED', 'PROJECT_CREATED', 'PROJECT_CHANGED'],
  mailings: ['MAILING_SENT', 'MAILING_BOUNCED', 'MAILING_FAILED', 'MAILING_UNSUBSCRIBED'],
} as const satisfies Record<string, readonly TimelineKind[]>;
export type TimelineGroup = keyof typeof TIMELINE_GROUPS;

export type TimelineEntry = TimelineEntryFragment;

export const TIMELINE_PAGE_SIZE = 20;

// "Show earlier" appends to the cached page; another choice of kinds is another list.
addTypePolicies({ Counterparty: { fields: { timeline: connectionFieldPolicy(['kinds', 'from', 'to']) } } });
