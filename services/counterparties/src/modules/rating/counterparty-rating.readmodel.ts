import { parseOrPark, ratingChangedContract, type EventHandlers, type RatingChanged } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CounterpartyRating } from './counterparty-rating.entity';

/** A rating to store; `computedAt` orders states (an older one never replaces a newer one). */
export type CounterpartyRatingState = Omit<RatingChanged, 'computedAt'> & { computedAt: Date };

/** Scores are stored with one decimal (numeric(5,1)), as finance shows them. */
function storedScore(score: number | null): string | null {
  return score === null ? null : (Math.round(score * 10) / 10).toFixed(1);
}

/**
 * Stores the rating unless the same or a newer one (by `computedAt`) is already there; returns whether it was
 * stored. Idempotent: a redelivered or replayed event changes nothing.
 */
export async function upsertCounterpartyRating(em: EntityManager, state: CounterpartyRatingState): Promise<boolean> {
  const result = await em
    .createQueryBuilder(CounterpartyRating)
    .insert({ counterpartyId: state.counterpartyId.toLowerCase(), score: storedScore(state.score), grade: state.grade, methodVersion: state.methodVersion, computedAt: state.computedAt })
    .onConflict('counterpartyId')
    .merge(['score', 'grade', 'methodVersion', 'computedAt'])
    .where({ computedAt: { $lt: state.computedAt } })
    .execute('run');
  return result.affectedRows > 0;
}

/** Handlers keeping `counterparty_ratings` current from finance's `finance.rating.changed` (malformed payloads are parked). */
export function counterpartyRatingHandlers(): EventHandlers {
  return Object.fromEntries(
    ratingChangedContract.topics.map((topic) => [
      topic,
      async (event, em) => {
        const rating = parseOrPark(ratingChangedContract, event);
        await upsertCounterpartyRating(em, { ...rating, computedAt: new Date(rating.computedAt) });
      },
    ]),
  ) as EventHandlers;
}
