import { CounterpartyRef, counterpartyRefHandlers, type RebuildableReadModel, type ReferenceCheck } from '@kartoteka/kit';
import { StaffMemberEntity } from '../staff/staff-member.entity';
import { staffEventHandlers } from '../staff/staff.consumer';

/**
 * The documents service's read models of other services' entities, as the `events` commands rebuild them:
 * `rebuild-counterparties` (counterparty_refs from counterparties' lifecycle events) and `rebuild-staff`
 * (staff_members from identity's user events).
 */
export const DOCUMENTS_READ_MODELS: Record<string, RebuildableReadModel> = {
  'rebuild-counterparties': { handlers: counterpartyRefHandlers(), reset: async (em) => void (await em.nativeDelete(CounterpartyRef, {})) },
  'rebuild-staff': { handlers: staffEventHandlers, reset: async (em) => void (await em.nativeDelete(StaffMemberEntity, {})) },
};

/** Columns holding other services' ids, checked by `events check-references`. */
export const DOCUMENTS_REFERENCE_CHECKS: readonly ReferenceCheck[] = [
  { table: 'documents', column: 'counterparty_id', readModel: 'counterparty_refs' },
  { table: 'documents', column: 'author_id', readModel: 'staff_members' },
  { table: 'documents', column: 'responsible_id', readModel: 'staff_members' },
];
