import { gql } from '@apollo/client/core';
import { counterpartyConnectionQuery, type Connection, type CounterpartyConnectionVars, type Money } from '@kartoteka/portal-api';

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

export const DEALS_PAGE_SIZE = 20;

const DEAL_ROW = gql`
  fragment DealRow on Deal {
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
`;

export const COUNTERPARTY_DEALS = counterpartyConnectionQuery('CounterpartyDeals', 'deals', DEAL_ROW);

export type CounterpartyDealsData = { counterparty: { id: string; deals: Connection<DealRow> | null } | null };
export type CounterpartyDealsVars = CounterpartyConnectionVars;
