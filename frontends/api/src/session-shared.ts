import type { StoredSession } from './session';

/**
 * The session as the last refresh left it, in IndexedDB. localStorage is the fast synchronous copy every request
 * reads, but Chromium propagates a localStorage write to other tabs (other renderer processes) asynchronously: a
 * tab taking the refresh lock right after another tab released it may still read the refresh token the other tab
 * has just spent, and presenting it again ends the session for every tab (reuse detection). IndexedDB
 * transactions are consistent across tabs: the refreshing tab writes here before it releases the lock, and the
 * next holder reads here first.
 */
const DB_NAME = 'kartoteka';
const STORE = 'session';
const KEY = 'current';

let opened: Promise<IDBDatabase | null> | null = null;

const open = (): Promise<IDBDatabase | null> => {
  opened ??= new Promise((resolve) => {
    try {
      if (typeof indexedDB === 'undefined') return resolve(null);
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
      request.onblocked = () => resolve(null);
    } catch {
      resolve(null);
    }
  });
  return opened;
};

/** The shared record, or undefined when IndexedDB is unavailable (private mode): callers fall back to localStorage. */
export const readSharedSession = async (): Promise<StoredSession | null | undefined> => {
  const db = await open();
  if (!db) return undefined;
  return new Promise((resolve) => {
    try {
      const request = db.transaction(STORE, 'readonly').objectStore(STORE).get(KEY);
      request.onsuccess = () => resolve((request.result as StoredSession | undefined) ?? null);
      request.onerror = () => resolve(undefined);
    } catch {
      resolve(undefined);
    }
  });
};

/** Resolves once the write is committed (so it is visible to every tab that reads afterwards). */
export const writeSharedSession = async (session: StoredSession | null): Promise<void> => {
  const db = await open();
  if (!db) return;
  await new Promise<void>((resolve) => {
    try {
      const transaction = db.transaction(STORE, 'readwrite');
      const store = transaction.objectStore(STORE);
      if (session) store.put(session, KEY);
      else store.delete(KEY);
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => resolve();
      transaction.onabort = () => resolve();
    } catch {
      resolve();
    }
  });
};

/** The claims of an access token (its JWT payload), or null when unreadable. */
export const claimsOf = (token: string): Record<string, unknown> | null => {
  try {
    const payload = token.split('.')[1] ?? '';
    const claims: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    return claims !== null && typeof claims === 'object' ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/** The session family (`sid` claim) of an access token, or null when unreadable. */
export const sessionIdOf = (token: string): string | null => {
  const sid = claimsOf(token)?.sid;
  return typeof sid === 'string' ? sid : null;
};
