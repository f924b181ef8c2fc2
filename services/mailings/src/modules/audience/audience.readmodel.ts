import {
  counterpartyUpsertedContract,
  parseOrPark,
  ratingChangedContract,
  UserRef,
  userRefHandlers,
  type CounterpartyUpserted,
  type EventHandlers,
  type RatingChanged,
  type RebuildableReadModel,
  type ReferenceCheck,
} from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AudienceContact } from './audience-contact.entity';
import { AudienceCounterparty } from './audience-counterparty.entity';
import { AudienceRating } from './audience-rating.entity';

/**
 * Stores a counterparty's state (and, when the event carries them, its tags and contacts) unless the same or a newer
 * state is already there. The contacts are replaced as a whole, in the same transaction, only when the state is
 * stored: a late event never brings back a deleted contact. An event without `tags`/`contacts` (a producer from
 * before they existed) keeps the ones known.
 */
export async function recordAudienceCounterparty(em: EntityManager, counterparty: CounterpartyUpserted): Promise<boolean> {
  const updatedAt = new Date(counterparty.updatedAt);
  const rows = await em.execute<{ id: string }[]>(
    `insert into audience_counterparties as c (id, name, short_name, status, tags, responsible_manager_id, updated_at) values (?, ?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?, ?)
     on conflict (id) do update set name = excluded.name, short_name = excluded.short_name, status = excluded.status,
       tags = case when ? then excluded.tags else c.tags end, responsible_manager_id = excluded.responsible_manager_id, updated_at = excluded.updated_at
     where c.updated_at < excluded.updated_at
     returning id`,
    [counterparty.id, counterparty.name, counterparty.shortName, counterparty.status, JSON.stringify(counterparty.tags ?? []), counterparty.responsibleManagerId ?? null, updatedAt, counterparty.tags !== undefined],
  );
  if (!rows.length) return false;
  if (counterparty.contacts) {
    await em.execute('delete from audience_contacts where counterparty_id = ?', [counterparty.id]);
    for (const contact of counterparty.contacts) {
      await em.execute(
        `insert into audience_contacts (id, counterparty_id, name, email, mailing_consent, mailing_consent_at) values (?, ?, ?, ?, ?, ?)
         on conflict (id) do update set counterparty_id = excluded.counterparty_id, name = excluded.name, email = excluded.email,
           mailing_consent = excluded.mailing_consent, mailing_consent_at = excluded.mailing_consent_at`,
        [contact.id, counterparty.id, contact.name, contact.email, contact.mailingConsent, contact.mailingConsentAt ? new Date(contact.mailingConsentAt) : null],
      );
    }
  }
  return true;
}

/** Stores a rating unless one computed at the same time or later is there. */
export async function recordAudienceRating(em: EntityManager, rating: RatingChanged): Promise<void> {
  await em.execute(
    `insert into audience_ratings as r (counterparty_id, score, computed_at) values (?, ?, ?)
     on conflict (counterparty_id) do update set score = excluded.score, computed_at = excluded.computed_at where r.computed_at < excluded.computed_at`,
    [rating.counterpartyId, rating.score, new Date(rating.computedAt)],
  );
}

/** Handlers keeping `audience_counterparties` and `audience_contacts` current from `counterparties.counterparty.*`. */
export function audienceCounterpartyHandlers(): EventHandlers {
  return Object.fromEntries(
    counterpartyUpsertedContract.topics.map((topic) => [
      topic,
      async (event, em) => {
        await recordAudienceCounterparty(em, parseOrPark(counterpartyUpsertedContract, event));
      },
    ]),
  ) as EventHandlers;
}

/** Handlers keeping `audience_ratings` current from `finance.rating.changed`. */
export function audienceRatingHandlers(): EventHandlers {
  return Object.fromEntries(
    ratingChangedContract.topics.map((topic) => [
      topic,
      async (event, em) => {
        await recordAudienceRating(em, parseOrPark(ratingChangedContract, event));
      },
    ]),
  ) as EventHandlers;
}

/** Every read model of the audience: counterparties with contacts, and ratings. */
export function audienceReadModelHandlers(): EventHandlers {
  return { ...audienceCounterpartyHandlers(), ...audienceRatingHandlers() };
}

/**
 * The mailings service's read models of other services' entities, as the `events` commands rebuild them.
 */
export const MAILINGS_READ_MODELS: Record<string, RebuildableReadModel> = {
  'rebuild-counterparties': {
    handlers: audienceCounterpartyHandlers(),
    reset: async (em) => {
      await em.nativeDelete(AudienceContact, {});
      await em.nativeDelete(AudienceCounterparty, {});
    },
  },
  'rebuild-ratings': { handlers: audienceRatingHandlers(), reset: async (em) => void (await em.nativeDelete(AudienceRating, {})) },
  'rebuild-users': { handlers: userRefHandlers(), reset: async (em) => void (await em.nativeDelete(UserRef, {})) },
};

/** Columns holding other services' ids, checked by `events check-references`. */
export const MAILINGS_REFERENCE_CHECKS: readonly ReferenceCheck[] = [
  { table: 'mailing_recipients', column: 'counterparty_id', readModel: 'audience_counterparties' },
  { table: 'mailings', column: 'created_by_id', readModel: 'user_refs' },
  { table: 'audience_counterparties', column: 'responsible_manager_id', readModel: 'user_refs' },
];
