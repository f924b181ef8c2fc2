import { computed, defineComponent, h, type PropType } from 'vue';
import { NDatePicker } from 'naive-ui';
import { usePortalLocale } from './app-shell';

/**
 * A calendar date as the API takes it (YYYY-MM-DD or null; `v-model`), shown in the UI language's format.
 * `placeholder` is the app's translation; `testId` goes to `data-testid`; a class (attribute) reaches the picker.
 */
export const DateInput = defineComponent({
  name: 'DateInput',
  props: {
    modelValue: { type: String as PropType<string | null>, default: null },
    placeholder: { type: String, required: true },
    disabled: { type: Boolean, default: undefined },
    clearable: { type: Boolean, default: true },
    testId: { type: String, default: undefined },
  },
  emits: { 'update:modelValue': (_value: string | null) => true },
  setup(props, { emit }) {
    const locale = usePortalLocale();
    const format = computed(() => (locale.value === 'en' ? 'dd/MM/yyyy' : 'dd.MM.yyyy'));
    return () =>
      h(NDatePicker, {
        formattedValue: props.modelValue,
        'onUpdate:formattedValue': (value: string | null) => emit('update:modelValue', value),
        type: 'date',
        valueFormat: 'yyyy-MM-dd',
        format: format.value,
        placeholder: props.placeholder,
        clearable: props.clearable,
        disabled: props.disabled,
        'data-testid': props.testId,
      });
  },
});
