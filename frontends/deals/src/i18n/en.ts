import type { DealsMessages } from './ru';

/** English texts of the deals app. */
export const en: DealsMessages = {
  panel: {
    title: 'Deals',
    empty: 'No deals with this counterparty yet',
    error: 'Deals are unavailable right now. The rest of the card still works.',
    errorDetails: 'Reason: {message}',
    networkError: 'the server is unreachable',
    retry: 'Retry',
    loadMore: 'Load more',
    shownOf: 'Showing {shown} of {total}',
    noValue: '—',
    create: 'New deal',
    due: 'due {date}',
  },
  column: {
    title: 'Deal',
    stage: 'Stage',
    amount: 'Amount',
    owner: 'Owner',
    expectedCloseDate: 'Expected close',
    nextAction: 'Next action',
  },
  stage: {
    lead: 'Lead',
    qualification: 'Qualification',
    proposal: 'Proposal',
    negotiation: 'Negotiation',
    won: 'Won',
    lost: 'Lost',
  },
};
