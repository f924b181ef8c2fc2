import type { CounterpartyDealsQuery, CounterpartyDealsQueryVariables } from './__generated__/deal';

/**
 * This app's slice of the card: the counterparty's deals (the deals subgraph), with stage and next action.
 * The documents are in deal.graphql; their types and typed nodes are generated (`pnpm codegen`).
 */
export { CounterpartyDealsDocument as COUNTERPARTY_DEALS } from './__generated__/deal';

export type DealRow = NonNullable<NonNullable<CounterpartyDealsQuery['counterparty']>['deals']>['edges'][number]['node'];

export const DEALS_PAGE_SIZE = 20;

/**
 * The card's deals and projects panels in ONE request: a page of deals (with "load more") and the newest
 * projects with their total. Paging the deals asks for the same projects again, from the same statement.
 */
export type CounterpartyDealsData = CounterpartyDealsQuery;
export type CounterpartyDealsVars = CounterpartyDealsQueryVariables;
