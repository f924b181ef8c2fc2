import { gql } from '@apollo/client/core';
import type { Money } from '@kartoteka/portal-api';

/** This app's slice of the card: the counterparty's documents (the documents subgraph). */

export type DocumentType =
  | 'INCOMING_LETTER'
  | 'OUTGOING_LETTER'
  | 'CONTRACT'
  | 'SUPPLEMENTARY_AGREEMENT'
  | 'INVOICE'
  | 'ACT'
  | 'PAYMENT_ORDER'
  | 'COMMERCIAL_OFFER'
  | 'OTHER';

export type DocumentStatus =
  | 'DRAFT'
  | 'ON_APPROVAL'
  | 'APPROVED'
  | 'REJECTED'
  | 'SIGNED'
  | 'IN_FORCE'
  | 'EXECUTED'
  | 'TERMINATED'
  | 'CANCELLED';

export type DocumentRow = {
  id: string;
  type: DocumentType;
  number: string | null;
  date: string | null;
  title: string;
  status: DocumentStatus;
  amount: Money | null;
  author: { id: string; name: string } | null;
};

export type DocumentConnection = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: DocumentRow }[];
};

export const DOCUMENTS_PAGE_SIZE = 20;

export const COUNTERPARTY_DOCUMENTS = gql`
  query CounterpartyDocuments($id: ID!, $first: Int!, $after: String) {
    counterparty(id: $id) {
      id
      documents(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            id
            type
            number
            date
            title
            status
            amount {
              minor
              currency
            }
            author {
              id
              name
            }
          }
        }
      }
    }
  }
`;

export type CounterpartyDocumentsData = { counterparty: { id: string; documents: DocumentConnection | null } | null };
export type CounterpartyDocumentsVars = { id: string; first: number; after?: string | null };
