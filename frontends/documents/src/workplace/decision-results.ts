import { reactive, ref } from 'vue';

/**
 * What the latest decisions led to ("Approved. Now waiting for: …"), kept outside the deciding component: the
 * decided step's row (and its buttons) go away as soon as the mutation's answer reaches the cache, before the
 * component could tell its parent. The card's panel reads them by document, "My tasks" the latest one.
 */
export const decisionResults = reactive<Record<string, string>>({});
export const lastDecisionResult = ref<string | null>(null);

export const recordDecisionResult = (documentId: string | null, text: string): void => {
  if (documentId) decisionResults[documentId] = text;
  lastDecisionResult.value = text;
};

/** A view that showed them goes away: the next one starts clean. */
export const clearDecisionResults = (): void => {
  for (const key of Object.keys(decisionResults)) delete decisionResults[key];
  lastDecisionResult.value = null;
};
