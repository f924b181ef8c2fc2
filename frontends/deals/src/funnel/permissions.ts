import { currentUser } from '@kartoteka/portal-api';
import { ROLE_PERMISSIONS, ROLES, type Permission, type RoleCode } from '../../../../services/kit/src/auth/permissions';

/**
 * What the signed-in employee may do with deals, from the API's own role → permission table (pure
 * TypeScript, imported by relative path). The API enforces every rule; the UI only hides what would fail.
 */
const hasPermission = (permission: Permission): boolean => {
  const user = currentUser();
  return (
    user !== null &&
    (user.roles as readonly string[]).some((role) => (ROLES as readonly string[]).includes(role) && ROLE_PERMISSIONS[role as RoleCode].includes(permission))
  );
};

/** Create deals and move them between stages. */
export const canWriteDeals = (): boolean => hasPermission('deals:write');
