import {
  CounterpartyRef,
  counterpartyRefHandlers,
  counterpartyUpsertedContract,
  parseOrPark,
  UserRef,
  userRefHandlers,
  type BusEvent,
  type CounterpartyUpserted,
  type EventHandlers,
  type RebuildableReadModel,
  type ReferenceCheck,
} from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CounterpartyManager } from './counterparty-manager.entity';

/** Stores a counterparty's responsible manager unless the same or a newer state is already there. */
export async function recordCounterpartyManager(em: EntityManager, counterparty: CounterpartyUpserted): Promise<void> {
  await em.execute(
    `insert into counterparty_managers as m (counterparty_id, responsible_manager_id, updated_at) values (?, ?, ?)
     on conflict (counterparty_id) do update set responsible_manager_id = excluded.responsible_manager_id, updated_at = excluded.updated_at
     where m.updated_at < excluded.updated_at`,
    [counterparty.id, counterparty.responsibleManagerId ?? null, new Date(counterparty.updatedAt)],
  );
}

/**
 * Kit's counterparty read model (`counterparty_refs`) plus finance's own `counterparty_managers`, from the same
 * `counterparties.counterparty.*` events; `extra` runs after both (the live consumer re-tries pending payments).
 */
export function counterpartyReadModelHandlers(extra?: (counterparty: CounterpartyUpserted, em: EntityManager) => Promise<void>): EventHandlers {
  return Object.fromEntries(
    Object.entries(counterpartyRefHandlers()).map(([topic, handler]) => [
      topic,
      async (event: BusEvent, em: EntityManager) => {
        await handler(event, em);
        const counterparty = parseOrPark(counterpartyUpsertedContract, event);
        await recordCounterpartyManager(em, counterparty);
        if (extra) await extra(counterparty, em);
      },
    ]),
  );
}

/**
 * The finance service's read models of other services' entities, as the `events` commands rebuild them:
 * `rebuild-counterparties` (counterparty_refs and counterparty_managers) and `rebuild-users` (user_refs from identity's user events).
 */
export const FINANCE_READ_MODELS: Record<string, RebuildableReadModel> = {
  'rebuild-counterparties': {
    handlers: counterpartyReadModelHandlers(),
    reset: async (em) => {
      await em.nativeDelete(CounterpartyRef, {});
      await em.nativeDelete(CounterpartyManager, {});
    },
  },
  'rebuild-users': { handlers: userRefHandlers(), reset: async (em) => void (await em.nativeDelete(UserRef, {})) },
};

/** Columns holding other services' ids, checked by `events check-references`. */
export const FINANCE_REFERENCE_CHECKS: readonly ReferenceCheck[] = [
  { table: 'finance_documents', column: 'counterparty_id', readModel: 'counterparty_refs' },
  { table: 'payments', column: 'counterparty_id', readModel: 'counterparty_refs' },
  { table: 'ratings', column: 'counterparty_id', readModel: 'counterparty_refs', key: 'counterparty_id' },
  { table: 'contract_terms', column: 'updated_by_id', readModel: 'user_refs', key: 'contract_id' },
  { table: 'payments', column: 'matched_by_id', readModel: 'user_refs' },
  { table: 'counterparty_managers', column: 'responsible_manager_id', readModel: 'user_refs', key: 'counterparty_id' },
];
