import { CounterpartyRef, counterpartyRefHandlers, counterpartyUpsertedContract, parseOrPark, type BusEvent, type CounterpartyUpserted, type EventHandlers, type RebuildableReadModel, type ReferenceCheck } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { StaffMemberEntity } from '../staff/staff-member.entity';
import { staffEventHandlers } from '../staff/staff.consumer';
import { CounterpartyDetails } from './counterparty-details.entity';

/**
 * Stores a counterparty's legal address and first contact unless the same or a newer state is already there.
 * A field the event leaves out (`legalAddress`, `contacts`: optional in the contract) keeps its stored value.
 */
export async function recordCounterpartyDetails(em: EntityManager, counterparty: CounterpartyUpserted): Promise<void> {
  const hasAddress = counterparty.legalAddress !== undefined;
  const hasContacts = counterparty.contacts !== undefined;
  const address = counterparty.legalAddress?.trim() || null;
  const contact = counterparty.contacts?.find((candidate) => candidate.name.trim())?.name.trim() ?? null;
  const updates = [...(hasAddress ? ['legal_address = excluded.legal_address'] : []), ...(hasContacts ? ['contact_name = excluded.contact_name'] : []), 'updated_at = excluded.updated_at'];
  await em.execute(
    `insert into counterparty_details as d (id, legal_address, contact_name, updated_at) values (?, ?, ?, ?)
     on conflict (id) do update set ${updates.join(', ')} where d.updated_at < excluded.updated_at`,
    [counterparty.id, address?.slice(0, 1000) ?? null, contact?.slice(0, 300) ?? null, new Date(counterparty.updatedAt)],
  );
}

/** Kit's counterparty read model (`counterparty_refs`) plus documents' own `counterparty_details`, from the same events. */
export function counterpartyReadModelHandlers(): EventHandlers {
  return Object.fromEntries(
    Object.entries(counterpartyRefHandlers()).map(([topic, handler]) => [
      topic,
      async (event: BusEvent, em: EntityManager) => {
        await handler(event, em);
        await recordCounterpartyDetails(em, parseOrPark(counterpartyUpsertedContract, event));
      },
    ]),
  );
}

/**
 * The documents service's read models of other services' entities, as the `events` commands rebuild them:
 * `rebuild-counterparties` (counterparty_refs and counterparty_details from counterparties' lifecycle events) and
 * `rebuild-staff` (staff_members from identity's user events).
 */
export const DOCUMENTS_READ_MODELS: Record<string, RebuildableReadModel> = {
  'rebuild-counterparties': {
    handlers: counterpartyReadModelHandlers(),
    reset: async (em) => {
      await em.nativeDelete(CounterpartyRef, {});
      await em.nativeDelete(CounterpartyDetails, {});
    },
  },
  'rebuild-staff': { handlers: staffEventHandlers, reset: async (em) => void (await em.nativeDelete(StaffMemberEntity, {})) },
};

/** Columns holding other services' ids, checked by `events check-references`. */
export const DOCUMENTS_REFERENCE_CHECKS: readonly ReferenceCheck[] = [
  { table: 'documents', column: 'counterparty_id', readModel: 'counterparty_refs' },
  { table: 'documents', column: 'author_id', readModel: 'staff_members' },
  { table: 'documents', column: 'responsible_id', readModel: 'staff_members' },
];
