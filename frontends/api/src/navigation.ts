import { navigateToUrl } from 'single-spa';

/** Client-side navigation inside the portal (single-spa reroutes and mounts the right apps). */
export const navigate = (url: string): void => {
  navigateToUrl(url);
};

export const LOGIN_PATH = '/login';

/** URL of the login page that returns to `returnTo` (the current page by default) after login. */
export const loginUrl = (returnTo: string = window.location.pathname + window.location.search): string =>
  returnTo && returnTo !== '/' && !returnTo.startsWith(LOGIN_PATH)
    ? `${LOGIN_PATH}?next=${encodeURIComponent(returnTo)}`
    : LOGIN_PATH;

/** The page after login when there is nowhere to return to: "My day". */
export const HOME_PATH = '/';

/** A safe in-portal path from a `next` query parameter (never another origin); "My day" otherwise. */
export const safeReturnPath = (next: string | null | undefined, fallback = HOME_PATH): string =>
  typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith(LOGIN_PATH) ? next : fallback;
