import { CounterpartyRef, counterpartyRefHandlers, UserRef, userRefHandlers, type RebuildableReadModel, type ReferenceCheck } from '@kartoteka/kit';

/**
 * The deals service's read models of other services' entities, as the `events` commands rebuild them:
 * `rebuild-counterparties` (counterparty_refs) and `rebuild-users` (user_refs from identity's user events).
 */
export const DEALS_READ_MODELS: Record<string, RebuildableReadModel> = {
  'rebuild-counterparties': { handlers: counterpartyRefHandlers(), reset: async (em) => void (await em.nativeDelete(CounterpartyRef, {})) },
  'rebuild-users': { handlers: userRefHandlers(), reset: async (em) => void (await em.nativeDelete(UserRef, {})) },
};

/** Columns holding other services' ids, checked by `events check-references`. */
export const DEALS_REFERENCE_CHECKS: readonly ReferenceCheck[] = [
  { table: 'deals', column: 'counterparty_id', readModel: 'counterparty_refs' },
  { table: 'deals', column: 'owner_id', readModel: 'user_refs' },
  { table: 'deal_actions', column: 'assignee_id', readModel: 'user_refs' },
  { table: 'tasks', column: 'assignee_id', readModel: 'user_refs' },
  { table: 'tasks', column: 'counterparty_id', readModel: 'counterparty_refs' },
];
