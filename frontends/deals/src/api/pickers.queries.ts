import { gql } from '@apollo/client/core';

/** Pickers of the deal pages: staff (documents subgraph), counterparties and their contacts (counterparties subgraph). */

export type StaffMember = { id: string; name: string; email: string; roles: string[] };
export type StaffData = { staff: StaffMember[] };
export const STAFF_OPTIONS = gql`
  query DealStaffOptions($search: String, $first: Int!) {
    staff(search: $search, first: $first) {
      id
      name
      email
      roles
    }
  }
`;

export type CounterpartyOption = { id: string; name: string; shortName: string | null; inn: string | null };
export type CounterpartyOptionsData = { counterparties: { edges: { node: CounterpartyOption }[] } };
export const COUNTERPARTY_OPTIONS = gql`
  query DealCounterpartyOptions($search: String) {
    counterparties(first: 20, search: $search) {
      edges {
        node {
          id
          name
          shortName
          inn
        }
      }
    }
  }
`;

export type CounterpartyContact = { id: string; name: string; position: string | null; email: string | null; phone: string | null };
export type CounterpartyContactsData = {
  counterparty: (CounterpartyOption & { contacts: CounterpartyContact[] }) | null;
};
export const COUNTERPARTY_CONTACTS = gql`
  query DealCounterpartyContacts($id: ID!) {
    counterparty(id: $id) {
      id
      name
      shortName
      inn
      contacts {
        id
        name
        position
        email
        phone
      }
    }
  }
`;
