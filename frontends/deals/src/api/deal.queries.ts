import { gql } from '@apollo/client/core';
import type { Money } from '@kartoteka/portal-api';

/** This app's slice of the card: the counterparty's deals (the deals subgraph). */

/** Stage codes of the sales funnel; other codes (custom templates) are shown as they are. */
export type DealStage = 'lead' | 'qualification' | 'proposal' | 'negotiation' | 'won' | 'lost';

export type DealRow = {
  id: string;
  title: string;
  stage: string;
  amount: Money | null;
  owner: { id: string; name: string } | null;
  expectedCloseDate: string | null;
};

export type DealConnection = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: DealRow }[];
};

export const DEALS_PAGE_SIZE = 20;

export const COUNTERPARTY_DEALS = gql`
  query CounterpartyDeals($id: ID!, $first: Int!, $after: String) {
    counterparty(id: $id) {
      id
      deals(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            id
            title
            stage
            amount {
              minor
              currency
            }
            owner {
              id
              name
            }
            expectedCloseDate
          }
        }
      }
    }
  }
`;

export type CounterpartyDealsData = { counterparty: { id: string; deals: DealConnection | null } | null };
export type CounterpartyDealsVars = { id: string; first: number; after?: string | null };
