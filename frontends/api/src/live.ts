import { apolloClient } from './client';
import { getPortalConfig } from './config';
import { emitPortalEvent, onPortalEvent, type LiveStatus } from './events';
import { getToken } from './session';
import { createSseParser, type SseMessage } from './sse';

/**
 * Live updates: one Server-Sent Events stream per logged-in session (`GET /rest/documents/stream` of the
 * gateway). EventSource cannot send the bearer token, so the stream is read with fetch and a stream reader.
 * Each message is re-emitted as a portal event (`kartoteka:notification`, `kartoteka:documents-changed`);
 * on those events the Apollo client refetches the active queries that apps registered with
 * `refetchOnLiveUpdates` (debounced, so a burst of pings costs one round of refetches).
 */

/** What makes a registered query refetch: a notification of mine, or a change of any document. */
export type LiveTrigger = 'notification' | 'document';

/** The stream's URL: beside the gateway's `/graphql` (`http://host:4000/graphql` → `http://host:4000/rest/documents/stream`). */
export const liveStreamUrl = (gatewayUrl: string = getPortalConfig().gatewayUrl): string => {
  const url = new URL(gatewayUrl, window.location.href);
  url.pathname = `${url.pathname.replace(/\/graphql\/?$/, '').replace(/\/$/, '')}/rest/documents/stream`;
  url.search = '';
  url.hash = '';
  return url.toString();
};

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;
/** The server writes a heartbeat every 25 s: a stream silent for longer than this is dead. */
const SILENCE_LIMIT_MS = 65_000;
const REFETCH_DEBOUNCE_MS = 300;

// ---------------------------------------------------------------------------------------------------
// Refetching the registered queries

const registry = new Map<string, Set<LiveTrigger>>();
const pending = new Set<LiveTrigger>();
let refetchTimer: number | undefined;

/**
 * Registers queries (by operation name) that show documents, tasks or notifications: while active, they
 * are refetched after live events of the given kinds (both by default).
 */
export const refetchOnLiveUpdates = (operationNames: readonly string[], triggers: readonly LiveTrigger[] = ['notification', 'document']): void => {
  for (const name of operationNames) {
    const known = registry.get(name) ?? new Set<LiveTrigger>();
    for (const trigger of triggers) known.add(trigger);
    registry.set(name, known);
  }
};

const flushRefetch = (): void => {
  refetchTimer = undefined;
  const triggers = new Set(pending);
  pending.clear();
  if (triggers.size === 0 || getToken() === null) return;
  const result = apolloClient.refetchQueries({
    include: 'active',
    onQueryUpdated: (query) => {
      const wanted = registry.get(query.queryName ?? '');
      return wanted !== undefined && [...wanted].some((trigger) => triggers.has(trigger)) ? query.refetch() : false;
    },
  });
  // A failed refetch shows in its own query's error state; nothing more to do here.
  Promise.resolve(result).catch(() => undefined);
};

/** Refetches (soon, once for a burst) the active registered queries interested in these triggers. */
export const scheduleLiveRefetch = (...triggers: LiveTrigger[]): void => {
  for (const trigger of triggers) pending.add(trigger);
  if (refetchTimer === undefined) refetchTimer = window.setTimeout(flushRefetch, REFETCH_DEBOUNCE_MS);
};

// ---------------------------------------------------------------------------------------------------
// The connection

let status: LiveStatus = 'off';

const setStatus = (next: LiveStatus): void => {
  if (next === status) return;
  status = next;
  emitPortalEvent('kartoteka:live-status', { status: next });
};

/** The state of the live stream (`listening`: connected and no change will be missed). */
export const liveStatus = (): LiveStatus => status;

type Outcome = 'ended' | 'failed' | 'refused' | 'stopped';

const parseJson = (text: string): Record<string, unknown> | null => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

const stringOr = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

const handleMessage = (message: SseMessage): void => {
  if (message.event === 'notifications-read') {
    // Some of my notifications were marked read (in another tab, or because their work was done): the bell, the
    // inbox and the navigation counts follow.
    scheduleLiveRefetch('notification');
    emitPortalEvent('kartoteka:work-changed', { source: 'live' });
    return;
  }
  const payload = parseJson(message.data);
  const documentId = stringOr(payload?.documentId);
  if (message.event === 'notification' && !documentId && stringOr(payload?.taskId)) {
    // A task's reminder (no document): the bell and the task counts refetch.
    scheduleLiveRefetch('notification');
    emitPortalEvent('kartoteka:work-changed', { source: 'live' });
    return;
  }
  if (!documentId) return;
  if (message.event === 'notification') {
    emitPortalEvent('kartoteka:notification', { documentId, notificationId: stringOr(payload?.id), kind: stringOr(payload?.kind) });
  } else if (message.event === 'document') {
    emitPortalEvent('kartoteka:documents-changed', { documentId });
  }
};

/** Sleeps `ms`, or less when the browser comes back online or the session stops. */
const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      window.clearTimeout(timer);
      window.removeEventListener('online', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = window.setTimeout(done, ms);
    window.addEventListener('online', done);
    signal.addEventListener('abort', done);
  });

type Session = { token: string; controller: AbortController };
let session: Session | null = null;

/** One stream: resolves when it ends, fails or is refused. */
const readOnce = async (token: string, signal: AbortSignal, onHealthy: () => void, onRetry: (ms: number) => void): Promise<Outcome> => {
  const connection = new AbortController();
  const stopConnection = (): void => connection.abort();
  signal.addEventListener('abort', stopConnection);
  let watchdog: number | undefined;
  const feedWatchdog = (): void => {
    window.clearTimeout(watchdog);
    watchdog = window.setTimeout(stopConnection, SILENCE_LIMIT_MS);
  };
  try {
    feedWatchdog();
    const response = await fetch(liveStreamUrl(), {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      cache: 'no-store',
      credentials: 'omit',
      signal: connection.signal,
    });
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel().catch(() => undefined);
      return 'refused';
    }
    if (!response.ok || !response.body || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      await response.body?.cancel().catch(() => undefined);
      return 'failed';
    }
    setStatus('open');
    const feed = createSseParser({
      message: (message) => {
        onHealthy();
        handleMessage(message);
      },
      comment: (text) => {
        if (text === 'listening') {
          onHealthy();
          setStatus('listening');
        }
      },
      retry: onRetry,
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return signal.aborted ? 'stopped' : 'ended';
      feedWatchdog();
      feed(value);
    }
  } catch {
    return signal.aborted ? 'stopped' : 'failed';
  } finally {
    window.clearTimeout(watchdog);
    signal.removeEventListener('abort', stopConnection);
  }
};

const run = async (token: string, signal: AbortSignal): Promise<void> => {
  let failures = 0;
  let firstRetryMs = FIRST_RETRY_MS;
  let connectedBefore = false;
  while (!signal.aborted) {
    setStatus(failures === 0 && !connectedBefore ? 'connecting' : 'retrying');
    let healthy = false;
    const outcome = await readOnce(
      token,
      signal,
      () => {
        if (healthy) return;
        healthy = true;
        failures = 0;
        // Changes made while the stream was down were not pinged: refetch what is on screen.
        if (connectedBefore) scheduleLiveRefetch('notification', 'document');
        connectedBefore = true;
      },
      (ms) => {
        firstRetryMs = Math.min(Math.max(ms, 250), MAX_RETRY_MS);
      },
    );
    if (outcome === 'stopped' || signal.aborted) return;
    if (outcome === 'refused') {
      // The gateway no longer accepts this token; the next GraphQL answer ends the session (client.ts),
      // and a new login starts a new stream.
      setStatus('off');
      return;
    }
    failures += 1;
    const backoff = Math.min(MAX_RETRY_MS, firstRetryMs * 2 ** Math.min(failures - 1, 10));
    setStatus('retrying');
    await pause(backoff * (0.75 + Math.random() * 0.5), signal);
  }
};

const stopSession = (): void => {
  session?.controller.abort();
  session = null;
};

const syncWithSession = (): void => {
  const token = getToken();
  if (session && session.token === token) return;
  stopSession();
  if (!token) {
    setStatus('off');
    return;
  }
  const controller = new AbortController();
  session = { token, controller };
  void run(token, controller.signal).finally(() => {
    if (session?.controller === controller) session = null;
  });
};

let stopAll: (() => void) | null = null;

/**
 * Starts live updates (the root config calls it once): a stream while someone is logged in, none after
 * logout, a new one for a new login. Returns the function that stops everything.
 */
export const startLiveUpdates = (): (() => void) => {
  if (stopAll) return stopAll;
  const unsubscribers = [
    onPortalEvent('kartoteka:auth-changed', syncWithSession),
    onPortalEvent('kartoteka:notification', () => scheduleLiveRefetch('notification')),
    onPortalEvent('kartoteka:documents-changed', () => scheduleLiveRefetch('document')),
  ];
  syncWithSession();
  stopAll = () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
    stopSession();
    setStatus('off');
    window.clearTimeout(refetchTimer);
    refetchTimer = undefined;
    pending.clear();
    stopAll = null;
  };
  return stopAll;
};
