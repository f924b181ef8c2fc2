import { CappedCountResolver, ConnectionType } from '@kartoteka/kit';
import { Document } from './document.entity';

export const DocumentConnection = ConnectionType(Document, 'Document');

/** `totalCountAtLeast` / `totalCountCapped` of the documents connection: the cheap count of kit's capped-count.ts. */
export const DocumentConnectionResolver = CappedCountResolver(DocumentConnection, 'documents');
