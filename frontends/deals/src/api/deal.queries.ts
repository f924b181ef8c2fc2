import { gql } from '@apollo/client/core';
import { connectionSelection, type Connection, type CounterpartyConnectionVars, type Money } from '@kartoteka/portal-api';
import { COUNTERPARTY_PROJECT_ROW, type CounterpartyProjectRow } from './project.queries';

/** This app's slice of the card: the counterparty's deals (the deals subgraph), with stage and next action. */

export type DealRow = {
  id: string;
  title: string;
  stageKey: string;
  currentStage: { key: string; name: string; probability: number; outcome: 'OPEN' | 'WON' | 'LOST' } | null;
  status: 'OPEN' | 'WON' | 'LOST';
  amount: Money | null;
  owner: { id: string; name: string } | null;
  expectedCloseDate: string | null;
  nextAction: { title: string; dueAt: string | null } | null;
};

export const DEALS_PAGE_SIZE = 20;

const DEAL_ROW = gql`
  fragment DealRow on Deal {
    id
    title
    stageKey
    currentStage {
      key
      name
      probability
      outcome
    }
    status
    amount {
      minor
      currency
    }
    owner {
      id
      name
    }
    expectedCloseDate
    nextAction {
      title
      dueAt
    }
  }
`;

/** How many of the counterparty's projects the card shows (newest first; a link leads to all of them). */
export const CARD_PROJECTS = 10;

/**
 * The card's deals and projects panels in ONE request: a page of deals (with "load more") and the newest
 * projects with their total. Paging the deals asks for the same projects again, from the same statement.
 */
export const COUNTERPARTY_DEALS = gql`
  query CounterpartyDeals($id: ID!, $first: Int!, $after: String, $projectsFirst: Int! = ${CARD_PROJECTS}) {
    counterparty(id: $id) {
      id
      deals(first: $first, after: $after) {
        ${connectionSelection(DEAL_ROW)}
      }
      projects(first: $projectsFirst) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            ...CounterpartyProjectRow
          }
        }
      }
    }
  }
  ${DEAL_ROW}
  ${COUNTERPARTY_PROJECT_ROW}
`;

export type CounterpartyDealsData = {
  counterparty: { id: string; deals: Connection<DealRow> | null; projects: Connection<CounterpartyProjectRow> | null } | null;
};
export type CounterpartyDealsVars = CounterpartyConnectionVars;
