import { getPortalConfig } from './config';
import { onPortalEvent } from './events';
import { clearSession, readSession, saveSession, type StoredSession } from './session';
import { claimsOf, readSharedSession, sessionIdOf, writeSharedSession } from './session-shared';

/** Refresh this long before the access token expires (clock skew, a slow network, throttled background timers). */
const REFRESH_MARGIN_MS = 90_000;
const LOCK_NAME = 'kartoteka.session-refresh';

const REFRESH = `mutation RefreshSession($refreshToken: String!) {
  refreshSession(refreshToken: $refreshToken) { token expiresAt refreshToken refreshExpiresAt user { id name email roles permissions } }
}`;

const LOGOUT = `mutation Logout($refreshToken: String!) { logout(refreshToken: $refreshToken) }`;

type Refreshed = Required<Pick<StoredSession, 'token' | 'expiresAt' | 'refreshToken' | 'refreshExpiresAt' | 'user'>>;

/** The outcome of a refresh: a new access token, the session is over, or the gateway could not be reached. */
export type RefreshOutcome = { kind: 'refreshed'; token: string } | { kind: 'ended' } | { kind: 'unavailable' };

/** The access token's lifetime from its claims (exp − iat), or null when unreadable. */
const lifetimeMs = (token: string): number | null => {
  const claims = claimsOf(token);
  const iat = claims?.iat;
  const exp = claims?.exp;
  return typeof iat === 'number' && typeof exp === 'number' && exp > iat ? (exp - iat) * 1000 : null;
};

/** How long before expiry to refresh: the margin, but at most a quarter of the token's life (short test lifetimes). */
const marginOf = (session: StoredSession): number => Math.min(REFRESH_MARGIN_MS, (lifetimeMs(session.token) ?? 4 * REFRESH_MARGIN_MS) / 4);

const needsRefresh = (session: StoredSession, now = Date.now()): boolean => Date.parse(session.expiresAt) - marginOf(session) <= now;

/**
 * Posts straight to the gateway (not through the Apollo links, which call this): JSON with an operation name,
 * as the gateway's CSRF protection wants; no credentials, the refresh token is the proof.
 */
const postOperation = async <T>(operationName: string, query: string, variables: Record<string, unknown>): Promise<{ data?: T | null; errors?: { extensions?: { code?: unknown } }[] }> => {
  const response = await fetch(getPortalConfig().gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ operationName, query, variables }),
    credentials: 'omit',
  });
  return (await response.json()) as { data?: T | null; errors?: { extensions?: { code?: unknown } }[] };
};

/** One refresh per browser at a time: tabs share the stored session, and a refresh token works only once. */
const exclusively = <T>(task: () => Promise<T>): Promise<T> => {
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  return locks ? (locks.request(LOCK_NAME, task) as Promise<T>) : task();
};

let inFlight: Promise<RefreshOutcome> | null = null;

/**
 * The session to refresh, read under the lock: this tab's copy, unless the shared record holds a newer state of
 * the same session (another tab refreshed it and this tab's localStorage has not caught up) — then that one,
 * adopted here too. A different session (logged out and in again) is never adopted.
 */
const currentUnderLock = async (): Promise<StoredSession | null> => {
  const local = readSession();
  const shared = await readSharedSession();
  if (!local || !shared?.refreshToken || shared.refreshToken === local.refreshToken) return local;
  const sameSession = sessionIdOf(shared.token) !== null && sessionIdOf(shared.token) === sessionIdOf(local.token);
  if (!sameSession || !(Date.parse(shared.expiresAt) > Date.parse(local.expiresAt))) return local;
  saveSession(shared);
  return shared;
};

/**
 * Exchanges the stored refresh token for a new pair and stores it. `refused`: the access token the gateway
 * refused, to refresh even if it looks fresh. If the stored token is no longer the one refused or about to
 * expire (another request or tab refreshed first), it is used as it is.
 */
export const refreshSession = (refused?: string): Promise<RefreshOutcome> => {
  const force = refused !== undefined;
  const staleToken = refused ?? readSession()?.token ?? null;
  inFlight ??= exclusively(async (): Promise<RefreshOutcome> => {
    const session = await currentUnderLock();
    if (!session?.refreshToken) return { kind: 'ended' };
    if (session.token !== staleToken || (!force && !needsRefresh(session))) return { kind: 'refreshed', token: session.token };
    let answer: Awaited<ReturnType<typeof postOperation<{ refreshSession: Refreshed }>>>;
    try {
      answer = await postOperation<{ refreshSession: Refreshed }>('RefreshSession', REFRESH, { refreshToken: session.refreshToken });
    } catch {
      return { kind: 'unavailable' };
    }
    const next = answer.data?.refreshSession;
    if (next) {
      saveSession(next);
      // committed before the lock is released: the next tab to take it reads this, not a stale localStorage copy
      await writeSharedSession(next);
      return { kind: 'refreshed', token: next.token };
    }
    const unauthenticated = answer.errors?.some((error) => error.extensions?.code === 'UNAUTHENTICATED') ?? false;
    return unauthenticated ? { kind: 'ended' } : { kind: 'unavailable' };
  })
    .then((outcome) => {
      // logged out elsewhere, revoked, deactivated, or reused: this session is over
      if (outcome.kind === 'ended') {
        clearSession();
        void writeSharedSession(null);
      }
      return outcome;
    })
    .finally(() => {
    inFlight = null;
  });
  return inFlight;
};

/** The access token to send now: refreshed first when it is about to expire; null without a session. */
export const freshToken = async (): Promise<string | null> => {
  const session = readSession();
  if (!session) return null;
  if (!session.refreshToken || !needsRefresh(session)) return session.token;
  const outcome = await refreshSession();
  // unreachable gateway: send what we have, the answer tells
  return outcome.kind === 'refreshed' ? outcome.token : outcome.kind === 'unavailable' ? session.token : null;
};

/** Tells the gateway the session is over (its refresh tokens stop working); best effort, logout goes on regardless. */
export const revokeSession = async (): Promise<void> => {
  const refreshToken = readSession()?.refreshToken;
  // no refresh token stays behind in the browser after logout
  await writeSharedSession(null);
  if (!refreshToken) return;
  try {
    await postOperation('Logout', LOGOUT, { refreshToken });
  } catch {
    /* offline: the session ends by itself when its refresh token lapses */
  }
};

let timer: number | undefined;

/**
 * Keeps the access token fresh while the page is open, so plain requests (file downloads, the live stream)
 * carry a valid one too. Runs again after every change of the stored session.
 */
export const scheduleRefresh = (): void => {
  if (typeof window === 'undefined') return;
  window.clearTimeout(timer);
  const session = readSession();
  if (!session?.refreshToken) return;
  const delay = Math.max(0, Date.parse(session.expiresAt) - marginOf(session) - Date.now());
  timer = window.setTimeout(() => {
    void refreshSession().then((outcome) => {
      if (outcome.kind === 'unavailable') timer = window.setTimeout(scheduleRefresh, 15_000);
    });
  }, Math.min(delay, 2 ** 31 - 1));
};

if (typeof window !== 'undefined') {
  onPortalEvent('kartoteka:auth-changed', scheduleRefresh);
  scheduleRefresh();
}
