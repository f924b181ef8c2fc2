import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, Observable, from } from '@apollo/client/core';
import type { FieldPolicy, NormalizedCacheObject, TypePolicies } from '@apollo/client/core';
import { getPortalConfig } from './config';
import { apiErrorsOf } from './errors';
import { loginUrl, navigate } from './navigation';
import { clearSession, getToken } from './session';

/** Operations whose UNAUTHENTICATED answer means "wrong credentials", not "session expired". */
const PUBLIC_OPERATIONS = new Set(['Login']);

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

const authLink = new ApolloLink((operation, forward) => {
  const token = getToken();
  if (token) {
    operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
      headers: { ...headers, authorization: `Bearer ${token}` },
    }));
  }
  return forward(operation);
});

const isUnauthenticated = (error: unknown): boolean => {
  if (apiErrorsOf(error).some((e) => e.code === 'UNAUTHENTICATED')) return true;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return status === 401;
};

const sessionLink = new ApolloLink(
  (operation, forward) =>
    new Observable((observer) => {
      const guarded = !PUBLIC_OPERATIONS.has(operation.operationName);
      const subscription = forward(operation).subscribe({
        next: (result) => {
          if (guarded && getToken() !== null && isUnauthenticated(result.errors)) expireSession();
          observer.next(result);
        },
        error: (error: unknown) => {
          if (guarded && getToken() !== null && isUnauthenticated(error)) expireSession();
          observer.error(error);
        },
        complete: () => observer.complete(),
      });
      return () => subscription.unsubscribe();
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
