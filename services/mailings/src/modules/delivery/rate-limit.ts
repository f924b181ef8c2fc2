import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * The pace of sending, decided from the database — the claims in `mailing_delivery_attempts` — so that every
 * replica sees the same history. Callers hold the claim lock (see sending.worker.ts), so between reading these
 * figures and recording the next claim no other replica can claim: the limits hold for all replicas together.
 *
 * Three limits, each as "when may the next claim be":
 * - a mailing's `ratePerMinute` as an even pace: one claim every 60 s / ratePerMinute (no bursts: 6000/min is
 *   10 ms apart, so no second ever holds more than ~100), and never more than ratePerMinute in any 60 s;
 * - a mailing's `ratePerHour`: never more than ratePerHour claims in any 3600 s;
 * - the service-wide cap (config), over all mailings: paced the same way.
 * Every attempt counts, whatever its outcome: a refused message used the sender's quota at the receiver too.
 */
export type RateLimits = { ratePerMinute: number; ratePerHour: number; serviceMaxPerMinute: number };

/** The claim times the limits depend on (ms since the epoch; null: no such claim). */
export type RateFigures = {
  now: number;
  mailingLast: number | null;
  /** The ratePerMinute-th most recent claim of the mailing within the last minute. */
  mailingMinuteNth: number | null;
  /** The ratePerHour-th most recent claim of the mailing within the last hour. */
  mailingHourNth: number | null;
  serviceLast: number | null;
  serviceMinuteNth: number | null;
};

/** Read in the same statement, to spare the claim a round trip: whether the mailing has QUEUED recipients, and when the first is due. */
export type QueueFigures = { queued: boolean; firstDueAt: number | null };

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** When the next claim of the mailing is allowed (ms since the epoch); ≤ `figures.now` means now. */
export function nextSlotAt(figures: RateFigures, limits: RateLimits): number {
  const perMinute = Math.max(1, limits.ratePerMinute);
  const perHour = Math.max(1, limits.ratePerHour);
  const candidates = [figures.now - 1];
  if (figures.mailingLast !== null) candidates.push(figures.mailingLast + MINUTE / perMinute);
  if (figures.mailingMinuteNth !== null) candidates.push(figures.mailingMinuteNth + MINUTE);
  if (figures.mailingHourNth !== null) candidates.push(figures.mailingHourNth + HOUR);
  if (limits.serviceMaxPerMinute > 0) {
    if (figures.serviceLast !== null) candidates.push(figures.serviceLast + MINUTE / limits.serviceMaxPerMinute);
    if (figures.serviceMinuteNth !== null) candidates.push(figures.serviceMinuteNth + MINUTE);
  }
  return Math.max(...candidates);
}

const EPOCH_MS = (expression: string) => `(extract(epoch from ${expression}) * 1000)::float8`;
const ms = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** Reads the figures of one mailing (and of the service) in one statement, by the database's clock. */
export async function readRateFigures(em: EntityManager, mailingId: string, limits: RateLimits): Promise<RateFigures & QueueFigures> {
  const perMinute = Math.max(1, limits.ratePerMinute);
  const perHour = Math.max(1, limits.ratePerHour);
  const service = limits.serviceMaxPerMinute > 0;
  const [row] = await em.execute<Record<string, unknown>[]>(
    // epoch milliseconds with their microseconds (float8), not Dates: a truncated millisecond would let claims come 1 ms early
    `select ${EPOCH_MS('clock_timestamp()')} as now,
       exists (select 1 from mailing_recipients where mailing_id = ? and status = 'QUEUED') as queued,
       ${EPOCH_MS(`(select min(next_attempt_at) from mailing_recipients where mailing_id = ? and status = 'QUEUED')`)} as first_due_at,
       ${EPOCH_MS('(select max(claimed_at) from mailing_delivery_attempts where mailing_id = ?)')} as mailing_last,
       ${EPOCH_MS(`(select claimed_at from mailing_delivery_attempts where mailing_id = ? and claimed_at > clock_timestamp() - interval '1 minute' order by claimed_at desc offset ? limit 1)`)} as mailing_minute_nth,
       ${EPOCH_MS(`(select claimed_at from mailing_delivery_attempts where mailing_id = ? and claimed_at > clock_timestamp() - interval '1 hour' order by claimed_at desc offset ? limit 1)`)} as mailing_hour_nth,
       ${service ? EPOCH_MS('(select max(claimed_at) from mailing_delivery_attempts)') : 'null::float8'} as service_last,
       ${service ? EPOCH_MS(`(select claimed_at from mailing_delivery_attempts where claimed_at > clock_timestamp() - interval '1 minute' order by claimed_at desc offset ? limit 1)`) : 'null::float8'} as service_minute_nth`,
    [mailingId, mailingId, mailingId, mailingId, perMinute - 1, mailingId, perHour - 1, ...(service ? [limits.serviceMaxPerMinute - 1] : [])],
  );
  return {
    now: ms(row.now) as number,
    queued: row.queued === true,
    firstDueAt: ms(row.first_due_at),
    mailingLast: ms(row.mailing_last),
    mailingMinuteNth: ms(row.mailing_minute_nth),
    mailingHourNth: ms(row.mailing_hour_nth),
    serviceLast: ms(row.service_last),
    serviceMinuteNth: ms(row.service_minute_nth),
  };
}
