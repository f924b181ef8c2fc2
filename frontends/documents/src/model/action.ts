import { ref, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { apiErrorsOf } from '@kartoteka/portal-api';
import { describeError, errorText } from './errors';

export type Action = {
  loading: Ref<boolean>;
  /** The failure in the UI language, for the dialog's error line. */
  error: Ref<string | null>;
  /** `extensions.field` of a BAD_USER_INPUT failure → its text (fields of the dialog show it). */
  fieldErrors: Ref<Record<string, string>>;
  /** Runs `task` once at a time; true when it succeeded. */
  run: (task: () => Promise<unknown>) => Promise<boolean>;
  reset: () => void;
};

/** State of one action on a document (a mutation behind a dialog or a button). */
export const useAction = (placedFields: readonly string[] = []): Action => {
  const { t } = useI18n();
  const loading = ref(false);
  const error = ref<string | null>(null);
  const fieldErrors = ref<Record<string, string>>({});
  const run = async (task: () => Promise<unknown>): Promise<boolean> => {
    if (loading.value) return false;
    loading.value = true;
    error.value = null;
    fieldErrors.value = {};
    try {
      await task();
      return true;
    } catch (e) {
      const placed: Record<string, string> = {};
      const rest: string[] = [];
      for (const apiError of apiErrorsOf(e)) {
        const field = apiError.field?.replace(/^input\./, '') ?? null;
        const key = field ? placedFields.find((name) => field === name || field.startsWith(`${name}.`)) : undefined;
        if (key && apiError.code === 'BAD_USER_INPUT') placed[key] = errorText(apiError, t);
        else rest.push(errorText(apiError, t));
      }
      fieldErrors.value = placed;
      error.value = rest.length > 0 ? rest.join('; ') : Object.keys(placed).length > 0 ? null : describeError(e, t);
      return false;
    } finally {
      loading.value = false;
    }
  };
  const reset = (): void => {
    error.value = null;
    fieldErrors.value = {};
  };
  return { loading, error, fieldErrors, run, reset };
};

/**
 * The action behind a dialog: its error and the "required" hints (`submitted`, set by the first confirm)
 * are cleared each time the dialog opens, after `onOpen` has reset the dialog's own fields.
 */
export const useDialogAction = (
  show: () => boolean,
  placedFields: readonly string[] = [],
  onOpen: () => void = () => {},
): { action: Action; submitted: Ref<boolean> } => {
  const action = useAction(placedFields);
  const submitted = ref(false);
  watch(show, (open) => {
    if (!open) return;
    onOpen();
    submitted.value = false;
    action.reset();
  });
  return { action, submitted };
};
