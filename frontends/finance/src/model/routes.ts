import { shallowReadonly, shallowRef, type Ref } from 'vue';
import { navigate } from '@kartoteka/portal-api';

/** Where the finance app is mounted: its pages, or a document's page (a contract's execution). */
export type FinanceRoute =
  | { name: 'payments' }
  | { name: 'import' }
  | { name: 'review' }
  | { name: 'document'; id: string }
  | { name: 'none' };
export type FinancePage = 'payments' | 'import' | 'review';

export const parseFinanceRoute = (pathname: string): FinanceRoute => {
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (path === '/finance' || path === '/finance/payments') return { name: 'payments' };
  if (path === '/finance/import') return { name: 'import' };
  if (path === '/finance/review') return { name: 'review' };
  const document = /^\/documents\/([^/]+)$/.exec(path);
  if (document && document[1] !== 'new') return { name: 'document', id: decodeURIComponent(document[1]) };
  return { name: 'none' };
};

const current = shallowRef<FinanceRoute>(parseFinanceRoute(window.location.pathname));

const sameRoute = (a: FinanceRoute, b: FinanceRoute): boolean =>
  a.name === b.name && (a.name !== 'document' || (b.name === 'document' && a.id === b.id));

const sync = (): void => {
  const next = parseFinanceRoute(window.location.pathname);
  if (!sameRoute(next, current.value)) current.value = next;
};

window.addEventListener('popstate', sync);
window.addEventListener('single-spa:routing-event', sync);

/** The finance route the portal shows now ('none' elsewhere). */
export const useFinanceRoute = (): Readonly<Ref<FinanceRoute>> => shallowReadonly(current);

/** Portal paths the finance app links to. */
export const financePaths = {
  payments: (): string => '/finance/payments',
  import: (): string => '/finance/import',
  review: (): string => '/finance/review',
  document: (id: string): string => `/documents/${encodeURIComponent(id)}`,
  counterparty: (id: string): string => `/counterparties/${encodeURIComponent(id)}`,
};

export const go = (url: string): void => navigate(url);
