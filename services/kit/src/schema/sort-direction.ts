import { registerEnumType } from 'type-graphql';

/**
 * Direction of a list's order, one enum for every subgraph: each prints the same `enum SortDirection`, so
 * the definitions agree and compose. Lists pair it with their own `*Sort` column enum; when a list is
 * sorted by a column and the direction is omitted, the column's natural direction applies (documented there).
 */
export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(SortDirection, {
  name: 'SortDirection',
  description: 'Direction of a list order; empty values come last in both directions',
  valuesConfig: {
    ASC: { description: 'A→Z, smallest, earliest first' },
    DESC: { description: 'Z→A, largest, latest first' },
  },
});
