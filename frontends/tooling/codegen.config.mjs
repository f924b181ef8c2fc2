/**
 * What `pnpm codegen` generates: for each app listed here, every `*.graphql` file in its document folders
 * becomes `__generated__/<name>.ts` beside it — the operations' result and variable types and their typed
 * document nodes (`TypedDocumentNode`), checked against the API schema the gateway serves (the committed
 * supergraph less its federation machinery). One generated module per document file, not one per app:
 * a page's chunk then carries only its own documents (the card's panel never loads the designer's).
 *
 * To convert another app: move its operations into `src/api/<name>.graphql`, add it here, run `pnpm codegen`.
 * Fragments are shared within an app (a document may spread a fragment of another file of the same app).
 */
export const CODEGEN_APPS = [
  { app: 'admin', documents: ['src/api'] },
  { app: 'counterparties', documents: ['src/api'] },
  { app: 'deals', documents: ['src/api'] },
  { app: 'documents', documents: ['src/api'] },
  { app: 'finance', documents: ['src/api'] },
  { app: 'mailings', documents: ['src/api'] },
];

/** GraphQL scalars as the apps see them in JSON. */
export const CODEGEN_SCALARS = {
  ID: 'string',
  DateTimeISO: 'string',
  SafeInt: 'number',
  JSON: 'unknown',
  JSONObject: 'Record<string, unknown>',
};
