import { computed, type ComputedRef, type Ref } from 'vue';
import { apiErrorMessage, isNetworkFailure } from '@kartoteka/portal-api';
import { useConnectionPage, type PagedConnection, type PagedQuery } from '@kartoteka/portal-api/vue';

type Translate = (key: string, named?: Record<string, unknown>) => string;

/** The state a `TaskListCard` shows, from a paged task query. */
export type TaskList<TNode> = {
  rows: ComputedRef<TNode[]>;
  total: ComputedRef<number | null>;
  initialLoading: ComputedRef<boolean>;
  errorText: ComputedRef<string | null>;
  hasNextPage: ComputedRef<boolean>;
  loadingMore: Ref<boolean>;
  loadMore: () => Promise<void>;
  retry: () => void;
  retrying: Ref<boolean>;
};

/**
 * A list of my open tasks: rows still open (`isOpen`; a task decided a moment ago disappears at once,
 * before the refetch confirms it), paging and a localized error.
 */
export const useTaskList = <TResult, TNode>(
  query: PagedQuery<TResult>,
  select: (result: TResult) => PagedConnection<TNode> | null | undefined,
  isOpen: (node: TNode) => boolean,
  t: Translate,
): TaskList<TNode> => {
  const page = useConnectionPage(query, select);
  const rows = computed(() => page.rows.value.filter(isOpen));
  const total = computed(() => {
    if (!page.connection.value) return null;
    return Math.max(0, page.total.value - (page.rows.value.length - rows.value.length));
  });
  const errorText = computed(() => {
    const error = query.error.value;
    if (!error) return null;
    return t('tasks.loadError', { message: isNetworkFailure(error) ? t('tasks.networkError') : apiErrorMessage(error) });
  });
  return {
    rows,
    total,
    initialLoading: computed(() => query.loading.value && query.result.value === undefined),
    errorText,
    hasNextPage: computed(() => page.connection.value?.pageInfo.hasNextPage ?? false),
    loadingMore: page.loadingMore,
    loadMore: page.loadMore,
    retry: () => void query.refetch(),
    retrying: query.loading,
  };
};
