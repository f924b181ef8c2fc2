/**
 * "Recently opened counterparties" on My day, in one request (finance resolves the ratings in one batch). The
 * document is in recent.graphql, apart from the app's others: the home page's panel loads only this one.
 */
export { RecentCounterpartiesDocument as RECENT_COUNTERPARTIES } from './__generated__/recent';
