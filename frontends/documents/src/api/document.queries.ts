import type { DocumentFileFragment } from './__generated__/document';

/**
 * This app's slice of the card: the counterparty's documents (the documents subgraph). The documents are in
 * document.graphql; their types and typed document nodes are generated from the supergraph (`pnpm codegen`).
 */
export { CounterpartyDocumentsDocument as COUNTERPARTY_DOCUMENTS } from './__generated__/document';
export type { DocumentStatus, DocumentType } from './__generated__/document';

export const DOCUMENTS_PAGE_SIZE = 20;

/** A file of a document's version (the card previews the current version's first one). */
export type DocumentFile = DocumentFileFragment;
