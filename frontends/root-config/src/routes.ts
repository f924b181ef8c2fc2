export type PortalRoute =
  | { name: 'home' }
  | { name: 'login' }
  | { name: 'counterparty-list' }
  | { name: 'counterparty-new' }
  | { name: 'counterparty-card'; id: string }
  | { name: 'counterparty-edit'; id: string }
  | { name: 'tasks' }
  | { name: 'document-registry' }
  | { name: 'document-new' }
  | { name: 'document-page'; id: string }
  | { name: 'document-edit'; id: string }
  | { name: 'route-templates' }
  | { name: 'not-found' };

const trimSlash = (path: string): string => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);

export const matchRoute = (pathname: string): PortalRoute => {
  const path = trimSlash(pathname);
  if (path === '' || path === '/') return { name: 'home' };
  if (path === '/login') return { name: 'login' };
  if (path === '/counterparties') return { name: 'counterparty-list' };
  if (path === '/tasks') return { name: 'tasks' };
  if (path === '/counterparties/new') return { name: 'counterparty-new' };
  const card = /^\/counterparties\/([^/]+)$/.exec(path);
  if (card) return { name: 'counterparty-card', id: decodeURIComponent(card[1]) };
  const edit = /^\/counterparties\/([^/]+)\/edit$/.exec(path);
  if (edit) return { name: 'counterparty-edit', id: decodeURIComponent(edit[1]) };
  if (path === '/documents') return { name: 'document-registry' };
  if (path === '/documents/new') return { name: 'document-new' };
  const documentPage = /^\/documents\/([^/]+)$/.exec(path);
  if (documentPage) return { name: 'document-page', id: decodeURIComponent(documentPage[1]) };
  const documentEdit = /^\/documents\/([^/]+)\/edit$/.exec(path);
  if (documentEdit) return { name: 'document-edit', id: decodeURIComponent(documentEdit[1]) };
  if (path === '/settings/route-templates') return { name: 'route-templates' };
  return { name: 'not-found' };
};

/** Routes where the counterparties app is mounted (list, form, card header). */
export const isCounterpartiesRoute = (route: PortalRoute): boolean => route.name.startsWith('counterparty-');

/** "My tasks" (documents app): approvals, acknowledgements, notifications, e-mail settings. */
export const isTasksRoute = (route: PortalRoute): boolean => route.name === 'tasks';

/** Every page of a logged-in user (the header with the notifications bell). */
export const isPortalPage = (route: PortalRoute): boolean => route.name !== 'login';

/** The EDMS pages of the documents app: registry, form, document page, route template editor. */
export const isDocumentPagesRoute = (route: PortalRoute): boolean => route.name.startsWith('document-') || route.name === 'route-templates';

/** The composed counterparty card: counterparties + documents + deals side by side. */
export const isCardRoute = (route: PortalRoute): boolean => route.name === 'counterparty-card';
