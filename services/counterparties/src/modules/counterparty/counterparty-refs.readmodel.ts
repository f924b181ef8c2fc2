import { UserRef, userRefHandlers, type RebuildableReadModel, type ReferenceCheck } from '@kartoteka/kit';

/** The counterparties service's read model of staff (responsible managers), as `events rebuild-users` rebuilds it. */
export const COUNTERPARTIES_READ_MODELS: Record<string, RebuildableReadModel> = {
  'rebuild-users': { handlers: userRefHandlers(), reset: async (em) => void (await em.nativeDelete(UserRef, {})) },
};

/** Columns holding other services' ids, checked by `events check-references`. */
export const COUNTERPARTIES_REFERENCE_CHECKS: readonly ReferenceCheck[] = [{ table: 'counterparties', column: 'responsible_manager_id', readModel: 'user_refs' }];
