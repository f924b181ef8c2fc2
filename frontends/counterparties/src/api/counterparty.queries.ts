import type {
  BankAccountInput as SchemaBankAccountInput,
  ContactInput as SchemaContactInput,
  CounterpartyChangeAction as SchemaCounterpartyChangeAction,
  CounterpartyChangeFragment,
  CounterpartyDetailsFragment,
  CounterpartyKind as SchemaCounterpartyKind,
  CounterpartyManagerOptionsQuery,
  CounterpartySort as SchemaCounterpartySort,
  CounterpartyStatus as SchemaCounterpartyStatus,
  CreateCounterpartyInput as SchemaCreateCounterpartyInput,
  RatingGrade as SchemaRatingGrade,
  SortDirection as SchemaSortDirection,
  UpdateCounterpartyInput as SchemaUpdateCounterpartyInput,
} from './__generated__/counterparty';

/**
 * This app's slice of the graph: counterparties and their requisites (the counterparties subgraph). The documents
 * are in counterparty.graphql; their types and typed document nodes are generated from the supergraph (`pnpm codegen`).
 */
export {
  CounterpartyListDocument as COUNTERPARTY_LIST,
  CounterpartyCardDocument as COUNTERPARTY_CARD,
  CounterpartyForEditDocument as COUNTERPARTY_FOR_EDIT,
  CounterpartyManagerOptionsDocument as MANAGER_OPTIONS,
  CreateCounterpartyDocument as CREATE_COUNTERPARTY,
  UpdateCounterpartyDocument as UPDATE_COUNTERPARTY,
  ArchiveCounterpartyDocument as ARCHIVE_COUNTERPARTY,
  RestoreCounterpartyDocument as RESTORE_COUNTERPARTY,
} from './__generated__/counterparty';

export const PAGE_SIZE = 20;
export const HISTORY_PAGE_SIZE = 20;

// ---- the API's enums, with the value lists the pages offer -------------------------------------
export type CounterpartyKind = SchemaCounterpartyKind;
export const counterpartyKinds = ['LEGAL_ENTITY', 'SOLE_PROPRIETOR', 'INDIVIDUAL'] as const satisfies readonly CounterpartyKind[];
export type CounterpartyStatus = SchemaCounterpartyStatus;
export const counterpartyStatuses = ['PROSPECT', 'CLIENT', 'SUPPLIER', 'PARTNER', 'ARCHIVED'] as const satisfies readonly CounterpartyStatus[];
/** Statuses a user picks in the form; ARCHIVED is reached only with the archive action. */
export const editableStatuses = ['PROSPECT', 'CLIENT', 'SUPPLIER', 'PARTNER'] as const satisfies readonly CounterpartyStatus[];
export type CounterpartyChangeAction = SchemaCounterpartyChangeAction;
/** Grade of finance's reliability rating (A best … D worst); the list filters by it. */
export type RatingGrade = SchemaRatingGrade;
export const ratingGrades = ['A', 'B', 'C', 'D'] as const satisfies readonly RatingGrade[];
/** Orders of the list (the API's `CounterpartySort`); without one: by name, by relevance when searching. */
export type CounterpartySort = SchemaCounterpartySort;
export const counterpartySorts = ['NAME', 'INN', 'MANAGER', 'UPDATED', 'RATING'] as const satisfies readonly CounterpartySort[];
export type SortDirection = SchemaSortDirection;
export const sortDirections = ['ASC', 'DESC'] as const satisfies readonly SortDirection[];
/** The API's direction of an order when none is given. */
export const defaultDirection: Record<CounterpartySort, SortDirection> = { NAME: 'ASC', INN: 'ASC', MANAGER: 'ASC', UPDATED: 'DESC', RATING: 'DESC' };

// ---- API shapes the app's components and form model take -------------------------------------------
export type CounterpartyDetails = CounterpartyDetailsFragment;
/** An entry of the card's history ("who changed what"). */
export type CounterpartyChange = CounterpartyChangeFragment;
export type FieldChange = CounterpartyChange['changes'][number];
/** A user the form offers as the responsible manager (identity subgraph). */
export type ManagerOption = CounterpartyManagerOptionsQuery['users']['edges'][number]['node'];

export type CreateCounterpartyInput = SchemaCreateCounterpartyInput;
export type BankAccountInput = SchemaBankAccountInput;
export type ContactInput = SchemaContactInput;
export type UpdateCounterpartyInput = SchemaUpdateCounterpartyInput;
