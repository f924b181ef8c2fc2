export type PortalRoute =
  | { name: 'home' }
  | { name: 'login' }
  | { name: 'counterparty-list' }
  | { name: 'counterparty-new' }
  | { name: 'counterparty-card'; id: string }
  | { name: 'counterparty-edit'; id: string }
  | { name: 'not-found' };

const trimSlash = (path: string): string => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);

export const matchRoute = (pathname: string): PortalRoute => {
  const path = trimSlash(pathname);
  if (path === '' || path === '/') return { name: 'home' };
  if (path === '/login') return { name: 'login' };
  if (path === '/counterparties') return { name: 'counterparty-list' };
  if (path === '/counterparties/new') return { name: 'counterparty-new' };
  const card = /^\/counterparties\/([^/]+)$/.exec(path);
  if (card) return { name: 'counterparty-card', id: decodeURIComponent(card[1]) };
  const edit = /^\/counterparties\/([^/]+)\/edit$/.exec(path);
  if (edit) return { name: 'counterparty-edit', id: decodeURIComponent(edit[1]) };
  return { name: 'not-found' };
};

/** Routes where the counterparties app is mounted (list, form, card header). */
export const isCounterpartiesRoute = (route: PortalRoute): boolean => route.name.startsWith('counterparty-');

/** The composed counterparty card: counterparties + documents + deals side by side. */
export const isCardRoute = (route: PortalRoute): boolean => route.name === 'counterparty-card';
