import type { TestSubgraph } from '@kartoteka/kit/testing';
import { fillStaffFromDemoUsers } from '../../staff/staff.fixtures';

export { COUNTERPARTY_ID, idOf, manager, ok, storedFile } from '../../approval/__tests__/approval.fixtures';

export const fillStaffFromDemo = (subgraph: TestSubgraph): Promise<void> => fillStaffFromDemoUsers(subgraph.orm.em.fork());
