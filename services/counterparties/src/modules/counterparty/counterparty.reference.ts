import { defineReference } from '@kartoteka/kit';
import { CounterpartyService } from './counterparty.service';

/** Other subgraphs resolve `Counterparty { id }` here: one query per request, whatever the number of ids. */
export const counterpartyReference = defineReference('Counterparty', {
  permissions: ['counterparties:read'],
  load: (ids, context) => new CounterpartyService(context).findByIds(ids),
});
