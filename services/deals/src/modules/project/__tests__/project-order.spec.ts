import { randomUUID } from 'node:crypto';
import type { Identity } from '@kartoteka/kit';
import { collectPages, demoIdentity, seedCounterpartyRefs, seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { dealsSubgraph } from '../../../subgraph';
import { DealAction } from '../../deal/deal-action.entity';
import { Deal } from '../../deal/deal.entity';

/** The projects list's orders (the portal's sortable columns): every order pages through all rows once, in order. */

const manager: Identity = demoIdentity('manager@kartoteka.local');
let subgraph: TestSubgraph;
let counterpartyId: string;

const LIST = `query($counterpartyId: ID, $orderBy: ProjectOrder, $first: Int!, $after: String) {
  projects(counterpartyId: $counterpartyId, orderBy: $orderBy, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name startDate endDate } }
  }
}`;
type Node = { id: string; name: string; startDate: string | null; endDate: string | null };
type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: Node }[] };

const PROJECTS = [
  { name: 'гамма', startDate: '2026-03-01', endDate: null },
  { name: 'Альфа', startDate: null, endDate: '2026-12-31' },
  { name: 'Дельта', startDate: '2026-01-15', endDate: '2026-02-01' },
  { name: 'бета', startDate: '2026-03-01', endDate: '2026-05-01' },
  { name: 'Вега', startDate: '2026-02-10', endDate: null },
];

beforeAll(async () => {
  subgraph = await startTestSubgraph(dealsSubgraph());
  await seedDemoUserRefs(subgraph.orm.em);
  counterpartyId = randomUUID();
  await seedCounterpartyRefs(subgraph.orm.em, [counterpartyId]);
  for (const project of PROJECTS) {
    const result = await subgraph.request('mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }', { input: { ...project, counterpartyIds: [counterpartyId] } }, manager);
    expect(result.errors).toBeUndefined();
  }
  // another counterparty's project stays out of the filtered list
  const other = randomUUID();
  await seedCounterpartyRefs(subgraph.orm.em, [other]);
  await subgraph.request('mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }', { input: { name: 'Альфа-2', counterpartyIds: [other] } }, manager);
});
afterAll(() => subgraph?.close());

async function all(orderBy: string | null): Promise<Node[]> {
  const collected = await collectPages<Node>(async (after) => {
    const result = await subgraph.request<{ projects: Page }>(LIST, { counterpartyId, orderBy, first: 2, after }, manager);
    expect(result.errors).toBeUndefined();
    return result.data!.projects;
  });
  expect(collected.totalCount).toBe(PROJECTS.length);
  expect(new Set(collected.nodes.map((node) => node.id)).size).toBe(PROJECTS.length);
  return collected.nodes;
}

describe('projects list orders', () => {
  it('sorts by name without regard to case, both ways, across pages', async () => {
    expect((await all('NAME_ASC')).map((node) => node.name)).toEqual(['Альфа', 'бета', 'Вега', 'гамма', 'Дельта']);
    expect((await all('NAME_DESC')).map((node) => node.name)).toEqual(['Дельта', 'гамма', 'Вега', 'бета', 'Альфа']);
  });

  it('sorts by start and end date with the projects without one last, ties in a stable order', async () => {
    const startAsc = await all('START_DATE_ASC');
    expect(startAsc.map((node) => node.startDate)).toEqual(['2026-01-15', '2026-02-10', '2026-03-01', '2026-03-01', null]);
    const startDesc = await all('START_DATE_DESC');
    expect(startDesc.map((node) => node.startDate)).toEqual(['2026-03-01', '2026-03-01', '2026-02-10', '2026-01-15', null]);
    // the tie on 2026-03-01 keeps the same pair, reversed: the keyset includes the id
    expect(startDesc.slice(0, 2).map((node) => node.id)).toEqual(startAsc.slice(2, 4).map((node) => node.id).reverse());
    expect((await all('END_DATE_ASC')).map((node) => node.endDate)).toEqual(['2026-02-01', '2026-05-01', '2026-12-31', null, null]);
    expect((await all('END_DATE_DESC')).map((node) => node.endDate)).toEqual(['2026-12-31', '2026-05-01', '2026-02-01', null, null]);
  });

  it('keeps newest first by default', async () => {
    expect((await all(null)).map((node) => node.name)).toEqual([...PROJECTS].reverse().map((project) => project.name));
  });

  it('hands its documents to the gateway as Document references, in the project\'s order', async () => {
    const em = subgraph.orm.em.fork();
    const deal = em.create(Deal, { title: 'Поставка', counterpartyId, stageKey: 'lead', ownerId: '00000000-0000-4000-8000-000000000002' });
    const documentIds = [randomUUID(), randomUUID()];
    documentIds.forEach((documentId, index) => em.create(DealAction, { dealId: deal.id, stageKey: 'lead', actionKey: `a${index}`, kind: 'SEND_OFFER', title: 'КП', documentId }));
    await em.flush();
    const created = await subgraph.request<{ createProject: { documents: { __typename: string; id: string }[] } }>(
      'mutation($input: CreateProjectInput!) { createProject(input: $input) { documents { __typename id } } }',
      { input: { name: 'С документами', counterpartyIds: [counterpartyId], documentIds: [...documentIds].reverse() } },
      manager,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createProject.documents).toEqual([...documentIds].reverse().map((id) => ({ __typename: 'Document', id })));
  });
});
