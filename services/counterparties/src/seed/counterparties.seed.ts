import { createHash } from 'node:crypto';
import { DEMO_MANAGER_IDS, DEMO_USERS, preloadDemoUserRefs, userIdentity } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Counterparty } from '../modules/counterparty/counterparty.entity';
import { CounterpartyService } from '../modules/counterparty/counterparty.service';
import { demoCompanies } from './demo-companies';

/** Namespace of the demo counterparty ids (UUID v5 of `<INN>/<KPP or empty>`). */
export const DEMO_COUNTERPARTY_NAMESPACE = '6f1c2b7e-3d4a-5e8f-9a0b-1c2d3e4f5a6b';

/** RFC 4122 version-5 (SHA-1, name-based) UUID. */
export function uuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The fixed id of a demo counterparty, from its INN and KPP: other services' demo seeds can compute it. */
export function demoCounterpartyIdOf(inn: string, kpp: string | null): string {
  return uuidV5(`${inn}/${kpp ?? ''}`, DEMO_COUNTERPARTY_NAMESPACE);
}

/** The fixed id of `demoCompanies[index]`. */
export function demoCounterpartyId(index: number): string {
  const company = demoCompanies[index];
  if (!company) throw new RangeError(`There is no demo company #${index} (there are ${demoCompanies.length})`);
  return demoCounterpartyIdOf(company.inn, company.kpp);
}

/**
 * Idempotent: seeds only an empty table, under an advisory lock so two starting instances do not both seed.
 * Every company goes through the service (validated, with a CREATED history entry by the demo admin);
 * responsible managers rotate over the demo managers.
 */
export async function seedCounterparties(em: EntityManager): Promise<string> {
  return em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext('kartoteka:seed:counterparties'))`);
    if (await tx.count(Counterparty, {})) return 'counterparties: counterparties exist, nothing seeded';
    // responsible managers are checked against the staff read model, which identity's events fill once running
    await preloadDemoUserRefs(tx);
    const admin = DEMO_USERS[0];
    const service = new CounterpartyService({ em: tx, identity: userIdentity(admin.id, admin.name, admin.roles) });
    for (const [index, company] of demoCompanies.entries()) {
      // offer mailings (issue 12): the first contact of every other company agreed to receive them
      const contacts = company.contacts.map((contact, position) => ({ ...contact, mailingConsent: position === 0 && index % 2 === 0 }));
      await service.create({ ...company, contacts, responsibleManagerId: DEMO_MANAGER_IDS[index % DEMO_MANAGER_IDS.length] }, { id: demoCounterpartyId(index) });
    }
    return `counterparties: ${demoCompanies.length} demo counterparties`;
  });
}
