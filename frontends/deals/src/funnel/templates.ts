import { computed, toRef, watch, type ComputedRef, type Ref } from 'vue';
import { useQuery } from '@vue/apollo-composable';
import type { ApolloError } from '@apollo/client/core';
import { CASE_TEMPLATE_OPTIONS, type CaseTemplateOption } from '../api/funnel.queries';
import { urlParam, useUrlFilters } from '@kartoteka/portal-api/vue';

export type TemplateChoice = {
  /** The chosen template (`?templateId=`), null for "all templates" (the list) or before the list came. */
  templateId: Ref<string | null>;
  /** Templates that deals can run on: the ones with a published version. */
  templates: ComputedRef<CaseTemplateOption[]>;
  chosen: ComputedRef<CaseTemplateOption | null>;
  loading: Ref<boolean>;
  error: Ref<ApolloError | null>;
  /** The list of templates came and holds none with a published version. */
  none: ComputedRef<boolean>;
  refetch: () => unknown;
};

/**
 * The template a funnel page works on, kept in the query string (`templateId`). With `required` (board,
 * analytics) the first published template is chosen when the address names none (or an unknown one).
 */
export const useTemplateChoice = ({ required }: { required: boolean }): TemplateChoice => {
  const templateId = toRef(useUrlFilters({ templateId: urlParam.string() }).filters, 'templateId');
  const { result, loading, error, refetch } = useQuery(CASE_TEMPLATE_OPTIONS, {}, { fetchPolicy: 'cache-and-network' });

  const templates = computed(() =>
    (result.value?.caseTemplates ?? []).filter((template) => template.latestVersion !== null).sort((a, b) => a.name.localeCompare(b.name)),
  );
  const chosen = computed(() => templates.value.find((template) => template.id === templateId.value) ?? null);
  const none = computed(() => result.value !== undefined && templates.value.length === 0);

  watch(
    templates,
    (list) => {
      if (!required || result.value === undefined) return;
      if (list.length === 0) templateId.value = null;
      else if (!list.some((template) => template.id === templateId.value)) templateId.value = list[0].id;
    },
    { immediate: true },
  );

  return { templateId, templates, chosen, loading, error, none, refetch: () => refetch() };
};
