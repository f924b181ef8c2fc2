import { emitPortalEvent } from './events';
import { readStored, writeStored } from './storage';
import type { PortalUser, Role } from './types';

export type { PortalUser, Role };

export type StoredSession = {
  /** The short-lived access token sent as the bearer. */
  token: string;
  /** ISO timestamp when the access token expires: it is refreshed before (session-refresh.ts). */
  expiresAt: string;
  /** Exchanged for a new pair by `refreshSession`; usable once. Absent in sessions stored before refresh tokens. */
  refreshToken?: string;
  /** ISO timestamp; without a refresh the session is treated as ended after it. */
  refreshExpiresAt?: string;
  user: PortalUser;
};

export const SESSION_KEY = 'kartoteka.session';

const isStoredSession = (value: unknown): value is StoredSession => {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const user = v.user as Record<string, unknown> | null | undefined;
  return (
    typeof v.token === 'string' &&
    typeof v.expiresAt === 'string' &&
    (v.refreshToken === undefined || typeof v.refreshToken === 'string') &&
    (v.refreshExpiresAt === undefined || typeof v.refreshExpiresAt === 'string') &&
    typeof user === 'object' &&
    user !== null &&
    typeof user.id === 'string' &&
    typeof user.name === 'string'
  );
};

/** The stored session while it can still be used: its access token, or its refresh token, has not expired. */
export const readSession = (): StoredSession | null => {
  const raw = readStored(SESSION_KEY);
  if (raw === null) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!isStoredSession(parsed)) return null;
    const expires = Date.parse(parsed.refreshToken && parsed.refreshExpiresAt ? parsed.refreshExpiresAt : parsed.expiresAt);
    if (Number.isFinite(expires) && expires <= Date.now()) return null;
    const { permissions, ...user } = parsed.user;
    const validPermissions = Array.isArray(permissions) && permissions.every((permission) => typeof permission === 'string');
    return { ...parsed, user: { ...user, roles: Array.isArray(user.roles) ? user.roles : [], ...(validPermissions ? { permissions } : {}) } };
  } catch {
    return null;
  }
};

/** The bearer token of the current session (kept fresh by session-refresh.ts), or null when logged out or expired. */
export const getToken = (): string | null => readSession()?.token ?? null;

export const currentUser = (): PortalUser | null => readSession()?.user ?? null;

export const isAuthenticated = (): boolean => readSession() !== null;

export const saveSession = (session: StoredSession): void => {
  writeStored(SESSION_KEY, JSON.stringify(session));
  emitPortalEvent('kartoteka:auth-changed', { user: session.user });
};

/** Updates the stored user (e.g. after `me`), keeping the token. */
export const updateSessionUser = (user: PortalUser): void => {
  const session = readSession();
  if (session) saveSession({ ...session, user });
};

export const clearSession = (): void => {
  const had = readStored(SESSION_KEY) !== null;
  writeStored(SESSION_KEY, null);
  if (had) emitPortalEvent('kartoteka:auth-changed', { user: null });
};

if (typeof window !== 'undefined') {
  // Logging in or out in another tab.
  window.addEventListener('storage', (event) => {
    if (event.key === SESSION_KEY || event.key === null) {
      emitPortalEvent('kartoteka:auth-changed', { user: currentUser() });
    }
  });
}
