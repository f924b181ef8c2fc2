import { gql } from '@apollo/client/core';
import type { Connection } from '@kartoteka/portal-api';

/** "My day" (home): documents waiting for my decision and for my acknowledgement — one request for both. */

export const MY_DAY_SIZE = 5;

type MyDayDocument = { id: string; title: string; number: string | null; counterparty: { id: string; name: string } | null };

export type MyDayApproval = { id: string; stageName: string; signOff: boolean; dueAt: string | null; overdue: boolean; document: MyDayDocument | null };
export type MyDayAcknowledgement = { id: string; versionNumber: number; deadline: string | null; overdue: boolean; document: MyDayDocument | null };

const DOCUMENT = `
  document {
    id
    title
    number
    counterparty {
      id
      name
    }
  }
`;

/** Both lists come earliest deadline first (the services' order of "My tasks"). */
export const MY_DAY_DOCUMENTS = gql`
  query MyDayDocuments($first: Int!) {
    approvals: myApprovalTasks(first: $first) {
      totalCount
      edges {
        node {
          id
          stageName
          signOff
          dueAt
          overdue
          ${DOCUMENT}
        }
      }
    }
    acknowledgements: myAcknowledgementTasks(first: $first) {
      totalCount
      edges {
        node {
          id
          versionNumber
          deadline
          overdue
          ${DOCUMENT}
        }
      }
    }
  }
`;

type Page<T> = Pick<Connection<T>, 'totalCount'> & { edges: { node: T }[] };
export type MyDayDocumentsData = { approvals: Page<MyDayApproval>; acknowledgements: Page<MyDayAcknowledgement> };
export type MyDayDocumentsVars = { first: number };
