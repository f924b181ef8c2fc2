import { currentUser, type PortalUser } from '@kartoteka/portal-api';
import { ROLE_PERMISSIONS, ROLES, type Permission, type RoleCode } from '../../../../services/kit/src/auth/permissions';

/**
 * What the signed-in employee may do with deals, from the API's own role → permission table (pure
 * TypeScript, imported by relative path like the requisite validators). The API enforces every rule;
 * the UI only hides what would fail.
 */
export const hasPermission = (permission: Permission, user: PortalUser | null = currentUser()): boolean =>
  user !== null &&
  (user.roles as readonly string[]).some((role) => (ROLES as readonly string[]).includes(role) && ROLE_PERMISSIONS[role as RoleCode].includes(permission));

/** Roles that edit case templates: administrators and sales leads. */
export const TEMPLATE_EDITOR_ROLES: readonly RoleCode[] = ['ADMIN', 'MANAGER'];

export const canEditTemplates = (user: PortalUser | null = currentUser()): boolean =>
  user !== null && (user.roles as readonly string[]).some((role) => (TEMPLATE_EDITOR_ROLES as readonly string[]).includes(role));

export const canWriteDeals = (): boolean => hasPermission('deals:write');
export const currentUserId = (): string | null => currentUser()?.id ?? null;
