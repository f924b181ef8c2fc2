import { computed } from 'vue';
import type { ControlElement } from '@jsonforms/core';
import { useJsonFormsControl, type RendererProps } from '@jsonforms/vue';
import type { CaseFormConfig } from './field-kind';

/**
 * The bindings every control of a case form uses: the JSON Forms control, its field key (the data path),
 * `set` (an empty value becomes `undefined`, so `required` applies) and the error text to show.
 */
export const useCaseControl = (props: RendererProps<ControlElement>) => {
  const { control, handleChange } = useJsonFormsControl(props as RendererProps<ControlElement> & { uischema: ControlElement });
  const key = computed(() => control.value.path);
  const set = (value: unknown): void => {
    const empty = value === null || value === '' || (Array.isArray(value) && value.length === 0);
    handleChange(control.value.path, empty ? undefined : value);
  };
  const error = computed(() => (control.value.errors ? control.value.errors : ''));
  const disabled = computed(() => !control.value.enabled);
  const config = computed(() => (control.value.config ?? {}) as CaseFormConfig);
  const inputId = computed(() => `${control.value.id ?? key.value}-input`);
  return { control, key, set, error, disabled, config, inputId };
};
