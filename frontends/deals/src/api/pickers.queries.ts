import type {
  DealCounterpartyContactsQuery,
  DealCounterpartyOptionsQuery,
  DealStaffOptionsQuery,
  FunnelOwnerNameQuery,
  FunnelOwnerOptionsQuery,
} from './__generated__/pickers';

/**
 * Pickers of the app's pages: staff (documents subgraph), owners (identity's users, the funnel filters),
 * counterparties and their contacts (counterparties subgraph). Documents in pickers.graphql, types generated (`pnpm codegen`).
 */
export {
  DealStaffOptionsDocument as STAFF_OPTIONS,
  DealCounterpartyOptionsDocument as COUNTERPARTY_OPTIONS,
  DealCounterpartyContactsDocument as COUNTERPARTY_CONTACTS,
  FunnelOwnerOptionsDocument as OWNER_OPTIONS,
  FunnelOwnerNameDocument as OWNER_NAME,
} from './__generated__/pickers';

export type StaffData = DealStaffOptionsQuery;
export type StaffMember = StaffData['staff'][number];

export type CounterpartyOptionsData = DealCounterpartyOptionsQuery;
export type CounterpartyOption = CounterpartyOptionsData['counterparties']['edges'][number]['node'];

export type CounterpartyContactsData = DealCounterpartyContactsQuery;
export type CounterpartyContact = NonNullable<CounterpartyContactsData['counterparty']>['contacts'][number];

export type OwnerOptionsData = FunnelOwnerOptionsQuery;
export type OwnerOption = OwnerOptionsData['users']['edges'][number]['node'];
export type OwnerNameData = FunnelOwnerNameQuery;
