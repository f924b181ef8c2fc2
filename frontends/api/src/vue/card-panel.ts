import { computed, onBeforeUnmount, type ComputedRef, type Ref } from 'vue';
import type { ApolloError } from '@apollo/client/core';
import { hasApiErrorCode, onPortalEvent } from '@kartoteka/portal-api';
import { useConnectionPage, type ConnectionPage, type PagedConnection, type PagedQuery } from './connection-page';

/** The state of a card panel listing one connection of the counterparty (see `ConnectionPanel`). */
export type CardPanel<TNode> = ConnectionPage<TNode> & {
  loading: Ref<boolean>;
  error: Ref<ApolloError | null>;
  /** The first answer has not come yet. */
  initialLoading: ComputedRef<boolean>;
  /** No such counterparty: the card header says so; the panel stays out of the way. */
  counterpartyMissing: ComputedRef<boolean>;
  retry: () => unknown;
};

/**
 * A card panel's query of `{ counterparty: { …connection } }`: pages with "load more", refetches when
 * another app changes the counterparty (`kartoteka:counterparty-changed`), tells a missing counterparty.
 */
export const useCardPanel = <TResult extends { counterparty: object | null }, TNode>(
  counterpartyId: () => string,
  query: PagedQuery<TResult>,
  select: (counterparty: NonNullable<TResult['counterparty']>) => PagedConnection<TNode> | null,
): CardPanel<TNode> => {
  const stop = onPortalEvent('kartoteka:counterparty-changed', ({ id }) => {
    if (id === counterpartyId()) void query.refetch();
  });
  onBeforeUnmount(stop);

  const counterpartyMissing = computed(
    () =>
      query.result.value !== undefined &&
      query.result.value.counterparty === null &&
      (!query.error.value || hasApiErrorCode(query.error.value, 'NOT_FOUND')),
  );
  const page = useConnectionPage(query, (result) =>
    result.counterparty === null ? null : select(result.counterparty as NonNullable<TResult['counterparty']>),
  );

  return {
    ...page,
    loading: query.loading,
    error: query.error,
    initialLoading: computed(() => query.loading.value && query.result.value === undefined),
    counterpartyMissing,
    retry: () => query.refetch(),
  };
};
