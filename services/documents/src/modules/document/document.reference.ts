import { defineReference } from '@kartoteka/kit';
import { DocumentReader } from './document.reader';

/** Other subgraphs resolve `Document { id }` here: one query per request, whatever the number of documents. */
export const documentReference = defineReference('Document', {
  permissions: ['documents:read'],
  load: (ids, context) => new DocumentReader(context).findByIds(ids),
});
