import { defineReference } from '@kartoteka/kit';
import { DocumentService } from './document.service';

/** Other subgraphs resolve `Document { id }` here: one query per request, whatever the number of documents. */
export const documentReference = defineReference('Document', {
  permissions: ['documents:read'],
  load: (ids, context) => new DocumentService(context).findByIds(ids),
});
