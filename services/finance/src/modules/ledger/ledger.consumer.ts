import {
  DOCUMENT_SIGNED,
  DOCUMENT_VERIFIED_CHANGED,
  documentSignedContract,
  type EventHandlers,
  signedDocumentChangedContract,
  parseOrPark,
} from '@kartoteka/kit';
import { counterpartyReadModelHandlers } from '../counterparty/counterparty-ref.readmodel';
import { rematchPending } from '../payment/payment.service';
import { afterLedgerChange, recordSignedDocument, recordSignedDocumentChange } from './ledger.service';

/**
 * Documents' verified facts (run by the `finance` event consumer, each in a transaction with the inbox insert):
 * a signed CONTRACT / INVOICE / ACT / SUPPLEMENTARY_AGREEMENT becomes a finance document (other types — a signed
 * PAYMENT_ORDER included — are not money facts), later changes update it; the counterparty's rating is
 * recomputed in the same transaction.
 */
export const ledgerEventHandlers: EventHandlers = {
  [DOCUMENT_SIGNED]: async (event, em) => {
    const change = await recordSignedDocument(em, parseOrPark(documentSignedContract, event));
    await afterLedgerChange(em, change);
  },
  [DOCUMENT_VERIFIED_CHANGED]: async (event, em) => {
    const change = await recordSignedDocumentChange(em, parseOrPark(signedDocumentChangedContract, event));
    await afterLedgerChange(em, change);
  },
};

/**
 * The counterparty read models (kit's `counterparty_refs` and finance's `counterparty_managers`), plus: a
 * counterparty that arrives or changes (a new INN, KPP) may be what payments in the review queue were waiting for.
 */
export function counterpartyHandlers(): EventHandlers {
  return counterpartyReadModelHandlers(async (counterparty, em) => {
    await rematchPending(em, { counterpartyIds: [counterparty.id] });
  });
}
