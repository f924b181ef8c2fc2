import { UserInputError } from '@kartoteka/kit';
import { RATING_FACTOR_CODES, type RatingFactorCode, type RatingGrade, type RatingWeights } from './rating.types';

/**
 * The constants of the rating method. The weights are versioned (a RatingMethod row per version, set by an
 * administrator); everything else here is fixed by the code and described in the README ("Reliability rating").
 */

/** Version 1 of the method, seeded by the first migration. */
export const DEFAULT_RATING_WEIGHTS: RatingWeights = {
  PAYMENT_ON_TIME: 35,
  PAYMENT_DELAY: 15,
  OVERDUE_NOW: 20,
  DELIVERY_ON_TIME: 10,
  TERMINATIONS: 10,
  RELATIONSHIP: 10,
};

/** The lowest score of each grade; below C is D. */
export const GRADE_THRESHOLDS = { A: 85, B: 70, C: 50 } as const;

/** PAYMENT_DELAY reaches 0 when payments are late by this many days on average (weighted by amount). */
export const DELAY_HORIZON_DAYS = 60;
/** OVERDUE_NOW compares the debt overdue now with what fell due within this many days. */
export const OVERDUE_WINDOW_DAYS = 365;
/** RELATIONSHIP: half of the points for the length of the relationship, full at this many months… */
export const RELATIONSHIP_FULL_MONTHS = 24;
/** …and half for its volume, full at 10 000 000 roubles (in kopecks). Only RUB amounts count towards it. */
export const RELATIONSHIP_FULL_VOLUME_MINOR = 1_000_000_000;
export const RELATIONSHIP_VOLUME_CURRENCY = 'RUB';
/** The most evidence items kept per factor (worst or largest first). */
export const EVIDENCE_LIMIT = 50;
/** Average length of a month in days, to turn days into months. */
export const DAYS_PER_MONTH = 365.25 / 12;

export function gradeOf(score: number): RatingGrade {
  if (score >= GRADE_THRESHOLDS.A) return 'A';
  if (score >= GRADE_THRESHOLDS.B) return 'B';
  if (score >= GRADE_THRESHOLDS.C) return 'C';
  return 'D';
}

export type RatingWeightInput = { factor: RatingFactorCode; weight: number };

export function weightsToList(weights: RatingWeights): RatingWeightInput[] {
  return RATING_FACTOR_CODES.map((factor) => ({ factor, weight: weights[factor] }));
}

/**
 * Checks the weights an administrator submits: every factor exactly once, each 0–100 with at most one decimal, and at least
 * one above 0. Throws UserInputError on the field `weights` (with the offending `factor` in the extensions).
 */
export function validateRatingWeights(input: readonly RatingWeightInput[]): RatingWeights {
  const weights: Partial<RatingWeights> = {};
  for (const { factor, weight } of input) {
    if (!(RATING_FACTOR_CODES as readonly string[]).includes(factor)) throw new UserInputError('weights', `Unknown rating factor ${String(factor)}`, { factor });
    if (weights[factor] !== undefined) throw new UserInputError('weights', `The weight of ${factor} is given twice`, { factor });
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0 || weight > 100) {
      throw new UserInputError('weights', `The weight of ${factor} must be between 0 and 100`, { factor });
    }
    if (Math.abs(weight * 10 - Math.round(weight * 10)) > 1e-9) {
      throw new UserInputError('weights', `The weight of ${factor} may have at most one decimal`, { factor });
    }
    weights[factor] = Math.round(weight * 10) / 10;
  }
  const missing = RATING_FACTOR_CODES.filter((code) => weights[code] === undefined);
  if (missing.length > 0) throw new UserInputError('weights', `Every factor needs a weight; missing: ${missing.join(', ')}`, { factor: missing[0] });
  const complete = weights as RatingWeights;
  if (RATING_FACTOR_CODES.reduce((total, code) => total + complete[code], 0) <= 0) {
    throw new UserInputError('weights', 'At least one weight must be above 0');
  }
  return complete;
}
