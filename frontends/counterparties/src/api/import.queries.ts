import type {
  CounterpartyImportJobFragment,
  CounterpartyImportRowFragment,
  ImportDuplicatePolicy,
  ImportField as SchemaImportField,
  ImportRowFilter as SchemaImportRowFilter,
} from './__generated__/import';

/**
 * The import's slice of the graph (counterparties subgraph): the job, its rows, mapping, start and cancel. The
 * documents are in import.graphql; their types and typed document nodes are generated from the supergraph
 * (`pnpm codegen`). The upload and the refused-rows report go over REST (../import/import.rest.ts).
 */
export {
  CounterpartyImportJobDocument as IMPORT_JOB,
  CounterpartyImportRowsDocument as IMPORT_ROWS,
  SetCounterpartyImportMappingDocument as SET_IMPORT_MAPPING,
  StartCounterpartyImportDocument as START_IMPORT,
  CancelCounterpartyImportDocument as CANCEL_IMPORT,
} from './__generated__/import';

export type ImportField = SchemaImportField;
/**
 * The fields a column can fill, in the order the mapping offers them. Keyed by the API's enum so that a field the
 * API adds fails the typecheck here until it is placed (the server may suggest any of them for a column).
 */
const OFFERED_FIELDS: { readonly [F in ImportField]: true } = {
  NAME: true,
  SHORT_NAME: true,
  KIND: true,
  INN: true,
  KPP: true,
  OGRN: true,
  STATUS: true,
  TAGS: true,
  LEGAL_ADDRESS: true,
  POSTAL_ADDRESS: true,
  PHONE: true,
  EMAIL: true,
  MANAGER_EMAIL: true,
  CONTACT_NAME: true,
  CONTACT_POSITION: true,
  CONTACT_EMAIL: true,
  CONTACT_PHONE: true,
  CONTACT_MAILING_CONSENT: true,
  BANK_BIK: true,
  BANK_ACCOUNT: true,
  BANK_NAME: true,
  BANK_CORRESPONDENT_ACCOUNT: true,
};
// Object.keys is typed string[]; the keys of OFFERED_FIELDS are exactly ImportField, in the order written.
export const IMPORT_FIELDS = Object.keys(OFFERED_FIELDS) as ImportField[];

export type DuplicatePolicy = ImportDuplicatePolicy;
export type ImportRowFilter = SchemaImportRowFilter;

/** The job as the wizard shows it (every query and mutation of the import answers with it). */
export type ImportJobView = CounterpartyImportJobFragment;
/** A row of the file with its verdict (and, after the run, its outcome). */
export type ImportRowView = CounterpartyImportRowFragment;
