import { CounterpartyRef, counterpartyRefHandlers, UserRef, userRefHandlers, type RebuildableReadModel, type ReferenceCheck } from '@kartoteka/kit';

/**
 * The finance service's read models of other services' entities, as the `events` commands rebuild them:
 * `rebuild-counterparties` (counterparty_refs) and `rebuild-users` (user_refs from identity's user events).
 */
export const FINANCE_READ_MODELS: Record<string, RebuildableReadModel> = {
  'rebuild-counterparties': { handlers: counterpartyRefHandlers(), reset: async (em) => void (await em.nativeDelete(CounterpartyRef, {})) },
  'rebuild-users': { handlers: userRefHandlers(), reset: async (em) => void (await em.nativeDelete(UserRef, {})) },
};

/** Columns holding other services' ids, checked by `events check-references`. */
export const FINANCE_REFERENCE_CHECKS: readonly ReferenceCheck[] = [
  { table: 'finance_documents', column: 'counterparty_id', readModel: 'counterparty_refs' },
  { table: 'payments', column: 'counterparty_id', readModel: 'counterparty_refs' },
  { table: 'ratings', column: 'counterparty_id', readModel: 'counterparty_refs', key: 'counterparty_id' },
  { table: 'contract_terms', column: 'updated_by_id', readModel: 'user_refs', key: 'contract_id' },
  { table: 'payments', column: 'matched_by_id', readModel: 'user_refs' },
];
