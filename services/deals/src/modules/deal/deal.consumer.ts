import { ANONYMOUS, dealDocumentNewsContract, type EventHandlers, LoaderRegistry, parseOrPark } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DOCUMENT_CREATED, DOCUMENT_STATUS_CHANGED } from './deal.events';
import { DealService } from './deal.service';

/** The service acting on its own (no caller): changes are recorded as the system's. */
function systemService(em: EntityManager): DealService {
  return new DealService({ em, identity: ANONYMOUS, loaders: new LoaderRegistry() });
}

/**
 * The documents service's answers to deal actions (run by the `deals` event consumer, each in a transaction
 * with the inbox insert; repeats of the same news change nothing).
 */
export const dealEventHandlers: EventHandlers = {
  [DOCUMENT_CREATED]: async (event, em) => {
    const news = parseOrPark(dealDocumentNewsContract, event);
    await systemService(em).recordDocumentCreated(em, news);
  },
  [DOCUMENT_STATUS_CHANGED]: async (event, em) => {
    const news = parseOrPark(dealDocumentNewsContract, event);
    await systemService(em).recordDocumentStatus(em, news);
  },
};
