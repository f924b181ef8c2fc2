import { gql } from '@apollo/client/core';
import { counterpartyConnectionQuery, type Connection, type CounterpartyConnectionVars, type Money } from '@kartoteka/portal-api';

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

export const COUNTERPARTY_DEALS = counterpartyConnectionQuery('CounterpartyDeals', 'deals', DEAL_ROW);

export type CounterpartyDealsData = { counterparty: { id: string; deals: Connection<DealRow> | null } | null };
export type CounterpartyDealsVars = CounterpartyConnectionVars;
