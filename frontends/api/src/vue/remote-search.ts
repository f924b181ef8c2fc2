import { computed, onBeforeUnmount, ref, type ComputedRef } from 'vue';


export type RemoteSearch = {
  /** The trimmed search text once typing paused; null when empty (the query's `search` variable). */
  term: ComputedRef<string | null>;
  /** The `@search` handler of a remote Naive select. */
  onSearch: (query: string) => void;
};

/** The search of a remote picker: what is typed reaches the query after a pause (`delayMs`). */
export const useRemoteSearch = (delayMs = 250): RemoteSearch => {
  const search = ref('');
  let debounce: number | undefined;
  const onSearch = (query: string): void => {
    window.clearTimeout(debounce);
    debounce = window.setTimeout(() => {
      search.value = query.trim();
    }, delayMs);
  };
  onBeforeUnmount(() => window.clearTimeout(debounce));
  return { term: computed(() => (search.value === '' ? null : search.value)), onSearch };
};
