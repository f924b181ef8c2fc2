import { shallowReadonly, shallowRef, type Ref } from 'vue';
import { navigate } from '@kartoteka/portal-api';

/** The sales funnel pages of the deals app (the root config mounts `funnelPages` on these routes). */
export type FunnelRoute = { name: 'list' } | { name: 'board' } | { name: 'analytics' } | { name: 'none' };
export type FunnelView = Exclude<FunnelRoute['name'], 'none'>;

export const parseFunnelRoute = (pathname: string): FunnelRoute => {
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (path === '/deals') return { name: 'list' };
  if (path === '/deals/board') return { name: 'board' };
  if (path === '/deals/analytics') return { name: 'analytics' };
  return { name: 'none' };
};

const current = shallowRef<FunnelRoute>(parseFunnelRoute(window.location.pathname));

const sync = (): void => {
  const next = parseFunnelRoute(window.location.pathname);
  if (next.name !== current.value.name) current.value = next;
};

window.addEventListener('popstate', sync);
window.addEventListener('single-spa:routing-event', sync);

/** The funnel page the portal shows now ('none' elsewhere). */
export const useFunnelRoute = (): Readonly<Ref<FunnelRoute>> => shallowReadonly(current);

const withQuery = (path: string, params: Record<string, string | null | undefined>): string => {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
};

/** Portal paths these pages link to (the deal page and the form belong to the deal pages of this app). */
export const funnelPaths = {
  list: (templateId?: string | null, stageKey?: string | null): string => withQuery('/deals', { templateId, stageKey }),
  board: (templateId?: string | null): string => withQuery('/deals/board', { templateId }),
  analytics: (templateId?: string | null): string => withQuery('/deals/analytics', { templateId }),
  view: (view: FunnelView, templateId?: string | null): string =>
    view === 'list' ? funnelPaths.list(templateId) : view === 'board' ? funnelPaths.board(templateId) : funnelPaths.analytics(templateId),
  deal: (id: string): string => `/deals/${encodeURIComponent(id)}`,
  newDeal: (templateId?: string | null): string => withQuery('/deals/new', { templateId }),
  counterparty: (id: string): string => `/counterparties/${encodeURIComponent(id)}`,
};

export const go = (url: string): void => navigate(url);
