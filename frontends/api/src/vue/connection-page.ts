import { computed, ref, type ComputedRef, type Ref } from 'vue';
import type { ApolloError } from '@apollo/client/core';
import type { Connection } from '../connection';

/** The parts of a `useQuery` (from @vue/apollo-composable) that paging needs. */
export type PagedQuery<TResult> = {
  result: Ref<TResult | undefined>;
  loading: Ref<boolean>;
  error: Ref<ApolloError | null>;
  refetch: () => unknown;
  fetchMore: (options: { variables: Record<string, string> }) => Promise<unknown> | undefined;
};

/**
 * A connection as far as paging goes. The count is optional: `totalCount` (exact), or on the big registries
 * `totalCountAtLeast` + `totalCountCapped` (counted up to a cap: a lower bound when capped), or none.
 */
export type PagedConnection<TNode> = Pick<Connection<TNode>, 'pageInfo'> & {
  totalCount?: number;
  totalCountAtLeast?: number;
  totalCountCapped?: boolean;
  edges: readonly { node: TNode }[];
};

export type ConnectionPage<TNode> = {
  /** The connection of the last answer, null until one came (or when the field failed). */
  connection: ComputedRef<PagedConnection<TNode> | null>;
  /** Nodes of every page fetched so far (the cache policy appends pages, `connectionFieldPolicy`). */
  rows: ComputedRef<TNode[]>;
  /** `totalCount` (or `totalCountAtLeast`), or the number of rows when the connection does not tell. */
  total: ComputedRef<number>;
  /** More rows match than `total` says (`totalCountCapped`). */
  totalCapped: ComputedRef<boolean>;
  /** `total` as a list shows it: «1000+» when capped. */
  totalLabel: ComputedRef<string>;
  /** The query failed and left no connection to show. */
  failed: ComputedRef<boolean>;
  /** A next page is being fetched. */
  loadingMore: Ref<boolean>;
  /** Fetches the page after the last cursor (once at a time); a no-op on the last page. */
  loadMore: () => Promise<void>;
};

/**
 * "Load more" paging of a Relay-style connection selected from a query's answer: `fetchMore` with
 * the end cursor in `cursorVariable` (`after` unless the query names it otherwise).
 */
export const useConnectionPage = <TResult, TNode>(
  query: Pick<PagedQuery<TResult>, 'result' | 'error' | 'fetchMore'>,
  select: (result: TResult) => PagedConnection<TNode> | null | undefined,
  { cursorVariable = 'after' }: { cursorVariable?: string } = {},
): ConnectionPage<TNode> => {
  // no answer yet (undefined), or a failed one without data (null: e.g. the service's database refused the connection)
  const connection = computed(() => (query.result.value == null ? null : (select(query.result.value) ?? null)));
  const rows = computed(() => connection.value?.edges.map((edge) => edge.node) ?? []);
  const total = computed(() => connection.value?.totalCount ?? connection.value?.totalCountAtLeast ?? rows.value.length);
  const totalCapped = computed(() => connection.value?.totalCount === undefined && connection.value?.totalCountCapped === true);
  const totalLabel = computed(() => (totalCapped.value ? `${total.value}+` : String(total.value)));
  const failed = computed(() => Boolean(query.error.value) && connection.value === null);

  const loadingMore = ref(false);
  const loadMore = async (): Promise<void> => {
    const cursor = connection.value?.pageInfo.endCursor;
    if (!cursor || loadingMore.value) return;
    loadingMore.value = true;
    try {
      await query.fetchMore({ variables: { [cursorVariable]: cursor } });
    } finally {
      loadingMore.value = false;
    }
  };

  return { connection, rows, total, totalCapped, totalLabel, failed, loadingMore, loadMore };
};
