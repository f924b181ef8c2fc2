import { getCurrentScope, onScopeDispose, readonly, ref, type Ref } from 'vue';
import { can, onPortalEvent, type Permission } from '@kartoteka/portal-api';

/**
 * `can(permission)` of the portal API as a ref that follows the session (`kartoteka:auth-changed`: login, logout,
 * another tab, or `me` bringing the permissions of a session stored before them). Hide what the API would refuse.
 */
export const useCan = (permission: Permission): Readonly<Ref<boolean>> => {
  const allowed = ref(can(permission));
  const stop = onPortalEvent('kartoteka:auth-changed', () => {
    allowed.value = can(permission);
  });
  if (getCurrentScope()) onScopeDispose(stop);
  return readonly(allowed);
};
