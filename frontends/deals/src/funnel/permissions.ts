import { can } from '@kartoteka/portal-api';

/**
 * What the signed-in employee may do with deals: the portal's `can` over the permissions identity derives from the
 * API's own role → permission map. The API enforces every rule; the UI only hides what would fail.
 */

/** Create deals and move them between stages. */
export const canWriteDeals = (): boolean => can('deals:write');
