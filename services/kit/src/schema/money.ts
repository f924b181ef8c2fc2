import { Directive, Field, ObjectType } from 'type-graphql';
import { SafeIntResolver } from 'graphql-scalars';

/**
 * The largest amount one field accepts, in minor units: 10^12 kopecks = 10 000 000 000 ₽ (ten billion
 * roubles), far above any single contract, invoice or deal this product handles.
 *
 * Why this bound: amounts travel as GraphQL `SafeInt` and are added up in JavaScript numbers (board columns,
 * funnel sums, weighted amounts, balances). A sum stays exact while it is below 2^53 ≈ 9.007·10^15, so with
 * at most 10^12 per amount any 9 007 amounts — a board column, a stage of the funnel, every document of a
 * contract — sum exactly, and PostgreSQL's bigint (2^63) has room for 9·10^6 of them. (A bound of 10^15 would
 * let just nine amounts overflow a sum.)
 */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000;

/** Money: integer minor units (kopecks) and an ISO 4217 currency code. */
@Directive('@shareable')
@ObjectType({ description: 'An amount in integer minor units (e.g. kopecks) with its ISO 4217 currency code' })
export class Money {
  @Field(() => SafeIntResolver, { description: 'Amount in minor units' })
  minor!: number;

  @Field({ description: 'ISO 4217 currency code, e.g. RUB' })
  currency!: string;
}

/**
 * An amount read from the database as a JavaScript number: PostgreSQL returns bigint and numeric (sums) as
 * strings; they are read exactly, and a value a JavaScript number cannot hold exactly is an error (never a
 * silently rounded amount).
 */
export function minorUnits(value: number | string | bigint): number {
  const exact = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(exact)) {
    throw new RangeError(`Amount ${String(value)} is beyond the exact range of a JavaScript number`);
  }
  return exact;
}

export function money(minor: number | string | bigint | null | undefined, currency: string | null | undefined): Money | null {
  if (minor === null || minor === undefined) return null;
  return Object.assign(new Money(), { minor: minorUnits(minor), currency: currency ?? 'RUB' });
}
