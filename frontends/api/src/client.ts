import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, Observable, from } from '@apollo/client/core';
import type { FieldPolicy, NormalizedCacheObject, TypePolicies } from '@apollo/client/core';
import { getPortalConfig } from './config';
import { apiErrorsOf } from './errors';
import { loginUrl, navigate } from './navigation';
import { clearSession, getToken, readSession } from './session';
import { freshToken, refreshSession } from './session-refresh';

/** Operations whose UNAUTHENTICATED answer means "wrong credentials", not "session expired". */
const PUBLIC_OPERATIONS = new Set(['Login', 'RefreshSession', 'Logout']);

let expiring = false;

/** Ends an expired or revoked session: forget the token and cached data, go to the login page. */
const expireSession = (): void => {
  if (expiring) return;
  expiring = true;
  clearSession();
  if (!window.location.pathname.startsWith('/login')) navigate(loginUrl());
  // After the apps unmounted (their queries stopped), drop everything the old session fetched.
  window.setTimeout(() => {
    apolloClient
      .clearStore()
      .catch(() => undefined)
      .finally(() => {
        expiring = false;
      });
  }, 0);
};

/** Sends the access token, refreshed first when it is about to expire (login needs none). */
const authLink = new ApolloLink(
  (operation, forward) =>
    new Observable((observer) => {
      let subscription: { unsubscribe: () => void } | null = null;
      let cancelled = false;
      const tokenFor = PUBLIC_OPERATIONS.has(operation.operationName) ? Promise.resolve(null) : freshToken();
      void tokenFor.then((token) => {
        if (cancelled) return;
        if (token) {
          operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
            headers: { ...headers, authorization: `Bearer ${token}` },
          }));
        }
        subscription = forward(operation).subscribe(observer);
      });
      return () => {
        cancelled = true;
        subscription?.unsubscribe();
      };
    }),
);

const isUnauthenticated = (error: unknown): boolean => {
  if (apiErrorsOf(error).some((e) => e.code === 'UNAUTHENTICATED')) return true;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return status === 401;
};

/**
 * An UNAUTHENTICATED answer to a request sent with a token: the access token was refused (expired early, clock
 * skew). One refresh and one retry; if the session itself is over, it ends here.
 */
const sessionLink = new ApolloLink(
  (operation, forward) =>
    new Observable((observer) => {
      const guarded = !PUBLIC_OPERATIONS.has(operation.operationName);
      const refusedWithToken = (failure: unknown): boolean => guarded && getToken() !== null && isUnauthenticated(failure);
      let current: { unsubscribe: () => void } | null = null;
      let closed = false;
      const attempt = (retried: boolean): void => {
        let recovering = false;
        const canRecover = (failure: unknown): boolean => !retried && refusedWithToken(failure) && Boolean(readSession()?.refreshToken);
        /** Refreshes and runs the operation again; if that is impossible, delivers the original failure. */
        const recover = (deliverFailure: () => void): void => {
          recovering = true;
          const sent = (operation.getContext() as { headers?: Record<string, string> }).headers?.authorization?.replace(/^Bearer /, '') ?? '';
          void refreshSession(sent).then((outcome) => {
            if (closed) return;
            if (outcome.kind === 'refreshed') {
              attempt(true);
              return;
            }
            if (outcome.kind === 'ended') expireSession();
            deliverFailure();
          });
        };
        current = forward(operation).subscribe({
          next: (result) => {
            if (canRecover(result.errors)) {
              recover(() => {
                observer.next(result);
                observer.complete();
              });
              return;
            }
            if (refusedWithToken(result.errors)) expireSession();
            observer.next(result);
          },
          error: (error: unknown) => {
            if (canRecover(error)) {
              recover(() => observer.error(error));
              return;
            }
            if (refusedWithToken(error)) expireSession();
            observer.error(error);
          },
          complete: () => {
            if (!recovering) observer.complete();
          },
        });
      };
      attempt(false);
      return () => {
        closed = true;
        current?.unsubscribe();
      };
    }),
);

const httpLink = new HttpLink({
  uri: () => getPortalConfig().gatewayUrl,
  credentials: 'omit',
});

/** The one Apollo client of the portal; every app queries through it. */
export const apolloClient: ApolloClient<NormalizedCacheObject> = new ApolloClient({
  link: from([sessionLink, authLink, httpLink]),
  cache: new InMemoryCache(),
  devtools: { enabled: false },
});

type Connection = { edges?: readonly unknown[] } & Record<string, unknown>;

/**
 * Field policy for a Relay-style connection paged with `after`: a page fetched with `after`
 * is appended to the cached edges, a page without it replaces them. `keyArgs` are the
 * arguments that select a different list (e.g. search and status), never `first`/`after`.
 */
export const connectionFieldPolicy = (keyArgs: string[] | false = false): FieldPolicy<Connection | null> => ({
  keyArgs,
  merge(existing, incoming, { args }) {
    if (!existing || !incoming || !args?.after) return incoming;
    return { ...incoming, edges: [...(existing.edges ?? []), ...(incoming.edges ?? [])] };
  },
});

/** Lets an app register the cache policies of the fields it owns (at bootstrap). */
export const addTypePolicies = (policies: TypePolicies): void => {
  (apolloClient.cache as InMemoryCache).policies.addTypePolicies(policies);
};
