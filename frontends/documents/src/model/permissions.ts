import { currentUser, type PortalUser } from '@kartoteka/portal-api';
import { ROLE_PERMISSIONS, ROLES, type Permission, type RoleCode } from '../../../../services/kit/src/auth/permissions';

/**
 * What the signed-in employee may do in the EDMS, from the API's own role → permission table (pure
 * TypeScript, imported by relative path like the requisite validators). The API enforces every rule;
 * the UI only hides what would fail.
 */
export const hasPermission = (permission: Permission, user: PortalUser | null = currentUser()): boolean =>
  user !== null &&
  (user.roles as readonly string[]).some((role) => (ROLES as readonly string[]).includes(role) && ROLE_PERMISSIONS[role as RoleCode].includes(permission));

/** Whether staff with these roles may decide approval steps (pickers of approvers offer only them). */
export const rolesMayApprove = (roles: readonly string[]): boolean =>
  roles.some((role) => (ROLES as readonly string[]).includes(role) && ROLE_PERMISSIONS[role as RoleCode].includes('documents:approve'));

export const canWriteDocuments = (): boolean => hasPermission('documents:write');
export const canApproveDocuments = (): boolean => hasPermission('documents:approve');
/** Administrators: route templates, stopping routes, cancelling signed documents. */
export const canConfigureDocuments = (): boolean => hasPermission('documents:configure');
export const currentUserId = (): string | null => currentUser()?.id ?? null;

/** Roles an approval step or an acknowledgement request may address (positions first). */
export const APPROVER_ROLES: readonly RoleCode[] = ['LAWYER', 'ACCOUNTANT', 'DIRECTOR', 'APPROVER', 'ADMIN'];
export const STAFF_ROLES: readonly RoleCode[] = ROLES;
export type { RoleCode };
