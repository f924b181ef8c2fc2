import { gql } from '@apollo/client/core';
import { addTypePolicies, connectionFieldPolicy } from '@kartoteka/portal-api';

/** What a counterparty's timeline can hold (the API's TimelineKind). */
export const TIMELINE_KINDS = [
  'REQUISITES_CHANGED',
  'DOCUMENT_CREATED',
  'DOCUMENT_APPROVED',
  'DOCUMENT_SIGNED',
  'DOCUMENT_STATUS',
  'DEAL_CREATED',
  'DEAL_STAGE_MOVED',
  'DEAL_WON',
  'DEAL_LOST',
  'PAYMENT_RECEIVED',
  'TASK_CREATED',
  'TASK_COMPLETED',
  'PROJECT_CREATED',
  'PROJECT_CHANGED',
  'MAILING_SENT',
  'MAILING_BOUNCED',
  'MAILING_FAILED',
  'MAILING_UNSUBSCRIBED',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];
export type TimelineSubjectType = 'COUNTERPARTY' | 'DOCUMENT' | 'DEAL' | 'TASK' | 'PROJECT' | 'PAYMENT' | 'MAILING';

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

export type TimelineEntry = {
  id: string;
  occurredAt: string;
  kind: TimelineKind;
  subjectType: TimelineSubjectType;
  subjectId: string;
  subjectTitle: string | null;
  summary: Record<string, unknown>;
  source: string;
  actor: { id: string; name: string } | null;
};

export type CounterpartyTimelineData = {
  counterparty: {
    id: string;
    timeline: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: TimelineEntry }[] } | null;
  } | null;
};
export type CounterpartyTimelineVars = { id: string; first: number; after?: string | null; kinds?: TimelineKind[] | null };

export const TIMELINE_PAGE_SIZE = 20;

export const COUNTERPARTY_TIMELINE = gql`
  query CounterpartyTimeline($id: ID!, $first: Int!, $after: String, $kinds: [TimelineKind!]) {
    counterparty(id: $id) {
      id
      timeline(first: $first, after: $after, kinds: $kinds) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            id
            occurredAt
            kind
            subjectType
            subjectId
            subjectTitle
            summary
            source
            actor {
              id
              name
            }
          }
        }
      }
    }
  }
`;

// "Show earlier" appends to the cached page; another choice of kinds is another list.
addTypePolicies({ Counterparty: { fields: { timeline: connectionFieldPolicy(['kinds', 'from', 'to']) } } });
