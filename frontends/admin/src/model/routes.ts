import { shallowReadonly, shallowRef, type Ref } from 'vue';
import { navigate } from '@kartoteka/portal-api';

export const ADMIN_SECTIONS = ['users', 'api-keys', 'emails', 'events', 'audit'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

/** The admin section the address names (`/admin` is users); `unknown` for `/admin/<other>`, `none` elsewhere. */
export type AdminRoute = { name: 'section'; section: AdminSection } | { name: 'unknown' } | { name: 'none' };

export const parseAdminRoute = (pathname: string): AdminRoute => {
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (path === '/admin') return { name: 'section', section: 'users' };
  const match = /^\/admin\/([a-z-]+)$/.exec(path);
  if (!match) return { name: 'none' };
  return (ADMIN_SECTIONS as readonly string[]).includes(match[1]) ? { name: 'section', section: match[1] as AdminSection } : { name: 'unknown' };
};

const current = shallowRef<AdminRoute>(parseAdminRoute(window.location.pathname));
const sync = (): void => {
  const next = parseAdminRoute(window.location.pathname);
  const prev = current.value;
  if (next.name !== prev.name || (next.name === 'section' && prev.name === 'section' && next.section !== prev.section)) current.value = next;
};
window.addEventListener('popstate', sync);
window.addEventListener('single-spa:routing-event', sync);

/** The admin route the portal shows now. */
export const useAdminRoute = (): Readonly<Ref<AdminRoute>> => shallowReadonly(current);

export const adminPath = (section: AdminSection): string => `/admin/${section}`;

export const go = (url: string): void => navigate(url);
