import type { Locale, PortalUser } from './types';

/** Every event the portal's apps exchange; each is a CustomEvent dispatched on window. */
export type PortalEvents = {
  /** The UI language changed (`setLocale`). */
  'kartoteka:locale-changed': { locale: Locale };
  /** A counterparty was created, updated, archived or restored: panels showing it should refetch. */
  'kartoteka:counterparty-changed': { id: string };
  /** Someone logged in or out (in this tab or another one), or the session expired. */
  'kartoteka:auth-changed': { user: PortalUser | null };
  /** A new notification for the current user arrived (live stream, `startLiveUpdates`). */
  'kartoteka:notification': { documentId: string; notificationId: string | null; kind: string | null };
  /** A document was created or changed (live stream, or an app that changed it): views showing it refetch. */
  'kartoteka:documents-changed': { documentId: string };
  /** State of the live stream: `listening` once no change can be missed any more. */
  'kartoteka:live-status': { status: LiveStatus };
  /**
   * The current user's work changed (a step decided, a version acknowledged, a task or deal action done, notifications
   * read): the navigation counts and "My day" refetch. `source` names the app that emitted it.
   */
  'kartoteka:work-changed': { source: string };
};

/** `off` (logged out), `connecting`, `open` (connected, not yet listening), `listening`, `retrying` (after a failure). */
export type LiveStatus = 'off' | 'connecting' | 'open' | 'listening' | 'retrying';

export type PortalEventName = keyof PortalEvents;

declare global {
  // Declaration merging needs an interface here: it types window.addEventListener for these events.
  interface WindowEventMap {
    'kartoteka:locale-changed': CustomEvent<PortalEvents['kartoteka:locale-changed']>;
    'kartoteka:counterparty-changed': CustomEvent<PortalEvents['kartoteka:counterparty-changed']>;
    'kartoteka:auth-changed': CustomEvent<PortalEvents['kartoteka:auth-changed']>;
    'kartoteka:notification': CustomEvent<PortalEvents['kartoteka:notification']>;
    'kartoteka:documents-changed': CustomEvent<PortalEvents['kartoteka:documents-changed']>;
    'kartoteka:live-status': CustomEvent<PortalEvents['kartoteka:live-status']>;
    'kartoteka:work-changed': CustomEvent<PortalEvents['kartoteka:work-changed']>;
  }
}

export const emitPortalEvent = <K extends PortalEventName>(type: K, detail: PortalEvents[K]): void => {
  window.dispatchEvent(new CustomEvent(type, { detail }));
};

/** Subscribes to a portal event; returns the unsubscribe function. */
export const onPortalEvent = <K extends PortalEventName>(
  type: K,
  handler: (detail: PortalEvents[K]) => void,
): (() => void) => {
  const listener = (event: Event): void => handler((event as CustomEvent<PortalEvents[K]>).detail);
  window.addEventListener(type, listener);
  return () => window.removeEventListener(type, listener);
};
