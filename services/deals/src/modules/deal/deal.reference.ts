import { defineReference } from '@kartoteka/kit';
import { DealService } from './deal.service';

/** Other subgraphs resolve `Deal { id }` here: one query per request, whatever the number of deals. */
export const dealReference = defineReference('Deal', {
  permissions: ['deals:read'],
  load: (ids, context) => new DealService(context).findByIds(ids),
});
