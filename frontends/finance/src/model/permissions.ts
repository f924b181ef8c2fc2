import { currentUser, type PortalUser } from '@kartoteka/portal-api';
import { ROLE_PERMISSIONS, ROLES, type Permission, type RoleCode } from '../../../../services/kit/src/auth/permissions';

/**
 * What the signed-in employee may do with finance, from the API's own role → permission table (pure
 * TypeScript, imported by relative path as the deals app does). The API enforces every rule; the UI only
 * hides what would fail.
 */
export const hasPermission = (permission: Permission, user: PortalUser | null = currentUser()): boolean =>
  user !== null &&
  (user.roles as readonly string[]).some((role) => (ROLES as readonly string[]).includes(role) && ROLE_PERMISSIONS[role as RoleCode].includes(permission));

/** Enter a contract's terms (schedule, direction): ADMIN, MANAGER, ACCOUNTANT. */
export const canWriteFinance = (): boolean => hasPermission('finance:write');
/** Import bank statements: ADMIN, ACCOUNTANT. */
export const canImportPayments = (): boolean => hasPermission('payments:import');
/** Match payments by hand: ADMIN, ACCOUNTANT. */
export const canMatchPayments = (): boolean => hasPermission('payments:match');
