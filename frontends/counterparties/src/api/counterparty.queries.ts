import { gql } from '@apollo/client/core';
import { connectionSelection } from '@kartoteka/portal-api';
import type {
  Connection,
  CounterpartyChange,
  CounterpartyDetails,
  CounterpartyKind,
  CounterpartyListItem,
  CounterpartyListRow,
  CounterpartySort,
  CounterpartyStatus,
  RatingGrade,
  RatingSummary,
  SortDirection,
  UserRef,
} from '../model/counterparty.types';

/** This app's slice of the graph: counterparties and their requisites (the counterparties subgraph). */

const COUNTERPARTY_LIST_ITEM = gql`
  fragment CounterpartyListItem on Counterparty {
    id
    name
    shortName
    kind
    status
    inn
    kpp
    responsibleManager {
      id
      name
    }
  }
`;

const COUNTERPARTY_DETAILS = gql`
  fragment CounterpartyDetails on Counterparty {
    ...CounterpartyListItem
    ogrn
    legalAddress
    postalAddress
    tags
    version
    createdAt
    updatedAt
    archivedAt
    bankAccounts {
      id
      bankName
      bik
      account
      correspondentAccount
    }
    contacts {
      id
      name
      position
      email
      phone
      mailingConsent
      mailingConsentAt
    }
    responsibleManager {
      id
      name
      email
    }
  }
  ${COUNTERPARTY_LIST_ITEM}
`;

const COUNTERPARTY_CHANGE = gql`
  fragment CounterpartyChange on CounterpartyChange {
    id
    at
    action
    actor {
      id
      name
    }
    changes {
      field
      from
      to
    }
  }
`;

/** A list row: the item and finance's rating (the finance subgraph resolves `Counterparty.rating`, batched). */
const COUNTERPARTY_LIST_ROW = gql`
  fragment CounterpartyListRow on Counterparty {
    ...CounterpartyListItem
    updatedAt
    rating {
      score
      grade
    }
  }
  ${COUNTERPARTY_LIST_ITEM}
`;

export const PAGE_SIZE = 20;
export const HISTORY_PAGE_SIZE = 20;

export const COUNTERPARTY_LIST = gql`
  query CounterpartyList(
    $search: String
    $status: CounterpartyStatus
    $ratingGrades: [RatingGrade!]
    $sort: CounterpartySort
    $direction: SortDirection
    $first: Int!
    $after: String
  ) {
    counterparties(
      search: $search
      status: $status
      ratingGrades: $ratingGrades
      sort: $sort
      direction: $direction
      first: $first
      after: $after
    ) {
      ${connectionSelection(COUNTERPARTY_LIST_ROW)}
    }
  }
  ${COUNTERPARTY_LIST_ROW}
`;

export type CounterpartyListData = { counterparties: Connection<CounterpartyListRow> & { totalCount: number } };
export type CounterpartyListVars = {
  search: string | null;
  status: CounterpartyStatus | null;
  /** Only these grades of finance's reliability rating; null: any. */
  ratingGrades: RatingGrade[] | null;
  /** null: by name, by relevance when searching. */
  sort: CounterpartySort | null;
  /** null: the order's default direction. */
  direction: SortDirection | null;
  first: number;
  after?: string | null;
};

/** The recently opened counterparties of "My day", in one request (finance resolves the ratings in one batch). */
export const RECENT_COUNTERPARTIES = gql`
  query RecentCounterparties($ids: [ID!]!) {
    counterpartiesByIds(ids: $ids) {
      id
      name
      shortName
      inn
      status
      rating {
        score
        grade
      }
    }
  }
`;

export type RecentCounterparty = {
  id: string;
  name: string;
  shortName: string | null;
  inn: string;
  status: CounterpartyStatus;
  rating: RatingSummary | null;
};
export type RecentCounterpartiesData = { counterpartiesByIds: RecentCounterparty[] };

export const COUNTERPARTY_CARD = gql`
  query CounterpartyCard($id: ID!, $historyFirst: Int!, $historyAfter: String) {
    counterparty(id: $id) {
      ...CounterpartyDetails
      history(first: $historyFirst, after: $historyAfter) {
        ${connectionSelection(COUNTERPARTY_CHANGE, { totalCount: false })}
      }
    }
  }
  ${COUNTERPARTY_CHANGE}
  ${COUNTERPARTY_DETAILS}
`;

export type CounterpartyCardData = {
  counterparty: (CounterpartyDetails & { history: Connection<CounterpartyChange> | null }) | null;
};
export type CounterpartyCardVars = { id: string; historyFirst: number; historyAfter?: string | null };

export const COUNTERPARTY_FOR_EDIT = gql`
  query CounterpartyForEdit($id: ID!) {
    counterparty(id: $id) {
      ...CounterpartyDetails
    }
  }
  ${COUNTERPARTY_DETAILS}
`;

export type CounterpartyForEditData = { counterparty: CounterpartyDetails | null };

export const MANAGER_OPTIONS = gql`
  query ManagerOptions($search: String, $first: Int!) {
    users(search: $search, first: $first) {
      edges {
        node {
          id
          name
          email
        }
      }
    }
  }
`;

export type ManagerOptionsData = { users: Connection<UserRef> };

export type BankAccountInput = {
  bankName: string;
  bik: string;
  account: string;
  correspondentAccount: string | null;
};

export type ContactInput = { name: string; position: string | null; email: string | null; phone: string | null; mailingConsent: boolean };

export type CreateCounterpartyInput = {
  name: string;
  shortName: string | null;
  kind: CounterpartyKind;
  status: CounterpartyStatus;
  inn: string;
  kpp: string | null;
  ogrn: string | null;
  legalAddress: string | null;
  postalAddress: string | null;
  bankAccounts: BankAccountInput[];
  contacts: ContactInput[];
  tags: string[];
  responsibleManagerId: string | null;
};

export type UpdateCounterpartyInput = { id: string; version: number } & Partial<CreateCounterpartyInput>;

/** A mutation answering with the changed counterparty: `mutation <operation><variables> { <call> { …details } }`. */
const counterpartyMutation = (operation: string, variables: string, call: string) => gql`
  mutation ${operation}${variables} {
    ${call} {
      ...CounterpartyDetails
    }
  }
  ${COUNTERPARTY_DETAILS}
`;

export const CREATE_COUNTERPARTY = counterpartyMutation(
  'CreateCounterparty',
  '($input: CreateCounterpartyInput!)',
  'createCounterparty(input: $input)',
);
export const UPDATE_COUNTERPARTY = counterpartyMutation(
  'UpdateCounterparty',
  '($input: UpdateCounterpartyInput!)',
  'updateCounterparty(input: $input)',
);
export const ARCHIVE_COUNTERPARTY = counterpartyMutation('ArchiveCounterparty', '($id: ID!)', 'archiveCounterparty(id: $id)');
export const RESTORE_COUNTERPARTY = counterpartyMutation('RestoreCounterparty', '($id: ID!)', 'restoreCounterparty(id: $id)');

export type CreateCounterpartyData = { createCounterparty: CounterpartyDetails };
export type UpdateCounterpartyData = { updateCounterparty: CounterpartyDetails };
export type ArchiveCounterpartyData = { archiveCounterparty: CounterpartyDetails };
export type RestoreCounterpartyData = { restoreCounterparty: CounterpartyDetails };
