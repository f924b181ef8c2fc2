import { currentUser } from '@kartoteka/portal-api';

/** At most this many recently opened counterparties are kept (most recent first). */
export const RECENT_LIMIT = 10;

/** Said within this tab when the list changes (other tabs hear the `storage` event). */
export const RECENT_CHANGED_EVENT = 'kartoteka-counterparties:recent-changed';

/** Per user: on a shared computer one employee's recent cards are not another's. */
export const recentStorageKey = (userId: string): string => `kartoteka.counterparties.recent.${userId}`;

const isUuid = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** The ids of the counterparties the current user opened, most recent first (an empty list when logged out). */
export const readRecent = (userId: string | null = currentUser()?.id ?? null): string[] => {
  if (!userId) return [];
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(recentStorageKey(userId)) ?? '[]');
    return Array.isArray(parsed) ? [...new Set(parsed.filter(isUuid))].slice(0, RECENT_LIMIT) : [];
  } catch {
    return [];
  }
};

/** Puts a counterparty first in the current user's recent list (moved up if it was there), keeping RECENT_LIMIT. */
export const recordRecent = (id: string, userId: string | null = currentUser()?.id ?? null): void => {
  if (!userId || !isUuid(id)) return;
  const next = [id, ...readRecent(userId).filter((other) => other !== id)].slice(0, RECENT_LIMIT);
  try {
    window.localStorage.setItem(recentStorageKey(userId), JSON.stringify(next));
  } catch {
    return; // storage full or refused: the list is a convenience
  }
  window.dispatchEvent(new CustomEvent(RECENT_CHANGED_EVENT));
};
