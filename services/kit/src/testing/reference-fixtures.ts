import type { EntityManager } from '@mikro-orm/postgresql';
import { CounterpartyDirectory, preloadDemoUserRefs } from '../events/read-models/reference-directories';

/** The oldest possible version: any real event about the same entity still wins over a fixture. */
const FIXTURE_VERSION = new Date(0);

export type CounterpartyRefFixture = { id: string; name?: string; shortName?: string | null; inn?: string; kpp?: string | null; status?: string };

/**
 * For service specs that run without counterparties: stores counterparties in the service's local read model
 * (`counterparty_refs`), as their events would. Ids alone are enough; name and requisites get placeholders.
 */
export async function seedCounterpartyRefs(em: EntityManager, refs: readonly (string | CounterpartyRefFixture)[]): Promise<void> {
  const directory = new CounterpartyDirectory(em.fork());
  for (const [index, ref] of refs.entries()) {
    const fixture = typeof ref === 'string' ? { id: ref } : ref;
    await directory.upsert({
      id: fixture.id,
      name: fixture.name ?? `ООО «Контрагент ${index + 1}»`,
      shortName: fixture.shortName ?? null,
      inn: fixture.inn ?? '7707083893',
      kpp: fixture.kpp === undefined ? '770701001' : fixture.kpp,
      status: fixture.status ?? 'CLIENT',
      updatedAt: FIXTURE_VERSION,
    });
  }
}

/** For service specs without identity: the demo staff (kit's DEMO_USERS), all active, in the local `user_refs`. */
export async function seedDemoUserRefs(em: EntityManager): Promise<void> {
  await preloadDemoUserRefs(em.fork());
}
