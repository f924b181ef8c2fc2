import { gql } from '@apollo/client/core';
import { apolloClient, currentUser, getToken, onPortalEvent } from '@kartoteka/portal-api';

/**
 * The "My tasks" count of the navigation: everything waiting for the current user, from two subgraphs in ONE
 * request through the portal's Apollo client — approval steps and acknowledgements (documents), open general
 * tasks and deal actions (deals). Whatever comes back is shown (errorPolicy `all`): a part that is null or missing
 * counts as unknown, and the words say some counts are missing. The three root fields are non-null in the schema, so
 * today a failed subgraph nulls the whole answer (GraphQL null propagation in the gateway): the badge then keeps the
 * last figures it had rather than going blank or to 0.
 *
 * Fetch policy `no-cache`: always from the network, like `network-only`, but the answer is not written to the
 * cache — the documents app keeps `myApprovalTasks`/`myAcknowledgementTasks` there as one list per field
 * (`keyArgs: false`), and a `first: 1` page written over it would cut the "My tasks" lists short.
 */
const NAVIGATION_WORK_COUNTS = gql`
  query NavigationWorkCounts {
    myApprovalTasks(first: 1) {
      totalCount
    }
    myAcknowledgementTasks(first: 1) {
      totalCount
    }
    myWorkCounts {
      openTasks
      dealActions
    }
  }
`;

type CountsData = {
  myApprovalTasks?: { totalCount?: number | null } | null;
  myAcknowledgementTasks?: { totalCount?: number | null } | null;
  myWorkCounts?: { openTasks?: number | null; dealActions?: number | null } | null;
} | null;

/** What waits for me, per kind; `null` for a part that did not come back (its subgraph failed). */
export type WorkCounts = {
  approvals: number | null;
  acknowledgements: number | null;
  tasks: number | null;
  dealActions: number | null;
};

const countOf = (value: number | null | undefined): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** Reads whatever parts of the answer arrived (partial data of a failed subgraph, or nothing at all). */
export const workCountsOf = (data: CountsData | undefined): WorkCounts => ({
  approvals: countOf(data?.myApprovalTasks?.totalCount),
  acknowledgements: countOf(data?.myAcknowledgementTasks?.totalCount),
  tasks: countOf(data?.myWorkCounts?.openTasks),
  dealActions: countOf(data?.myWorkCounts?.dealActions),
});

export const totalOf = (counts: WorkCounts): number =>
  (counts.approvals ?? 0) + (counts.acknowledgements ?? 0) + (counts.tasks ?? 0) + (counts.dealActions ?? 0);

/** Pause after a trigger: a burst (a decision emits work-changed and a notification arrives) costs one request. */
const DEBOUNCE_MS = 250;

export type WorkCountsWatcher = {
  /** Asks for fresh counts (debounced; at most one request in flight, one more queued behind it). */
  refresh: () => void;
  stop: () => void;
};

/**
 * Keeps the counts current for the logged-in user: on start, on login, when an app says my work changed
 * (`kartoteka:work-changed`), when a notification arrives live, and when the caller asks (route change).
 * `onCounts` gets `null` when logged out.
 */
export const watchWorkCounts = (onCounts: (counts: WorkCounts | null) => void): WorkCountsWatcher => {
  let timer: number | undefined;
  let inFlight = false;
  let queued = false;
  /** Bumped on logout: an answer for the previous session is dropped. */
  let generation = 0;
  /** Whose counts are shown: a token refresh re-saves the same user (no refetch), a login changes it. */
  let userId = currentUser()?.id ?? null;

  const run = (): void => {
    timer = undefined;
    if (getToken() === null) return;
    if (inFlight) {
      queued = true;
      return;
    }
    inFlight = true;
    const asked = generation;
    apolloClient
      .query<NonNullable<CountsData>>({ query: NAVIGATION_WORK_COUNTS, fetchPolicy: 'no-cache', errorPolicy: 'all' })
      .then(
        (result) => {
          if (asked !== generation) return;
          const counts = workCountsOf(result.data);
          // nothing came back at all (every part failed, or the gateway is down): keep what is shown
          if (counts.approvals === null && counts.acknowledgements === null && counts.tasks === null && counts.dealActions === null) return;
          onCounts(counts);
        },
        () => undefined,
      )
      .finally(() => {
        inFlight = false;
        if (queued) {
          queued = false;
          refresh();
        }
      });
  };

  const refresh = (): void => {
    if (timer !== undefined) window.clearTimeout(timer);
    timer = window.setTimeout(run, DEBOUNCE_MS);
  };

  const unsubscribe = [
    onPortalEvent('kartoteka:work-changed', refresh),
    onPortalEvent('kartoteka:notification', refresh),
    onPortalEvent('kartoteka:auth-changed', ({ user }) => {
      const previous = userId;
      userId = user?.id ?? null;
      if (userId === previous) return;
      // logged out, or someone else logged in: the old counts are not theirs
      generation += 1;
      queued = false;
      onCounts(null);
      if (user) refresh();
      else if (timer !== undefined) {
        window.clearTimeout(timer);
        timer = undefined;
      }
    }),
  ];

  refresh();
  return {
    refresh,
    stop: () => {
      for (const off of unsubscribe) off();
      if (timer !== undefined) window.clearTimeout(timer);
    },
  };
};
