import { reactive, watch, type UnwrapNestedRefs } from 'vue';

/** How one filter is kept in the query string: read from its parameter, written back (null or '' removes it). */
export type UrlParam<T> = { parse: (raw: string | null) => T; format: (value: T) => string | null };

export type UrlParams<Filters> = { [K in keyof Filters]: UrlParam<Filters[K]> };

/** Common parameter kinds. */
export const urlParam = {
  /** Free text (trimmed when written); '' when absent. */
  text: (): UrlParam<string> => ({ parse: (raw) => raw ?? '', format: (value) => value.trim() || null }),
  /** A value taken as it is (an id, a stage key), or null when absent or empty. */
  string: (): UrlParam<string | null> => ({ parse: (raw) => (raw === null || raw === '' ? null : raw), format: (value) => value }),
  /** One of `values`, or null (absent or unknown). `lower`: written in lower case (`sort=name`), read either way. */
  oneOf: <V extends string>(values: readonly V[], { lower = false }: { lower?: boolean } = {}): UrlParam<V | null> => ({
    parse: (raw) => values.find((value) => value === raw || (lower && raw !== null && value.toLowerCase() === raw.toLowerCase())) ?? null,
    format: (value) => (value === null ? null : lower ? value.toLowerCase() : value),
  }),
  /** A comma-separated subset of `values`, in their order, without repeats. */
  listOf: <V extends string>(values: readonly V[]): UrlParam<V[]> => ({
    parse: (raw) => {
      const given = (raw ?? '').split(',');
      return values.filter((value) => given.includes(value));
    },
    format: (list) => (list.length ? list.join(',') : null),
  }),
};

/** Writes the parameters into the URL without a new history entry (filters are not navigation). */
export const replaceQueryParams = (params: Record<string, string | null>): void => {
  const url = new URL(window.location.href);
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === '') url.searchParams.delete(key);
    else url.searchParams.set(key, value);
  }
  const next = url.pathname + url.search + url.hash;
  if (next !== window.location.pathname + window.location.search + window.location.hash) {
    window.history.replaceState(window.history.state, '', next);
  }
};

export type UrlFilters<Filters extends object> = {
  /** The filters, read from the URL when created; every change is written back to it. */
  filters: UnwrapNestedRefs<Filters>;
  /** Sets every filter to its value for an empty query string (`parse(null)`). */
  reset: () => void;
  /** Re-reads the filters from the current URL (e.g. after the back button). */
  sync: () => void;
};

/**
 * List filters (and the list's order) kept in the query string, so a reload, a shared link or the back button
 * keep them: `useUrlFilters({ q: urlParam.text(), status: urlParam.oneOf(STATUSES), sort: urlParam.oneOf(SORTS, { lower: true }) })`.
 * The page reads `filters.q` etc. (reactive) and passes them to its query; each parameter's name is its key.
 */
export const useUrlFilters = <Filters extends object>(params: UrlParams<Filters>): UrlFilters<Filters> => {
  const keys = Object.keys(params) as (keyof Filters & string)[];
  const read = (): Filters => {
    const query = new URLSearchParams(window.location.search);
    return Object.fromEntries(keys.map((key) => [key, params[key].parse(query.get(key))])) as Filters;
  };
  const filters = reactive(read()) as UnwrapNestedRefs<Filters>;
  const values = filters as unknown as Filters;

  watch(
    () => keys.map((key) => params[key].format(values[key])),
    (formatted) => replaceQueryParams(Object.fromEntries(keys.map((key, index) => [key, formatted[index]]))),
  );

  return {
    filters,
    reset: () => {
      Object.assign(values, Object.fromEntries(keys.map((key) => [key, params[key].parse(null)])));
    },
    sync: () => {
      Object.assign(values, read());
    },
  };
};
