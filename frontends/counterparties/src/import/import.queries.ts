import { gql } from '@apollo/client/core';

/** The import's slice of the graph (counterparties subgraph): the job, its rows, mapping, start and cancel. */

export const IMPORT_FIELDS = [
  'NAME',
  'SHORT_NAME',
  'KIND',
  'INN',
  'KPP',
  'OGRN',
  'STATUS',
  'TAGS',
  'LEGAL_ADDRESS',
  'POSTAL_ADDRESS',
  'PHONE',
  'EMAIL',
  'MANAGER_EMAIL',
  'CONTACT_NAME',
  'CONTACT_POSITION',
  'CONTACT_EMAIL',
  'CONTACT_PHONE',
  'BANK_BIK',
  'BANK_ACCOUNT',
  'BANK_NAME',
  'BANK_CORRESPONDENT_ACCOUNT',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export type ImportStatus = 'UPLOADED' | 'MAPPED' | 'PREVIEWED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';
export type DuplicatePolicy = 'SKIP' | 'UPDATE';
export type ImportRowFilter = 'VALID' | 'INVALID' | 'DUPLICATE' | 'REFUSED';
export type ColumnMapping = { column: number; field: ImportField };

export type ImportJobView = {
  id: string;
  fileName: string;
  status: ImportStatus;
  headers: string[];
  rowCount: number;
  total: number;
  processed: number;
  duplicatePolicy: DuplicatePolicy;
  mapping: ColumnMapping[];
  suggestedMapping: ColumnMapping[];
  failure: string | null;
  counters: { valid: number; invalid: number; duplicate: number; created: number; updated: number; skipped: number; refused: number };
};

const JOB_FIELDS = `
  id fileName status headers rowCount total processed duplicatePolicy failure
  mapping { column field }
  suggestedMapping { column field }
  counters { valid invalid duplicate created updated skipped refused }
`;

export const IMPORT_JOB = gql`
  query ImportJob($id: ID!) {
    importJob(id: $id) { ${JOB_FIELDS} }
  }
`;

export const SET_IMPORT_MAPPING = gql`
  mutation SetImportMapping($input: SetImportMappingInput!) {
    setImportMapping(input: $input) { ${JOB_FIELDS} }
  }
`;

export const START_IMPORT = gql`
  mutation StartImport($input: StartImportInput!) {
    startImport(input: $input) { ${JOB_FIELDS} }
  }
`;

export const CANCEL_IMPORT = gql`
  mutation CancelImport($jobId: ID!) {
    cancelImport(jobId: $jobId) { ${JOB_FIELDS} }
  }
`;

export type ImportRowView = {
  rowNumber: number;
  cells: string[];
  status: 'PENDING' | 'VALID' | 'INVALID' | 'DUPLICATE';
  errors: { field: string; message: string }[];
  existingId: string | null;
  outcome: string | null;
};

export const IMPORT_ROWS = gql`
  query ImportRows($jobId: ID!, $status: ImportRowFilter, $first: Int, $after: String) {
    importRows(jobId: $jobId, status: $status, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { rowNumber cells status errors { field message } existingId outcome } }
    }
  }
`;

export type ImportRowsData = {
  importRows: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: ImportRowView }[] };
};
