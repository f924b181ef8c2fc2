import { Directive, Field, ObjectType } from 'type-graphql';
import { SafeIntResolver } from 'graphql-scalars';

/** Money: integer minor units (kopecks) and an ISO 4217 currency code. */
@Directive('@shareable')
@ObjectType({ description: 'An amount in integer minor units (e.g. kopecks) with its ISO 4217 currency code' })
export class Money {
  @Field(() => SafeIntResolver, { description: 'Amount in minor units' })
  minor!: number;

  @Field({ description: 'ISO 4217 currency code, e.g. RUB' })
  currency!: string;
}

export function money(minor: number | string | null | undefined, currency: string | null | undefined): Money | null {
  if (minor === null || minor === undefined) return null;
  return Object.assign(new Money(), { minor: Number(minor), currency: currency ?? 'RUB' });
}
