import { COUNTERPARTY_REPUBLISHED, publishEvent, type CounterpartyTopic, type CounterpartyUpserted } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Counterparty } from './counterparty.entity';

/**
 * The fields other services keep of a counterparty (kit's contract), from the stored entity. Its contacts (with their
 * mailing consent) come along when they are loaded; otherwise they are left out and consumers keep what they know.
 */
export function counterpartyUpsertedOf(counterparty: Counterparty): CounterpartyUpserted {
  const contacts = counterparty.contacts.isInitialized()
    ? counterparty.contacts.getItems().map((contact) => ({
        id: contact.id,
        name: contact.name,
        email: contact.email,
        mailingConsent: contact.mailingConsent,
        mailingConsentAt: contact.mailingConsent && contact.mailingConsentAt ? contact.mailingConsentAt.toISOString() : null,
      }))
    : undefined;
  return {
    id: counterparty.id,
    name: counterparty.name,
    shortName: counterparty.shortName,
    inn: counterparty.inn,
    kpp: counterparty.kpp,
    status: counterparty.status,
    responsibleManagerId: counterparty.responsibleManagerId,
    tags: [...counterparty.tags],
    ...(contacts ? { contacts } : {}),
    legalAddress: counterparty.legalAddress,
    updatedAt: counterparty.updatedAt.toISOString(),
  };
}

/**
 * Tells the other services a counterparty's whole current state, in the transaction of the change. Flushes first:
 * `updatedAt` is then the stored one (the entity refreshes it on flush), the version consumers order states by.
 */
export async function publishCounterpartyEvent(em: EntityManager, topic: CounterpartyTopic, counterparty: Counterparty): Promise<void> {
  await em.flush();
  await publishEvent(em, topic, counterpartyUpsertedOf(counterparty));
}

/**
 * Publishes the current state of every counterparty again (`counterparties.counterparty.republished`), in
 * batches of `batchSize` per transaction: for rebuilding other services' read models when the bus's history is
 * gone. Consumers keep the newest state, so a republished state never undoes a later change. Returns how many.
 */
export async function republishCounterparties(em: EntityManager, batchSize = 500): Promise<number> {
  let after: string | null = null;
  let total = 0;
  for (;;) {
    const batch: Counterparty[] = await em.fork().transactional(async (tx) => {
      const rows = await tx.find(Counterparty, after ? { id: { $gt: after } } : {}, { orderBy: { id: 'asc' }, limit: batchSize, populate: ['contacts'] });
      for (const row of rows) await publishEvent(tx, COUNTERPARTY_REPUBLISHED, counterpartyUpsertedOf(row));
      return rows;
    });
    total += batch.length;
    if (batch.length < batchSize) return total;
    after = batch[batch.length - 1].id;
  }
}
