import { shallowReadonly, shallowRef, type Ref } from 'vue';
import { navigate } from '@kartoteka/portal-api';

/** The pages of the documents app (the root config mounts the app on these routes and on the card). */
export type DocumentsPageRoute =
  | { name: 'registry' }
  | { name: 'new' }
  | { name: 'document'; id: string }
  | { name: 'edit'; id: string }
  | { name: 'route-templates' }
  | { name: 'document-templates' }
  | { name: 'none' };

export const parseDocumentsRoute = (pathname: string): DocumentsPageRoute => {
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (path === '/documents') return { name: 'registry' };
  if (path === '/documents/new') return { name: 'new' };
  if (path === '/settings/route-templates') return { name: 'route-templates' };
  if (path === '/settings/document-templates') return { name: 'document-templates' };
  const edit = /^\/documents\/([^/]+)\/edit$/.exec(path);
  if (edit) return { name: 'edit', id: decodeURIComponent(edit[1]) };
  const page = /^\/documents\/([^/]+)$/.exec(path);
  if (page) return { name: 'document', id: decodeURIComponent(page[1]) };
  return { name: 'none' };
};

const keyOf = (route: DocumentsPageRoute): string => ('id' in route ? `${route.name}:${route.id}` : route.name);

const current = shallowRef<DocumentsPageRoute>(parseDocumentsRoute(window.location.pathname));

const sync = (): void => {
  const next = parseDocumentsRoute(window.location.pathname);
  if (keyOf(next) !== keyOf(current.value)) current.value = next;
};

window.addEventListener('popstate', sync);
window.addEventListener('single-spa:routing-event', sync);

/** The documents page the portal shows now ('none' elsewhere, e.g. on the counterparty card). */
export const useDocumentsRoute = (): Readonly<Ref<DocumentsPageRoute>> => shallowReadonly(current);

export const docPaths = {
  registry: '/documents',
  create: (params: { counterpartyId?: string | null; type?: string | null } = {}): string => {
    const query = new URLSearchParams();
    if (params.counterpartyId) query.set('counterpartyId', params.counterpartyId);
    if (params.type) query.set('type', params.type);
    const text = query.toString();
    return text ? `/documents/new?${text}` : '/documents/new';
  },
  document: (id: string): string => `/documents/${encodeURIComponent(id)}`,
  edit: (id: string): string => `/documents/${encodeURIComponent(id)}/edit`,
  routeTemplates: '/settings/route-templates',
  documentTemplates: '/settings/document-templates',
  counterparty: (id: string): string => `/counterparties/${encodeURIComponent(id)}`,
};

export const go = (url: string): void => navigate(url);
