import { gql } from '@apollo/client/core';
import type { DocumentNode } from '@apollo/client/core';

/** Relay-style paging info of a connection. */
export type PageInfo = { hasNextPage: boolean; endCursor: string | null };

/** A Relay-style connection as the portal's queries select it. */
export type Connection<TNode> = {
  totalCount: number;
  pageInfo: PageInfo;
  edges: { cursor: string; node: TNode }[];
};

/** Variables of a `counterpartyConnectionQuery`. */
export type CounterpartyConnectionVars = { id: string; first: number; after?: string | null };

const fragmentNameOf = (fragment: DocumentNode): string => {
  const definition = fragment.definitions.find((d) => d.kind === 'FragmentDefinition');
  if (!definition || definition.kind !== 'FragmentDefinition') throw new Error('expected a document with a named fragment');
  return definition.name.value;
};

/**
 * The selection of a Relay-style connection field: `totalCount` (unless told otherwise), the page
 * info and the edges with cursor and node, the node selected by `nodeFragment` (a document holding
 * one named fragment, which the query must include).
 */
export const connectionSelection = (nodeFragment: DocumentNode, { totalCount = true }: { totalCount?: boolean } = {}): string => `
  ${totalCount ? 'totalCount' : ''}
  pageInfo {
    hasNextPage
    endCursor
  }
  edges {
    cursor
    node {
      ...${fragmentNameOf(nodeFragment)}
    }
  }
`;

/**
 * The query of a card panel: one page of a connection field of the counterparty (e.g. its deals),
 * `first` items `after` a cursor, each node selected by `nodeFragment`.
 * The answer is `{ counterparty: { id, [field]: Connection } | null }`.
 */
export const counterpartyConnectionQuery = (operationName: string, field: string, nodeFragment: DocumentNode): DocumentNode => gql`
  query ${operationName}($id: ID!, $first: Int!, $after: String) {
    counterparty(id: $id) {
      id
      ${field}(first: $first, after: $after) {
        ${connectionSelection(nodeFragment)}
      }
    }
  }
  ${nodeFragment}
`;
