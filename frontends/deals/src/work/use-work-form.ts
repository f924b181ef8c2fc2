import { computed, readonly, ref, watch, type ComputedRef, type Ref } from 'vue';
import { focusFirstInvalid, useServerForm } from '@kartoteka/portal-api/vue';
import { describeError } from '../model/errors';
import { fieldIn, formBanner, serverErrorText } from './forms';

type Translate = (key: string, params?: Record<string, unknown>) => string;
type HasMessage = (key: string) => boolean;

export type WorkFormOptions<Field extends string, Values> = {
  /** The fields the form shows (an API error on another field goes to the banner). */
  fields: readonly Field[];
  /** What a save would send now (reactive): server errors are kept against these values. */
  values: () => Values;
  /** The value an error at `path` is kept against (default: the field of `values()` of that name). */
  valueAt?: (values: Values, path: string) => unknown;
  /**
   * The form field an API error's `extensions.field` belongs to, or null when the form shows no such field
   * (default: its first segment without `input.`, if it is one of `fields`). Forms with nested fields (a deal's
   * `formData.<key>`) place errors deeper.
   */
  fieldOf?: (field: string) => string | null;
  /** The client's own checks, by field (shown after the first save). */
  issues: () => Partial<Record<Field, string>>;
  /** The banner line of a failure that carried no API error (network, an empty answer); default: `describeError`. */
  failureText?: (error: unknown) => string;
  t: Translate;
  te: HasMessage;
};

export type WorkForm<Field extends string> = {
  /** The error under a field: the server's while it stands, else the client's after the first save. */
  errorOf: (field: Field) => string;
  /** The server's errors standing now, by field path, in the UI language. */
  serverErrors: ComputedRef<Readonly<Record<string, string>>>;
  /** The banner: a failure, the server's errors while any remains, or "fix the errors" while the form has some after a save. */
  banner: ComputedRef<string | null>;
  /** Whether a save was tried since the form was (re)set: the client's errors show from then on. */
  submitted: Readonly<Ref<boolean>>;
  /** The form (for focusing its first invalid field) and the banner's box (focused when no field is invalid). */
  formRoot: Ref<HTMLElement | null>;
  bannerRoot: Ref<HTMLElement | null>;
  /** Starts a save: clears the last one's errors; false (and focus on the first invalid field) when the client's checks fail. */
  begin: () => Promise<boolean>;
  /** Ends a failed save: its API errors under their fields or in the banner, then focus on the first invalid field. */
  fail: (error: unknown) => Promise<void>;
  /** Refuses a save for a reason of the page (e.g. uploads still running): the banner says it until the next change or save. */
  refuse: (reason: string) => Promise<void>;
  /** Back to a fresh form: no errors, the client's hidden until the next save (after a save went through, or a revert). */
  reset: () => void;
};

/**
 * The errors of the deals app's forms (project, task, comment, a deal's data) over portal-api's `useServerForm` and
 * `focusFirstInvalid`, so they follow the portal's one rule: a server error stays under its field until that
 * field changes, errors that name no field of the form clear on the next change, the banner goes when none
 * remains. A failure that carried no API error (network, an empty answer) shows until the next change or save.
 */
export const useWorkForm = <Field extends string, Values>(options: WorkFormOptions<Field, Values>): WorkForm<Field> => {
  const { t, te } = options;
  const submitted = ref(false);
  const serverForm = useServerForm({ values: options.values, fieldOf: options.fieldOf ?? fieldIn(options.fields), valueAt: options.valueAt });
  const failure = ref<string | null>(null);
  watch(options.values, () => {
    failure.value = null;
  });
  const formRoot = ref<HTMLElement | null>(null);
  const bannerRoot = ref<HTMLElement | null>(null);

  const serverErrors = computed(() =>
    Object.fromEntries(Object.entries(serverForm.fieldErrors.value).map(([path, entry]) => [path, serverErrorText(entry.error, t, te)])),
  );

  const errorOf = (field: Field): string => {
    const server = serverForm.errorOf(field);
    if (server) return serverErrorText(server, t, te);
    return submitted.value ? (options.issues()[field] ?? '') : '';
  };

  const banner = computed<string | null>(() =>
    formBanner(
      {
        failure: failure.value,
        serverErrors: serverForm.hasErrors.value,
        unplaced: serverForm.otherErrors.value,
        clientErrors: submitted.value && Object.keys(options.issues()).length > 0,
      },
      t,
      te,
    ),
  );

  const focusError = async (): Promise<void> => {
    await focusFirstInvalid(formRoot.value, bannerRoot.value);
  };

  const begin = async (): Promise<boolean> => {
    submitted.value = true;
    serverForm.clear();
    failure.value = null;
    if (Object.keys(options.issues()).length === 0) return true;
    await focusError();
    return false;
  };

  const fail = async (error: unknown): Promise<void> => {
    if (serverForm.apply(error).length === 0) failure.value = (options.failureText ?? ((e: unknown) => describeError(e, t)))(error);
    await focusError();
  };

  const refuse = async (reason: string): Promise<void> => {
    failure.value = reason;
    await focusError();
  };

  const reset = (): void => {
    submitted.value = false;
    serverForm.clear();
    failure.value = null;
  };

  return { errorOf, serverErrors, banner, submitted: readonly(submitted), formRoot, bannerRoot, begin, fail, refuse, reset };
};
