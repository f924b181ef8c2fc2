import { gql } from '@apollo/client/core';
import type {
  Connection,
  CounterpartyChange,
  CounterpartyDetails,
  CounterpartyKind,
  CounterpartyListItem,
  CounterpartyStatus,
  UserRef,
} from '../model/counterparty.types';

/** This app's slice of the graph: counterparties and their requisites (the counterparties subgraph). */

const COUNTERPARTY_DETAILS = gql`
  fragment CounterpartyDetails on Counterparty {
    id
    name
    shortName
    kind
    status
    inn
    kpp
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
    }
    responsibleManager {
      id
      name
      email
    }
  }
`;

export const PAGE_SIZE = 20;
export const HISTORY_PAGE_SIZE = 20;

export const COUNTERPARTY_LIST = gql`
  query CounterpartyList($search: String, $status: CounterpartyStatus, $first: Int!, $after: String) {
    counterparties(search: $search, status: $status, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
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
      }
    }
  }
`;

export type CounterpartyListData = { counterparties: Connection<CounterpartyListItem> & { totalCount: number } };
export type CounterpartyListVars = {
  search: string | null;
  status: CounterpartyStatus | null;
  first: number;
  after?: string | null;
};

export const COUNTERPARTY_CARD = gql`
  query CounterpartyCard($id: ID!, $historyFirst: Int!, $historyAfter: String) {
    counterparty(id: $id) {
      ...CounterpartyDetails
      history(first: $historyFirst, after: $historyAfter) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
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
        }
      }
    }
  }
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

export type ContactInput = { name: string; position: string | null; email: string | null; phone: string | null };

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

export const CREATE_COUNTERPARTY = gql`
  mutation CreateCounterparty($input: CreateCounterpartyInput!) {
    createCounterparty(input: $input) {
      ...CounterpartyDetails
    }
  }
  ${COUNTERPARTY_DETAILS}
`;

export const UPDATE_COUNTERPARTY = gql`
  mutation UpdateCounterparty($input: UpdateCounterpartyInput!) {
    updateCounterparty(input: $input) {
      ...CounterpartyDetails
    }
  }
  ${COUNTERPARTY_DETAILS}
`;

export const ARCHIVE_COUNTERPARTY = gql`
  mutation ArchiveCounterparty($id: ID!) {
    archiveCounterparty(id: $id) {
      ...CounterpartyDetails
    }
  }
  ${COUNTERPARTY_DETAILS}
`;

export const RESTORE_COUNTERPARTY = gql`
  mutation RestoreCounterparty($id: ID!) {
    restoreCounterparty(id: $id) {
      ...CounterpartyDetails
    }
  }
  ${COUNTERPARTY_DETAILS}
`;

export type CreateCounterpartyData = { createCounterparty: CounterpartyDetails };
export type UpdateCounterpartyData = { updateCounterparty: CounterpartyDetails };
export type ArchiveCounterpartyData = { archiveCounterparty: CounterpartyDetails };
export type RestoreCounterpartyData = { restoreCounterparty: CounterpartyDetails };
