import { shallowReadonly, shallowRef } from 'vue';
import { navigate } from '@kartoteka/portal-api';

/** The app's pages; the root config mounts the app on every /counterparties route. */
export type AppRoute =
  | { name: 'list' }
  | { name: 'new' }
  | { name: 'import' }
  | { name: 'card'; id: string }
  | { name: 'edit'; id: string }
  | { name: 'none' };

export const parseRoute = (pathname: string): AppRoute => {
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (path === '/counterparties') return { name: 'list' };
  if (path === '/counterparties/new') return { name: 'new' };
  if (path === '/counterparties/import') return { name: 'import' };
  const edit = /^\/counterparties\/([^/]+)\/edit$/.exec(path);
  if (edit) return { name: 'edit', id: decodeURIComponent(edit[1]) };
  const card = /^\/counterparties\/([^/]+)$/.exec(path);
  if (card) return { name: 'card', id: decodeURIComponent(card[1]) };
  return { name: 'none' };
};

const routeKey = (route: AppRoute): string => ('id' in route ? `${route.name}:${route.id}` : route.name);

const current = shallowRef<AppRoute>(parseRoute(window.location.pathname));

const sync = (): void => {
  const next = parseRoute(window.location.pathname);
  if (routeKey(next) !== routeKey(current.value)) current.value = next;
};

window.addEventListener('popstate', sync);
window.addEventListener('single-spa:routing-event', sync);

export const useRoute = () => shallowReadonly(current);

export const paths = {
  list: '/counterparties',
  create: '/counterparties/new',
  import: '/counterparties/import',
  card: (id: string): string => `/counterparties/${encodeURIComponent(id)}`,
  edit: (id: string): string => `/counterparties/${encodeURIComponent(id)}/edit`,
};

export const go = (url: string): void => navigate(url);

