/** Types shared by the session, the locale and the typed events between apps (a leaf: it imports nothing). */
export type Locale = 'ru' | 'en';

/** Staff roles (identity's `Role`; kit's ROLES). */
export type Role = 'ADMIN' | 'MANAGER' | 'APPROVER' | 'VIEWER' | 'LAWYER' | 'ACCOUNTANT' | 'DIRECTOR';

export type PortalUser = {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  /**
   * What the API lets the user do (identity's `User.permissions`: kit's role→permission map, e.g.
   * `counterparties:write`); the portal's `can(permission)` reads it. Absent in sessions stored before it
   * existed: `can` then refetches `me` once.
   */
  permissions?: string[];
};
