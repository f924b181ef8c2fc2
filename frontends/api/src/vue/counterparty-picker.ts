import { computed, defineComponent, h, watch, type PropType } from 'vue';
import { useQuery } from '@vue/apollo-composable';
import { NSelect, type SelectOption } from 'naive-ui';
import type { DocumentNode } from 'graphql';
import { useRemoteSearch } from './remote-search';

/** A counterparty as the pickers' queries select it. */
export type CounterpartyPickerOption = { id: string; name: string; shortName: string | null; inn?: string | null };

/**
 * A counterparty picker: search by name or INN (`counterparties(search)`); the chosen one is named by id.
 * The app gives its own queries (`optionsQuery`: `$search` → `counterparties.edges[].node`; `nameQuery`:
 * `$id` → `counterparty`) and its translated texts (`placeholder`, `emptyText`, `innLabel`).
 * Emits `update:value` (the id) and `picked` (the counterparty, when known).
 */
export const CounterpartyPicker = defineComponent({
  name: 'CounterpartyPicker',
  props: {
    value: { type: String as PropType<string | null>, default: null },
    optionsQuery: { type: Object as PropType<DocumentNode>, required: true },
    nameQuery: { type: Object as PropType<DocumentNode>, required: true },
    placeholder: { type: String, required: true },
    emptyText: { type: String, required: true },
    innLabel: { type: String, required: true },
    disabled: { type: Boolean, default: undefined },
    testId: { type: String, default: undefined },
  },
  emits: {
    'update:value': (_value: string | null) => true,
    picked: (_counterparty: CounterpartyPickerOption | null) => true,
  },
  setup(props, { emit }) {
    const { term, onSearch } = useRemoteSearch();

    const { result, loading } = useQuery<{ counterparties: { edges: { node: CounterpartyPickerOption }[] } }>(
      props.optionsQuery,
      () => ({ search: term.value }),
      () => ({ fetchPolicy: 'cache-first', errorPolicy: 'all', enabled: !props.disabled }),
    );
    const { result: chosen } = useQuery<{ counterparty: CounterpartyPickerOption | null }>(
      props.nameQuery,
      () => ({ id: props.value ?? '' }),
      () => ({ enabled: Boolean(props.value), fetchPolicy: 'cache-first', errorPolicy: 'all' }),
    );

    const known = new Map<string, CounterpartyPickerOption>();
    watch(
      () => [result.value?.counterparties.edges, chosen.value?.counterparty] as const,
      ([edges, one]) => {
        edges?.forEach(({ node }) => known.set(node.id, node));
        if (one) known.set(one.id, one);
      },
      { immediate: true },
    );

    const labelOf = (cp: CounterpartyPickerOption): string => {
      const name = cp.shortName || cp.name;
      return cp.inn ? `${name} · ${props.innLabel} ${cp.inn}` : name;
    };

    const options = computed<SelectOption[]>(() => {
      const found = result.value?.counterparties.edges.map((edge) => edge.node) ?? [];
      const current = chosen.value?.counterparty;
      const list = current && !found.some((cp) => cp.id === current.id) ? [current, ...found] : found;
      return list.map((cp) => ({ value: cp.id, label: labelOf(cp) }));
    });

    const update = (value: string | null): void => {
      emit('update:value', value);
      emit('picked', value ? (known.get(value) ?? null) : null);
    };

    return () =>
      h(
        NSelect,
        {
          value: props.value,
          options: options.value,
          loading: loading.value,
          placeholder: props.placeholder,
          disabled: props.disabled,
          'data-testid': props.testId,
          filterable: true,
          remote: true,
          clearable: true,
          clearFilterAfterSelect: true,
          onSearch,
          'onUpdate:value': update,
        },
        { empty: () => props.emptyText },
      );
  },
});
