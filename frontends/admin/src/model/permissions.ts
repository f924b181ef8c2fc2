import { currentUser, type PortalUser } from '@kartoteka/portal-api';
import { ROLE_PERMISSIONS, ROLES, type Permission, type RoleCode } from '../../../../services/kit/src/auth/permissions';

/**
 * Whether the signed-in employee holds a permission, from the API's own role → permission table (the same
 * module every subgraph authorizes with, imported by relative path as the finance and deals apps do). The
 * API enforces every rule; the UI only shows "no access" instead of pages that would fail.
 */
export const hasPermission = (permission: Permission, user: PortalUser | null = currentUser()): boolean =>
  user !== null &&
  (user.roles as readonly string[]).some((role) => (ROLES as readonly string[]).includes(role) && ROLE_PERMISSIONS[role as RoleCode].includes(permission));

/** The administration pages need user management (ADMIN). */
export const isAdministrator = (): boolean => hasPermission('users:manage');
