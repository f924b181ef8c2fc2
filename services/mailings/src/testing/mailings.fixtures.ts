import { randomUUID } from 'node:crypto';
import { COUNTERPARTY_CHANGED, DOCUMENT_ACTIVITY, DOCUMENT_SIGNED, RATING_CHANGED, type BusEvent, type CounterpartyContactState, type EventPayload } from '@kartoteka/kit';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { mailingsEventHandlers } from '../subgraph';

export function busEvent(topic: string, payload: EventPayload, producer = 'counterparties'): BusEvent {
  return { id: randomUUID(), topic, producer, payload, occurredAt: new Date() };
}

/** Delivers one event to the mailings handlers in a transaction of its own (as the consumer does). */
export async function deliver(orm: MikroORM, event: BusEvent): Promise<void> {
  const handler = mailingsEventHandlers()[event.topic];
  if (!handler) throw new Error(`mailings handles no ${event.topic}`);
  await orm.em.fork().transactional((em: EntityManager) => handler(event, em));
}

export type CounterpartyFixture = {
  id?: string;
  name: string;
  status?: string;
  tags?: string[];
  responsibleManagerId?: string | null;
  contacts?: (Partial<CounterpartyContactState> & { name: string })[];
  updatedAt?: string;
};

/** Publishes a counterparty's state to mailings' read model (as counterparties' event would); returns its id. */
export async function putCounterparty(orm: MikroORM, fixture: CounterpartyFixture): Promise<string> {
  const id = fixture.id ?? randomUUID();
  await deliver(
    orm,
    busEvent(COUNTERPARTY_CHANGED, {
      id,
      name: fixture.name,
      shortName: null,
      inn: '7707083893',
      kpp: null,
      status: fixture.status ?? 'PROSPECT',
      responsibleManagerId: fixture.responsibleManagerId ?? null,
      tags: fixture.tags ?? [],
      contacts: (fixture.contacts ?? []).map((contact) => ({
        id: contact.id ?? randomUUID(),
        name: contact.name,
        email: contact.email ?? null,
        mailingConsent: contact.mailingConsent ?? false,
        mailingConsentAt: contact.mailingConsent ? (contact.mailingConsentAt ?? new Date().toISOString()) : null,
      })),
      updatedAt: fixture.updatedAt ?? new Date().toISOString(),
    }),
  );
  return id;
}

export async function putRating(orm: MikroORM, counterpartyId: string, score: number | null, computedAt = new Date().toISOString()): Promise<void> {
  await deliver(orm, busEvent(RATING_CHANGED, { counterpartyId, score, grade: score === null ? null : score >= 70 ? 'A' : 'C', methodVersion: 1, computedAt }, 'finance'));
}

export async function signDocument(orm: MikroORM, documentId: string, counterpartyId: string): Promise<void> {
  await deliver(
    orm,
    busEvent(DOCUMENT_SIGNED, { documentId, documentType: 'COMMERCIAL_OFFER', counterpartyId, status: 'SIGNED', signedAt: new Date().toISOString() }, 'documents'),
  );
}

export async function documentActivity(orm: MikroORM, documentId: string, counterpartyId: string, status: string, comment: string | null, action = 'STATUS_CHANGED'): Promise<void> {
  await deliver(
    orm,
    busEvent(DOCUMENT_ACTIVITY, { documentId, counterpartyId, documentType: 'COMMERCIAL_OFFER', title: 'Рассылка', status, action, comment, occurredAt: new Date().toISOString() }, 'documents'),
  );
}
