import { computed, nextTick, ref, shallowRef, watch, type ComputedRef, type Ref } from 'vue';
import { apiErrorsOf, type ApiError } from '@kartoteka/portal-api';

/** A server error placed under a form field, with the value the field had when it was sent. */
export type ServerFieldError = { path: string; error: ApiError; sentValue: string };

export type ServerForm = {
  /** Server errors by form field path (`extensions.field`, mapped by `fieldOf`). */
  fieldErrors: Readonly<Ref<Readonly<Record<string, ServerFieldError>>>>;
  /** Errors of the last failed save that name no field of the form (or are not BAD_USER_INPUT). */
  otherErrors: Readonly<Ref<readonly ApiError[]>>;
  /** Whether any server error of the last save remains: the form's error banner shows while it does. */
  hasErrors: ComputedRef<boolean>;
  /** The server error under a field, while that field still has the value it was sent with. */
  errorOf: (path: string) => ApiError | null;
  /** Takes the error of a failed save (an Apollo error or anything `apiErrorsOf` reads); returns its API errors. */
  apply: (error: unknown) => ApiError[];
  clear: () => void;
};

export type ServerFormOptions<Values> = {
  /** The values as the form would send them now (reactive: read inside a watcher). */
  values: () => Values;
  /**
   * The form field an API error's `extensions.field` belongs to (e.g. `bankAccounts.0.bik`), or null when the form
   * has no such field (the error then shows in the banner only). Default: the field as it is.
   */
  fieldOf?: (field: string) => string | null;
  /** The value at a field path (compared as JSON). Default: walks the dotted path through `values()`. */
  valueAt?: (values: Values, path: string) => unknown;
};

const walk = (source: unknown, path: string): unknown => {
  let value: unknown = source;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
};

const snapshot = (value: unknown): string => JSON.stringify(value ?? null);

/**
 * Server errors of a form, with one rule for when they clear (the same in every app):
 * - a BAD_USER_INPUT error with `extensions.field` stays under that field until the field's value changes;
 * - errors that name no field of the form clear on the next change of any value (or the next save);
 * - `hasErrors` (the banner) is true while any of them remains, so the banner goes once the fields it named are fixed.
 * Client-side validation stays the page's own; this covers what only the server can tell (duplicates, checks
 * against stored data, conflicts).
 */
export const useServerForm = <Values>(options: ServerFormOptions<Values>): ServerForm => {
  const fieldOf = options.fieldOf ?? ((field: string) => field);
  const valueAt = options.valueAt ?? ((values: Values, path: string) => walk(values, path));
  const fieldErrors = shallowRef<Record<string, ServerFieldError>>({});
  const otherErrors = shallowRef<ApiError[]>([]);
  /** The values when the errors came: "other" errors clear once anything differs from them. */
  const sentValues = ref<string | null>(null);

  const clear = (): void => {
    fieldErrors.value = {};
    otherErrors.value = [];
    sentValues.value = null;
  };

  const apply = (error: unknown): ApiError[] => {
    const errors = apiErrorsOf(error);
    const values = options.values();
    const placed: Record<string, ServerFieldError> = {};
    const other: ApiError[] = [];
    for (const apiError of errors) {
      const path = apiError.code === 'BAD_USER_INPUT' && apiError.field ? fieldOf(apiError.field) : null;
      if (path && !placed[path]) placed[path] = { path, error: apiError, sentValue: snapshot(valueAt(values, path)) };
      else if (!path) other.push(apiError);
    }
    fieldErrors.value = placed;
    otherErrors.value = other;
    sentValues.value = snapshot(values);
    return errors;
  };

  watch(
    () => snapshot(options.values()),
    (now) => {
      if (sentValues.value === null) return;
      const values = options.values();
      const remaining = Object.fromEntries(Object.entries(fieldErrors.value).filter(([path, entry]) => snapshot(valueAt(values, path)) === entry.sentValue));
      if (Object.keys(remaining).length !== Object.keys(fieldErrors.value).length) fieldErrors.value = remaining;
      if (otherErrors.value.length > 0 && now !== sentValues.value) otherErrors.value = [];
      if (Object.keys(remaining).length === 0 && otherErrors.value.length === 0) sentValues.value = null;
    },
  );

  return {
    fieldErrors,
    otherErrors,
    hasErrors: computed(() => Object.keys(fieldErrors.value).length > 0 || otherErrors.value.length > 0),
    errorOf: (path) => fieldErrors.value[path]?.error ?? null,
    apply,
    clear,
  };
};

/** Whether an element is rendered (not inside `display: none`, e.g. a `v-show`-hidden part of the form). */
const rendered = (element: HTMLElement): boolean => element.getClientRects().length > 0;

/**
 * After a failed save: moves focus to the first invalid field inside `root` (an element marked `aria-invalid="true"`,
 * or the first focusable element of a `[data-invalid="true"]` field wrapper), else to `fallback` (the error summary,
 * which should carry `tabindex="-1"`), and scrolls it into view. Waits for the errors to render first. Fields that
 * are not rendered (a hidden tab or step of the form) are passed over: the page shows the part with the error first.
 */
export const focusFirstInvalid = async (root: HTMLElement | null | undefined, fallback?: HTMLElement | null): Promise<HTMLElement | null> => {
  await nextTick();
  if (!root) return null;
  const focusable = 'input:not([type="hidden"]):not([disabled]), textarea:not([disabled]), select:not([disabled]), button:not([disabled]), [tabindex]:not([tabindex="-1"])';
  const first = (selector: string): HTMLElement | null => [...root.querySelectorAll<HTMLElement>(selector)].find(rendered) ?? null;
  const wrapper = first('[data-invalid="true"]');
  const target =
    first('[aria-invalid="true"]') ??
    (wrapper ? (wrapper.matches(focusable) ? wrapper : wrapper.querySelector<HTMLElement>(focusable)) : null) ??
    fallback ??
    null;
  if (!target) return null;
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: 'center' });
  return target;
};
