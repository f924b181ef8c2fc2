/** Types shared by the session, the locale and the typed events between apps (a leaf: it imports nothing). */
export type Locale = 'ru' | 'en';

export type Role = 'ADMIN' | 'MANAGER' | 'APPROVER' | 'VIEWER';

export type PortalUser = {
  id: string;
  name: string;
  email: string;
  roles: Role[];
};
