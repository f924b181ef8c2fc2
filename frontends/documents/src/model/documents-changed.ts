import { onBeforeUnmount } from 'vue';
import { emitPortalEvent, onPortalEvent } from '@kartoteka/portal-api';

/**
 * `kartoteka:documents-changed` `{ documentId }`: a document changed on the server (the live stream of
 * @kartoteka/portal-api re-emits it; apps emit it after changing a document themselves).
 */

/**
 * Calls `handler` (debounced) while the component lives, for every change or only for `documentId()`;
 * `ignore()` true skips an event (e.g. the echo of the component's own announcement).
 */
export const useDocumentsChanged = (handler: () => void, documentId?: () => string | null, ignore?: () => boolean): void => {
  let timer: number | undefined;
  const stop = onPortalEvent('kartoteka:documents-changed', (detail) => {
    if (ignore?.()) return;
    const mine = documentId?.() ?? null;
    if (mine !== null && detail?.documentId && detail.documentId !== mine) return;
    // A burst of changes (e.g. a route advancing) refetches once.
    window.clearTimeout(timer);
    timer = window.setTimeout(handler, 150);
  });
  onBeforeUnmount(() => {
    window.clearTimeout(timer);
    stop();
  });
};

/** Tells the other apps (card panel, tasks, bell) that this app changed a document. */
export const documentChanged = (documentId: string): void => emitPortalEvent('kartoteka:documents-changed', { documentId });
