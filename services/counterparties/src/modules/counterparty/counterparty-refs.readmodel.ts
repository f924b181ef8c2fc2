import { UserRef, userRefHandlers, type RebuildableReadModel, type ReferenceCheck } from '@kartoteka/kit';
import { CounterpartyRating } from '../rating/counterparty-rating.entity';
import { counterpartyRatingHandlers } from '../rating/counterparty-rating.readmodel';
import { TIMELINE_READ_MODEL } from '../timeline/timeline.readmodel';

/**
 * The counterparties service's read models, as `events rebuild-<name>` rebuilds them from the bus's history: staff
 * (responsible managers) and finance's reliability ratings.
 */
export const COUNTERPARTIES_READ_MODELS: Record<string, RebuildableReadModel> = {
  'rebuild-users': { handlers: userRefHandlers(), reset: async (em) => void (await em.nativeDelete(UserRef, {})) },
  'rebuild-ratings': { handlers: counterpartyRatingHandlers(), reset: async (em) => void (await em.nativeDelete(CounterpartyRating, {})) },
  'rebuild-timeline': TIMELINE_READ_MODEL,
};

/** Columns holding other services' ids, checked by `events check-references`. */
export const COUNTERPARTIES_REFERENCE_CHECKS: readonly ReferenceCheck[] = [{ table: 'counterparties', column: 'responsible_manager_id', readModel: 'user_refs' }];
