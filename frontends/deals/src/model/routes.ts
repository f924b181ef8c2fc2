import { shallowReadonly, shallowRef, type Ref } from 'vue';
import { navigate } from '@kartoteka/portal-api';

/**
 * The pages of the `dealPages` application: the case template designer, the deal form and the deal page.
 * (The board, the list and the analytics, `/deals`, `/deals/board`, …, are another application of this module.)
 */
export type DealPagesRoute =
  | { name: 'templates' }
  | { name: 'template-new' }
  | { name: 'template'; id: string }
  | { name: 'deal-new' }
  | { name: 'deal'; id: string }
  | { name: 'none' };

/** Fixed sections under /deals that are never a deal id. */
const RESERVED = new Set(['templates', 'new', 'board', 'list', 'analytics']);

export const parseDealPagesRoute = (pathname: string): DealPagesRoute => {
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (path === '/deals/templates') return { name: 'templates' };
  if (path === '/deals/templates/new') return { name: 'template-new' };
  if (path === '/deals/new') return { name: 'deal-new' };
  const template = /^\/deals\/templates\/([^/]+)$/.exec(path);
  if (template) return { name: 'template', id: decodeURIComponent(template[1]) };
  const deal = /^\/deals\/([^/]+)$/.exec(path);
  if (deal && !RESERVED.has(deal[1])) return { name: 'deal', id: decodeURIComponent(deal[1]) };
  return { name: 'none' };
};

const keyOf = (route: DealPagesRoute): string => ('id' in route ? `${route.name}:${route.id}` : route.name);

const current = shallowRef<DealPagesRoute>(parseDealPagesRoute(window.location.pathname));

const sync = (): void => {
  const next = parseDealPagesRoute(window.location.pathname);
  if (keyOf(next) !== keyOf(current.value)) current.value = next;
};

window.addEventListener('popstate', sync);
window.addEventListener('single-spa:routing-event', sync);

/** The deal page the portal shows now ('none' elsewhere). */
export const useDealPagesRoute = (): Readonly<Ref<DealPagesRoute>> => shallowReadonly(current);

export const dealPaths = {
  list: '/deals',
  templates: '/deals/templates',
  newTemplate: '/deals/templates/new',
  template: (id: string): string => `/deals/templates/${encodeURIComponent(id)}`,
  create: (params: { counterpartyId?: string | null; templateId?: string | null } = {}): string => {
    const query = new URLSearchParams();
    if (params.counterpartyId) query.set('counterpartyId', params.counterpartyId);
    if (params.templateId) query.set('templateId', params.templateId);
    const text = query.toString();
    return text ? `/deals/new?${text}` : '/deals/new';
  },
  deal: (id: string): string => `/deals/${encodeURIComponent(id)}`,
  counterparty: (id: string): string => `/counterparties/${encodeURIComponent(id)}`,
  document: (id: string): string => `/documents/${encodeURIComponent(id)}`,
};

export const go = (url: string): void => navigate(url);

/** Replaces the address without a new history entry (e.g. a new template got its id). */
export const replacePath = (url: string): void => {
  if (url !== window.location.pathname + window.location.search) window.history.replaceState(window.history.state, '', url);
  sync();
};
