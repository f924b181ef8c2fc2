import type { GraphQLResolveInfo } from 'graphql';
import { FieldResolver, Int, Resolver, Root, type ClassType } from 'type-graphql';
import type { ConnectionShape } from './connection';
import { selectedFields } from './selection';

/**
 * Counting a registry of a million documents exactly reads every matching row, while a page needs a number only to
 * say "1 234 documents" or "more than 1 000". So a big list's connection offers both: `totalCount` (exact, counted
 * only when a query selects it) and `totalCountAtLeast` / `totalCountCapped`: the matching rows counted up to
 * LIST_COUNT_CAP + 1 (`select count(*) from (… limit cap + 1)`), which reads at most that many rows whatever the
 * filter — exact whenever the filter is selective, a lower bound otherwise. The cap is 1 000, not 10 000: with a
 * 10 001-row limit the planner chose bitmap scans costing 0.7–0.9 s on the million-document registry, at 1 001 rows
 * 2 ms.
 */
export const LIST_COUNT_CAP = 1_000;

/** How many rows match, counted up to a cap: `capped` when there are more than `atLeast`. */
export type CappedCount = { atLeast: number; capped: boolean };

/** A connection with the capped count when its list computed one (`countUpTo` was given). */
export type CountedConnection<T> = ConnectionShape<T> & { cappedCount?: CappedCount };

/** What a list query counts: the exact total only when `totalCount` is selected, the capped one when its fields are. */
export type ListCounts = { withTotal: boolean; countUpTo: number | null };

export function listCountsOf(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, cap: number = LIST_COUNT_CAP): ListCounts {
  const fields = selectedFields(info);
  return { withTotal: fields.has('totalCount'), countUpTo: fields.has('totalCountAtLeast') || fields.has('totalCountCapped') ? cap : null };
}

/** The capped count from the number of rows `… limit cap + 1` returned. */
export function cappedCountOf(counted: number, cap: number): CappedCount {
  return { atLeast: Math.min(counted, cap), capped: counted > cap };
}

/** The SQL that counts the rows of `select` (a query without its own limit) up to `cap + 1` (bound as the last `?`). */
export function cappedCountSql(select: string): string {
  return `select count(*)::int as total from (${select} limit ?) capped`;
}

/**
 * The resolver of `totalCountAtLeast` / `totalCountCapped` on a connection type (add it to the subgraph's resolvers).
 * A connection whose list computed no capped count (a counterparty's own page, which counts exactly) derives both
 * from its exact total. `noun` names the items in the descriptions ("documents").
 */
export function CappedCountResolver<T extends object>(connection: ClassType<ConnectionShape<T>>, noun: string): ClassType {
  const cap = LIST_COUNT_CAP.toLocaleString('en');
  const cappedOf = (counted: CountedConnection<T>): CappedCount => counted.cappedCount ?? cappedCountOf(counted.totalCount, LIST_COUNT_CAP);

  @Resolver(() => connection)
  class CappedCountFields {
    @FieldResolver(() => Int, {
      description: `Matching ${noun} counted up to ${cap}: the exact number when totalCountCapped is false, otherwise a lower bound (show "${cap}+"). Cheap whatever the filter, unlike totalCount, which counts every matching item`,
    })
    totalCountAtLeast(@Root() counted: CountedConnection<T>): number {
      return cappedOf(counted).atLeast;
    }

    @FieldResolver(() => Boolean, { description: `Whether more ${noun} match than totalCountAtLeast says` })
    totalCountCapped(@Root() counted: CountedConnection<T>): boolean {
      return cappedOf(counted).capped;
    }
  }
  return CappedCountFields;
}
