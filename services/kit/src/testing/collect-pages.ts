export type ConnectionPage<T> = { edges: { node: T; cursor?: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null }; totalCount: number };

export type CollectedPages<T> = { nodes: T[]; pages: ConnectionPage<T>[]; totalCount: number };

/** Walks a connection from the first page to the last by `endCursor`; fails if it never ends. */
export async function collectPages<T>(fetchPage: (after: string | null) => Promise<ConnectionPage<T>>, maxPages = 100): Promise<CollectedPages<T>> {
  const pages: ConnectionPage<T>[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await fetchPage(after);
    pages.push(page);
    if (!page.pageInfo.hasNextPage) break;
    if (pages.length >= maxPages) throw new Error(`pagination did not end after ${maxPages} pages`);
    after = page.pageInfo.endCursor;
  }
  return { nodes: pages.flatMap((page) => page.edges.map((edge) => edge.node)), pages, totalCount: pages[pages.length - 1].totalCount };
}
