import { gql } from '@apollo/client/core';
import type { Permission } from '../../../services/kit/src/auth/permissions';
import { apolloClient } from './client';
import { apiErrorsOf, isNetworkFailure } from './errors';
import { LOGIN_PATH, loginUrl, navigate } from './navigation';
import { clearSession, currentUser, saveSession, updateSessionUser, type PortalUser } from './session';
import { revokeSession } from './session-refresh';

const LOGIN = gql`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      token
      expiresAt
      refreshToken
      refreshExpiresAt
      user {
        id
        name
        email
        roles
        permissions
      }
    }
  }
`;

const ME = gql`
  query CurrentUser {
    me {
      id
      name
      email
      roles
      permissions
    }
  }
`;

export type { Permission };

type LoginData = { login: { token: string; expiresAt: string; refreshToken: string; refreshExpiresAt: string; user: PortalUser } };
type MeData = { me: PortalUser | null };

export type LoginFailure = 'invalid-credentials' | 'throttled' | 'network' | 'unknown';

/** `retryAfter`: seconds to wait before the next attempt (when throttled). */
export type LoginOutcome = { ok: true; user: PortalUser } | { ok: false; reason: LoginFailure; message: string; retryAfter?: number };

export const login = async (email: string, password: string): Promise<LoginOutcome> => {
  try {
    const result = await apolloClient.mutate<LoginData>({
      mutation: LOGIN,
      variables: { email: email.trim(), password },
      fetchPolicy: 'no-cache',
    });
    const payload = result.data?.login;
    if (!payload) return { ok: false, reason: 'unknown', message: 'Empty login response' };
    // Nothing cached under an earlier session may leak into this one.
    await apolloClient.clearStore();
    saveSession({ token: payload.token, expiresAt: payload.expiresAt, refreshToken: payload.refreshToken, refreshExpiresAt: payload.refreshExpiresAt, user: payload.user });
    return { ok: true, user: payload.user };
  } catch (error) {
    if (isNetworkFailure(error)) return { ok: false, reason: 'network', message: String((error as Error).message ?? error) };
    const errors = apiErrorsOf(error);
    const throttled = errors.find((e) => e.code === 'RATE_LIMITED');
    if (throttled) {
      const retryAfter = Number(throttled.details.retryAfter);
      return { ok: false, reason: 'throttled', message: throttled.message, retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 1 };
    }
    const credentials = errors.some((e) => e.code === 'UNAUTHENTICATED' || e.code === 'BAD_USER_INPUT' || e.code === 'FORBIDDEN');
    return {
      ok: false,
      reason: credentials ? 'invalid-credentials' : 'unknown',
      message: errors[0]?.message ?? String((error as Error)?.message ?? error),
    };
  }
};

/** Ends the session: revokes it at the gateway, forgets the tokens and all cached data, then shows the login page. */
export const logout = async (): Promise<void> => {
  const revoked = revokeSession();
  // Navigate first: the reroute runs after the session is gone, so it lands on /login without a `next`.
  navigate(LOGIN_PATH);
  clearSession();
  await revoked;
  await apolloClient.clearStore().catch(() => undefined);
};

/** Re-reads the current user from the gateway (`me`); an expired token ends the session via the client. */
export const refreshCurrentUser = async (): Promise<PortalUser | null> => {
  try {
    const result = await apolloClient.query<MeData>({ query: ME, fetchPolicy: 'network-only' });
    const me = result.data?.me ?? null;
    if (me) {
      updateSessionUser(me);
    } else if (!result.errors?.length) {
      // `me: null` means the gateway no longer knows this token.
      clearSession();
      navigate(loginUrl());
    }
    return me;
  } catch {
    return currentUser();
  }
};

let permissionsRefetch: Promise<unknown> | null = null;

/** A session stored before `permissions` existed: read them with `me` (once at a time); `auth-changed` follows. */
const refetchPermissions = (): void => {
  permissionsRefetch ??= refreshCurrentUser().finally(() => {
    permissionsRefetch = null;
  });
};

/**
 * Whether the user has this permission in the API's own role→permission map (identity's `User.permissions`,
 * loaded with the session): the API enforces every rule, the UI only hides what would fail. A stored session
 * without permissions answers false until `me` has brought them (the `kartoteka:auth-changed` event; Vue apps
 * use `useCan` of `@kartoteka/portal-api/vue`, which follows it).
 */
export const can = (permission: Permission, user: PortalUser | null = currentUser()): boolean => {
  if (user === null) return false;
  if (!user.permissions) {
    if (user.id === currentUser()?.id) refetchPermissions();
    return false;
  }
  return user.permissions.includes(permission);
};

/**
 * @deprecated Too coarse (it allowed every role but VIEWER, while the API refuses some of them): use
 * `can(permission)` with the permission the action needs. Kept for apps not yet migrated: any write permission.
 */
export const canEdit = (user: PortalUser | null = currentUser()): boolean =>
  user !== null && (user.permissions ?? []).some((permission) => permission.endsWith(':write'));
