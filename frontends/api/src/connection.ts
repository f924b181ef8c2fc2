/** Relay-style paging info of a connection. */
export type PageInfo = { hasNextPage: boolean; endCursor: string | null };

/**
 * A Relay-style connection as the portal's queries select it. The apps' queries and their result types are
 * generated (`pnpm codegen`); this is the shape the shared paging helpers (`useConnectionPage`) work on.
 */
export type Connection<TNode> = {
  totalCount: number;
  pageInfo: PageInfo;
  edges: { cursor: string; node: TNode }[];
};
