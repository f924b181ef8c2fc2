import { groupByKeys, byKeys, publishEvent, RATING_CHANGED, requirePermissions, type RatingChanged, type SubgraphContext } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { computeExecution } from '../execution/execution.calculator';
import { loadAccounts } from '../execution/finance-facts.loader';
import { RatingMethod } from './rating-method.entity';
import { RatingPoint } from './rating-point.entity';
import { Rating } from './rating.entity';
import { computeRating } from './rating.calculator';
import { validateRatingWeights, type RatingWeightInput } from './rating.method';
import { ratingMethodOf, ratingOf, ratingPointOf, type RatingMethodType, type RatingPointType, type RatingType } from './rating.type';
import type { RatingGrade, RatingWeights } from './rating.types';

/** Counterparties recomputed per batch when every rating is recomputed (a new method version, the daily run). */
export const RECOMPUTE_BATCH = 200;
/** The most history points returned per counterparty (the newest). */
export const HISTORY_LIMIT = 500;

type CurrentMethod = { version: number; weights: RatingWeights };
type StoredRating = { counterparty_id: string; score: string | null; grade: RatingGrade | null; method_version: number };

/** The calendar day (UTC) a rating computed at `now` judges obligations by. */
export function ratingDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

async function currentMethod(em: EntityManager): Promise<CurrentMethod> {
  const [row] = await em.execute<{ version: number; weights: RatingWeights }[]>('select version, weights from rating_methods order by version desc limit 1');
  if (!row) throw new Error('No rating method: the first migration inserts version 1');
  return { version: row.version, weights: row.weights };
}

const numeric = (value: string | number | null): number | null => (value === null ? null : Number(value));

/**
 * Recomputes and stores the ratings of these counterparties with the `given` method (null: the current one, read once the
 * locks are held), in the caller's transaction and in a fixed
 * number of statements: a per-counterparty advisory lock (concurrent recomputations of one counterparty queue up, so
 * a history point is never added twice), the facts (loadAccounts), the stored ratings, one upsert, one insert of the
 * history points and of the outbox events.
 */
async function recomputeWith(em: EntityManager, counterpartyIds: readonly string[], now: Date, given: CurrentMethod | null): Promise<void> {
  const ids = [...new Set(counterpartyIds.map((id) => id.toLowerCase()))].sort();
  if (!ids.length) return;
  await em.execute(
    `select pg_advisory_xact_lock(k) from (select hashtextextended('finance.rating:' || id, 0) as k from unnest(array[?]::text[]) as id order by id) as locks`,
    [ids],
  );
  // Read after the locks: a new method version committed while we waited is the one to use.
  const method = given ?? (await currentMethod(em));
  const accounts = await loadAccounts(em, ids);
  const stored = new Map(
    (await em.execute<StoredRating[]>('select counterparty_id, score, grade, method_version from ratings where counterparty_id = any(array[?]::uuid[])', [ids])).map((row) => [row.counterparty_id, row]),
  );
  const today = ratingDay(now);
  const upserts: unknown[][] = [];
  const points: Pick<RatingPoint, 'counterpartyId' | 'score' | 'grade' | 'methodVersion' | 'computedAt'>[] = [];
  for (const id of ids) {
    const facts = accounts.get(id) ?? [];
    const before = stored.get(id);
    // No verified fact and never rated: nothing to store (the rating stays absent rather than an empty one).
    if (!facts.length && !before) continue;
    const result = computeRating({ today, accounts: facts.map((f) => ({ facts: f, execution: computeExecution(f, today) })) }, method.weights);
    upserts.push([id, result.score, result.grade, method.version, now, JSON.stringify(result.factors)]);
    const changed = !before || numeric(before.score) !== result.score || before.grade !== result.grade || before.method_version !== method.version;
    if (changed) points.push({ counterpartyId: id, score: result.score, grade: result.grade, methodVersion: method.version, computedAt: now });
  }
  if (upserts.length) {
    await em.execute(
      `insert into ratings (counterparty_id, score, grade, method_version, computed_at, factors)
       values ${upserts.map(() => '(?, ?, ?, ?, ?, ?::jsonb)').join(', ')}
       on conflict (counterparty_id) do update set score = excluded.score, grade = excluded.grade, method_version = excluded.method_version,
         computed_at = excluded.computed_at, factors = excluded.factors`,
      upserts.flat(),
    );
  }
  if (points.length) {
    for (const point of points) em.create(RatingPoint, point, { persist: true });
    for (const point of points) {
      const payload: RatingChanged = { counterpartyId: point.counterpartyId, score: point.score, grade: point.grade, methodVersion: point.methodVersion, computedAt: now.toISOString() };
      await publishEvent(em, RATING_CHANGED, payload);
    }
    await em.flush();
  }
}

/** Runs `work` in the caller's transaction, or in a new one (the advisory locks need a transaction to hold). */
async function inTransaction(em: EntityManager, work: (em: EntityManager) => Promise<void>): Promise<void> {
  if (em.isInTransaction()) await work(em);
  else await em.transactional((tx) => work(tx));
}

/**
 * Recomputes the ratings of these counterparties with the current method (the highest version) and stores them:
 * the Rating row always (its factors and evidence follow the facts), a RatingPoint and a `finance.rating.changed`
 * event only when the score, grade or method version changed. Called in the same transaction after every change of
 * the facts (ledger, payments, contract terms).
 */
export async function recomputeRatings(em: EntityManager, counterpartyIds: readonly string[], now: Date): Promise<void> {
  if (!counterpartyIds.length) return;
  await inTransaction(em, (tx) => recomputeWith(tx, counterpartyIds, now, null));
}

/** Every counterparty with a rating or with facts (verified documents, matched payments). */
async function ratedOrWithFacts(em: EntityManager): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select counterparty_id as id from ratings
     union select counterparty_id from finance_documents where verified
     union select counterparty_id from payments where match_status = 'MATCHED' and counterparty_id is not null
     order by 1`,
  );
  return rows.map((row) => row.id);
}

/**
 * Recomputes every rating with the current method, in batches of RECOMPUTE_BATCH counterparties (each a fixed number
 * of statements). For a new method version, and for a daily run: obligations fall due as days pass, with no event.
 */
export async function recomputeAllRatings(em: EntityManager, now: Date): Promise<number> {
  let count = 0;
  await inTransaction(em, async (tx) => {
    const method = await currentMethod(tx);
    const ids = await ratedOrWithFacts(tx);
    for (let i = 0; i < ids.length; i += RECOMPUTE_BATCH) await recomputeWith(tx, ids.slice(i, i + RECOMPUTE_BATCH), now, method);
    count = ids.length;
  });
  return count;
}

/** Reads (batched per request) and the one command of the rating. */
export class RatingService {
  constructor(private readonly context: SubgraphContext) {}

  /** The current rating of a counterparty; batched across counterparties (one statement per request). */
  async ratingOf(counterpartyId: string): Promise<RatingType | null> {
    const loader = this.context.loaders.get<Rating>('ratings:of-counterparty', async (ids) => byKeys(ids, await this.context.em.find(Rating, { counterpartyId: { $in: [...new Set(ids)] } }), (row) => row.counterpartyId));
    const row = await loader.load(counterpartyId.toLowerCase());
    return row ? ratingOf(row) : null;
  }

  /** The rating history of a counterparty, oldest first (the newest HISTORY_LIMIT points); batched across counterparties. */
  async historyOf(counterpartyId: string): Promise<RatingPointType[]> {
    type Row = { counterparty_id: string; score: string | null; grade: RatingGrade | null; method_version: number; computed_at: Date };
    const loader = this.context.loaders.get<Row[]>('rating-points:of-counterparty', async (ids) => {
      const rows = await this.context.em.execute<Row[]>(
        `select counterparty_id, score, grade, method_version, computed_at from (
           select p.*, row_number() over (partition by p.counterparty_id order by p.computed_at desc, p.id desc) as n
           from rating_points p where p.counterparty_id = any(array[?]::uuid[])
         ) as newest where n <= ? order by computed_at asc, id asc`,
        [[...new Set(ids)], HISTORY_LIMIT],
      );
      return groupByKeys(ids, rows, (row) => row.counterparty_id);
    });
    const rows = (await loader.load(counterpartyId.toLowerCase())) ?? [];
    return rows.map((row) =>
      ratingPointOf({ score: numeric(row.score), grade: row.grade, methodVersion: row.method_version, computedAt: new Date(row.computed_at) }),
    );
  }

  /** Every version of the method, newest first. */
  async methods(): Promise<RatingMethodType[]> {
    const rows = await this.context.em.find(RatingMethod, {}, { orderBy: { version: 'desc' } });
    const current = rows[0]?.version ?? 0;
    return rows.map((row) => ratingMethodOf(row, current));
  }

  /**
   * A new version of the method with these weights (validated: BAD_USER_INPUT on `weights`), then every rating is
   * recomputed with it in the same transaction. Stored history points keep the version they were computed with.
   */
  async setWeights(input: readonly RatingWeightInput[], now: Date = new Date()): Promise<RatingMethodType> {
    const identity = requirePermissions(this.context.identity, ['rating:configure']);
    const weights = validateRatingWeights(input);
    const method = await this.context.em.fork().transactional(async (em) => {
      await em.execute(`select pg_advisory_xact_lock(hashtextextended('finance.rating-method', 0))`);
      const latest = await currentMethod(em);
      const created = em.create(RatingMethod, { version: latest.version + 1, weights, createdAt: now, createdById: identity.kind === 'user' ? identity.id : null }, { persist: true });
      await em.flush();
      await recomputeAllRatings(em, now);
      return created;
    });
    return ratingMethodOf(method, method.version);
  }
}
