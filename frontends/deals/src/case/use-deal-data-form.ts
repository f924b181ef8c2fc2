import { computed, type ComputedRef, type Ref } from 'vue';
import { dealBasicsFields, dealFieldOf, dealFormValues, formKeyOf, validateBasics, type DealBasicsDraft } from '../model/deal-form';
import type { JsonObject } from '../model/template-definition';
import { useWorkForm, type WorkForm } from '../work/use-work-form';

type Translate = (key: string, params?: Record<string, unknown>) => string;
type HasMessage = (key: string) => boolean;

export type DealDataFormOptions = {
  /** The create page (template and counterparty are fields too) or the deal page. */
  creating: boolean;
  /** The deal's own fields as edited (reactive). */
  basics: DealBasicsDraft;
  /** The form's data as JSON Forms last reported it. */
  formData: Ref<JsonObject>;
  /** How many errors JSON Forms finds in the form now (the schema's own checks, shown at its fields): they block a save. */
  formErrors: Ref<number>;
  /** The keys of the form's fields: an API error on another `formData.<key>` shows in the banner. */
  formKeys: () => readonly string[];
  failureText?: (error: unknown) => string;
  t: Translate;
  te: HasMessage;
};

export type DealDataForm = WorkForm<string> & {
  /** The server's errors on the form's fields, by field key (CaseForm's `serverErrors`). */
  caseFormErrors: ComputedRef<Readonly<Record<string, string>>>;
};

/**
 * The errors of a deal's data (its own fields and its template's form) on the create page and the deal page: the
 * deals app's forms' one rule (useWorkForm over portal-api's useServerForm) with the deal's paths — `input.currency`
 * stands under the amount, `input.formData.<key>` under that field of the form.
 */
export const useDealDataForm = (options: DealDataFormOptions): DealDataForm => {
  const { t } = options;
  const shown = dealBasicsFields(options.creating);
  const basicsIssues = computed(() => validateBasics(options.basics, options.creating));
  const form = useWorkForm<string, ReturnType<typeof dealFormValues>>({
    fields: shown,
    values: () => dealFormValues(options.basics, options.formData.value),
    fieldOf: (field) => dealFieldOf(field, shown, options.formKeys()),
    issues: () => {
      const issues: Record<string, string> = Object.fromEntries(Object.entries(basicsIssues.value).map(([path, issue]) => [path, t(`dealForm.error.${issue}`)]));
      // JSON Forms shows these at the form's fields itself; here they only stop the save and keep the banner up
      if (options.formErrors.value > 0) issues.formData = t('dealForm.fixErrors');
      return issues;
    },
    failureText: options.failureText,
    t,
    te: options.te,
  });
  const caseFormErrors = computed(() =>
    Object.fromEntries(
      Object.entries(form.serverErrors.value).flatMap(([path, text]) => {
        const key = formKeyOf(path);
        return key === null ? [] : [[key, text]];
      }),
    ),
  );
  return { ...form, caseFormErrors };
};
