import { can, currentUser, type Permission, type PortalUser } from '@kartoteka/portal-api';

/**
 * What the signed-in employee may do with deals: the portal's `can`, which reads the permissions identity derives
 * from the API's own role → permission map (`User.permissions`, loaded with the session). The API enforces every
 * rule; the UI only hides what would fail.
 */
export const hasPermission = (permission: Permission, user: PortalUser | null = currentUser()): boolean => can(permission, user);

/** Case templates are changed with `deals:write` (administrators and sales leads), as the API checks. */
export const canEditTemplates = (user: PortalUser | null = currentUser()): boolean => can('deals:write', user);

export const canWriteDeals = (): boolean => can('deals:write');
export const currentUserId = (): string | null => currentUser()?.id ?? null;
