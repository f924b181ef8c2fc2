export type CounterpartyKind = 'LEGAL_ENTITY' | 'SOLE_PROPRIETOR' | 'INDIVIDUAL';
export type CounterpartyStatus = 'PROSPECT' | 'CLIENT' | 'SUPPLIER' | 'PARTNER' | 'ARCHIVED';
export type CounterpartyChangeAction = 'CREATED' | 'UPDATED' | 'ARCHIVED' | 'RESTORED';

export const counterpartyKinds: readonly CounterpartyKind[] = ['LEGAL_ENTITY', 'SOLE_PROPRIETOR', 'INDIVIDUAL'];
export const counterpartyStatuses: readonly CounterpartyStatus[] = ['PROSPECT', 'CLIENT', 'SUPPLIER', 'PARTNER', 'ARCHIVED'];
/** Grade of finance's reliability rating (A best … D worst); the list filters by it. */
export type RatingGrade = 'A' | 'B' | 'C' | 'D';
export const ratingGrades: readonly RatingGrade[] = ['A', 'B', 'C', 'D'];
/** Orders of the list (the API's `CounterpartySort`); without one: by name, by relevance when searching. */
export type CounterpartySort = 'NAME' | 'INN' | 'MANAGER' | 'UPDATED' | 'RATING';
export const counterpartySorts: readonly CounterpartySort[] = ['NAME', 'INN', 'MANAGER', 'UPDATED', 'RATING'];
export type SortDirection = 'ASC' | 'DESC';
export const sortDirections: readonly SortDirection[] = ['ASC', 'DESC'];
/** The API's direction of an order when none is given. */
export const defaultDirection: Record<CounterpartySort, SortDirection> = { NAME: 'ASC', INN: 'ASC', MANAGER: 'ASC', UPDATED: 'DESC', RATING: 'DESC' };

/** Statuses a user picks in the form; ARCHIVED is reached only with the archive action. */
export const editableStatuses: readonly CounterpartyStatus[] = ['PROSPECT', 'CLIENT', 'SUPPLIER', 'PARTNER'];

export type UserRef = { id: string; name: string; email?: string | null };

export type BankAccount = {
  id: string;
  bankName: string;
  bik: string;
  account: string;
  correspondentAccount: string | null;
};

export type Contact = {
  id: string;
  name: string;
  position: string | null;
  email: string | null;
  phone: string | null;
  /** The contact agreed to receive offer mailings (absent in older cached data). */
  mailingConsent?: boolean;
  mailingConsentAt?: string | null;
};

export type PageInfo = { hasNextPage: boolean; endCursor: string | null };

export type Connection<T> = {
  edges: { cursor?: string; node: T }[];
  pageInfo: PageInfo;
  totalCount?: number;
};

export type CounterpartyListItem = {
  id: string;
  name: string;
  shortName: string | null;
  kind: CounterpartyKind;
  status: CounterpartyStatus;
  inn: string;
  kpp: string | null;
  responsibleManager: UserRef | null;
};

/** finance's reliability rating as a list row shows it (`Counterparty.rating` of the finance subgraph); null = not rated. */
export type RatingSummary = { score: number | null; grade: RatingGrade | null };

/** A row of the list: the item plus finance's rating (selected in the list query only). */
export type CounterpartyListRow = CounterpartyListItem & { rating: RatingSummary | null; updatedAt: string };

export type CounterpartyDetails = CounterpartyListItem & {
  ogrn: string | null;
  legalAddress: string | null;
  postalAddress: string | null;
  tags: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
  bankAccounts: BankAccount[];
  contacts: Contact[];
};

export type FieldChange = { field: string; from: string | null; to: string | null };

export type CounterpartyChange = {
  id: string;
  at: string;
  action: CounterpartyChangeAction;
  actor: UserRef | null;
  changes: FieldChange[];
};
