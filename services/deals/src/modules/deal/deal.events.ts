/**
 * Domain events between deals and documents (DESIGN §4). Deals publishes the requests in the same transaction
 * as the action's change; documents answers with what became of the document. The contracts (topics, payloads,
 * validating parsers) are declared once, in kit (events/contracts), for both sides.
 */
export {
  DEAL_APPROVAL_REQUESTED,
  DEAL_DOCUMENT_REQUESTED,
  DOCUMENT_CREATED,
  DOCUMENT_STATUS_CHANGED,
  type DealApprovalRequested,
  type DealDocumentNews,
  type DealDocumentRequested,
} from '@kartoteka/kit';

/** Document statuses at which a requested approval counts as done: signed, or further along its life. */
export const SIGNED_OR_LATER: ReadonlySet<string> = new Set(['SIGNED', 'IN_FORCE', 'EXECUTED', 'TERMINATED']);
/** Document statuses at which a requested approval has failed. */
export const APPROVAL_FAILED: ReadonlySet<string> = new Set(['REJECTED', 'CANCELLED']);
