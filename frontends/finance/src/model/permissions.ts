import { can, currentUser, type Permission, type PortalUser } from '@kartoteka/portal-api';

/**
 * What the signed-in employee may do with finance: the portal's `can`, which reads the permissions identity derives
 * from the API's own role → permission map (`User.permissions`, loaded with the session). The API enforces every
 * rule; the UI only hides what would fail.
 */
export const hasPermission = (permission: Permission, user: PortalUser | null = currentUser()): boolean => can(permission, user);

/** Enter a contract's terms (schedule, direction): ADMIN, MANAGER, ACCOUNTANT. */
export const canWriteFinance = (): boolean => can('finance:write');
/** Import bank statements: ADMIN, ACCOUNTANT. */
export const canImportPayments = (): boolean => can('payments:import');
/** Match payments by hand: ADMIN, ACCOUNTANT. */
export const canMatchPayments = (): boolean => can('payments:match');
