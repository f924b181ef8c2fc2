import { shallowReadonly, shallowRef, type Ref } from 'vue';
import { navigate } from '@kartoteka/portal-api';

/** The mailings page the address names; `none` elsewhere (the root config mounts the app only on `/mailings…`). */
export type MailingsRoute = { name: 'list' } | { name: 'new' } | { name: 'mailing'; id: string } | { name: 'none' };

export const parseMailingsRoute = (pathname: string): MailingsRoute => {
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (path === '/mailings') return { name: 'list' };
  if (path === '/mailings/new') return { name: 'new' };
  const match = /^\/mailings\/([^/]+)$/.exec(path);
  return match ? { name: 'mailing', id: decodeURIComponent(match[1]) } : { name: 'none' };
};

const current = shallowRef<MailingsRoute>(parseMailingsRoute(window.location.pathname));
const sync = (): void => {
  const next = parseMailingsRoute(window.location.pathname);
  const prev = current.value;
  // a new object only when the page changes: query-string changes (filters) keep the page mounted
  if (next.name !== prev.name || (next.name === 'mailing' && prev.name === 'mailing' && next.id !== prev.id)) current.value = next;
};
window.addEventListener('popstate', sync);
window.addEventListener('single-spa:routing-event', sync);

/** The mailings route the portal shows now. */
export const useMailingsRoute = (): Readonly<Ref<MailingsRoute>> => shallowReadonly(current);

export const mailingPath = (id: string): string => `/mailings/${encodeURIComponent(id)}`;
export const go = (url: string): void => navigate(url);
