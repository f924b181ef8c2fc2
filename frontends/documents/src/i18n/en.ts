import type { DocumentsMessages } from './ru';

/** English texts of the documents app. */
export const en: DocumentsMessages = {
  panel: {
    title: 'Documents',
    empty: 'No documents for this counterparty yet',
    error: 'Documents are unavailable right now. The rest of the card still works.',
    errorDetails: 'Reason: {message}',
    networkError: 'the server is unreachable',
    retry: 'Retry',
    loadMore: 'Load more',
    shownOf: 'Showing {shown} of {total}',
    noValue: '—',
  },
  column: {
    type: 'Type',
    number: 'Number',
    date: 'Date',
    title: 'Title',
    amount: 'Amount',
    status: 'Status',
    author: 'Author',
  },
  type: {
    INCOMING_LETTER: 'Incoming letter',
    OUTGOING_LETTER: 'Outgoing letter',
    CONTRACT: 'Contract',
    SUPPLEMENTARY_AGREEMENT: 'Supplementary agreement',
    INVOICE: 'Invoice',
    ACT: 'Certificate of completion',
    PAYMENT_ORDER: 'Payment order',
    COMMERCIAL_OFFER: 'Commercial offer',
    OTHER: 'Other',
  },
  status: {
    DRAFT: 'Draft',
    ON_APPROVAL: 'On approval',
    APPROVED: 'Approved',
    REJECTED: 'Rejected',
    SIGNED: 'Signed',
    IN_FORCE: 'In force',
    EXECUTED: 'Executed',
    TERMINATED: 'Terminated',
    CANCELLED: 'Cancelled',
  },
};
