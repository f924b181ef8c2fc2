import { randomUUID } from 'node:crypto';
import { apiKeyIdentity, type EventPayload, projectNewsContract, type Identity } from '@kartoteka/kit';
import { collectPages, demoIdentity, seedCounterpartyRefs, seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { dealsSubgraph } from '../../../subgraph';
import { DealAction } from '../../deal/deal-action.entity';
import { Deal } from '../../deal/deal.entity';

const MANAGER_ID = '00000000-0000-4000-8000-000000000002';
const SALES_ID = '00000000-0000-4000-8000-000000000003';
const LAWYER_ID = '00000000-0000-4000-8000-000000000004';
const manager: Identity = demoIdentity('manager@kartoteka.local');
const director: Identity = demoIdentity('director@kartoteka.local');
const viewer: Identity = demoIdentity('viewer@kartoteka.local');
const lawyer: Identity = demoIdentity('approver@kartoteka.local');
const dealsPartner: Identity = apiKeyIdentity('00000000-0000-4000-8000-00000000bbbb', 'ERP', ['deals:read', 'deals:write']);

let subgraph: TestSubgraph;
let statements: string[] = [];

beforeAll(async () => {
  subgraph = await startTestSubgraph(dealsSubgraph(), { onQuery: (sql) => statements.push(sql) });
  await seedDemoUserRefs(subgraph.orm.em);
});
afterAll(() => subgraph?.close());

const FIELDS = `id name code status startDate endDate description counterpartyIds dealIds documentIds version
  budget { minor currency } counterparties { id } team { userId role user { id } } deals { id title } createdBy { id }
  history(first: 10) { totalCount edges { node { kind actor { id } changes { field from to } } } }`;
const CREATE = `mutation($input: CreateProjectInput!) { createProject(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($input: UpdateProjectInput!) { updateProject(input: $input) { ${FIELDS} } }`;
const LIST = `query($status: ProjectStatus, $counterpartyId: ID, $memberId: ID, $search: String, $first: Int!, $after: String) {
  projects(status: $status, counterpartyId: $counterpartyId, memberId: $memberId, search: $search, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } }
  }
}`;
const PANEL = `query($r: [_Any!]!, $first: Int!) { _entities(representations: $r) { ... on Counterparty { id projects(first: $first) { totalCount edges { node { id name } } } } } }`;

type ProjectData = {
  id: string;
  name: string;
  status: string;
  version: number;
  counterpartyIds: string[];
  dealIds: string[];
  documentIds: string[];
  budget: { minor: number; currency: string } | null;
  team: { userId: string; role: string; user: { id: string } }[];
  deals: { id: string; title: string }[];
  createdBy: { id: string } | null;
  history: { totalCount: number; edges: { node: { kind: string; actor: { id: string } | null; changes: { field: string; from: unknown; to: unknown }[] } }[] };
};

async function knownCounterparties(count: number, status = 'CLIENT'): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await seedCounterpartyRefs(subgraph.orm.em, ids.map((id) => ({ id, status })));
  return ids;
}

/** A deal of this service, and a document it knows of (from documents' answer to one of its actions). */
async function dealWithDocument(counterpartyId: string): Promise<{ dealId: string; documentId: string }> {
  const em = subgraph.orm.em.fork();
  const deal = em.create(Deal, { title: 'Поставка', counterpartyId, stageKey: 'lead', ownerId: MANAGER_ID });
  const documentId = randomUUID();
  em.create(DealAction, { dealId: deal.id, stageKey: 'lead', actionKey: 'offer', kind: 'SEND_OFFER', title: 'КП', documentId });
  await em.flush();
  return { dealId: deal.id, documentId };
}

async function projectRows(): Promise<number> {
  const [row] = await subgraph.orm.em.fork().getConnection().execute<{ n: number }[]>('select (select count(*) from projects) + (select count(*) from project_changes) as n');
  return Number(row.n);
}

describe('projects', () => {
  it('creates a project with counterparties, a team, a budget, deals and documents; the creator leads by default', async () => {
    const [first, second] = await knownCounterparties(2);
    const { dealId, documentId } = await dealWithDocument(first);
    const result = await subgraph.request<{ createProject: ProjectData }>(CREATE, {
      input: {
        name: '  Внедрение ЭДО  ', code: 'ПР-1', status: 'ACTIVE', startDate: '2026-01-10', endDate: '2026-06-30', counterpartyIds: [first, second.toUpperCase()],
        team: [{ userId: SALES_ID, role: 'LEAD' }, { userId: LAWYER_ID }], budgetMinor: 1_500_000_00, dealIds: [dealId], documentIds: [documentId],
      },
    }, manager);
    expect(result.errors).toBeUndefined();
    const project = result.data!.createProject;
    expect(project).toMatchObject({
      name: 'Внедрение ЭДО', status: 'ACTIVE', version: 1, counterpartyIds: [first, second], dealIds: [dealId], documentIds: [documentId],
      budget: { minor: 1_500_000_00, currency: 'RUB' }, deals: [{ id: dealId, title: 'Поставка' }], createdBy: { id: MANAGER_ID },
      team: [{ userId: SALES_ID, role: 'LEAD', user: { id: SALES_ID } }, { userId: LAWYER_ID, role: 'MEMBER', user: { id: LAWYER_ID } }],
    });
    expect(project.history).toMatchObject({ totalCount: 1, edges: [{ node: { kind: 'CREATED', actor: { id: MANAGER_ID } } }] });
    // the event carries the linked documents: finance computes the project's actuals from them
    const [news] = await subgraph.orm.em.fork().getConnection().execute<{ payload: EventPayload }[]>("select payload from outbox_events where topic = 'deals.project.created' and payload->>'projectId' = ?", [project.id]);
    const parsed = projectNewsContract.parse({ payload: news.payload });
    expect(parsed.ok && parsed.value.documentIds).toEqual([documentId]);

    const minimal = await subgraph.request<{ createProject: ProjectData }>(CREATE, { input: { name: 'Аудит', counterpartyIds: [first] } }, director);
    expect(minimal.errors).toBeUndefined();
    expect(minimal.data!.createProject).toMatchObject({ status: 'PLANNED', budget: null, team: [{ userId: '00000000-0000-4000-8000-000000000005', role: 'LEAD' }] });
  });

  it('refuses bad references with a typed error on the field and writes nothing', async () => {
    const [known] = await knownCounterparties(1);
    const [archived] = await knownCounterparties(1, 'ARCHIVED');
    const before = await projectRows();
    const cases: [Record<string, unknown>, string][] = [
      [{ counterpartyIds: [randomUUID()] }, 'counterpartyIds'],
      [{ counterpartyIds: [archived] }, 'counterpartyIds'],
      [{ counterpartyIds: [] }, 'counterpartyIds'],
      [{ team: [{ userId: randomUUID() }] }, 'team'],
      [{ team: [{ userId: SALES_ID }, { userId: SALES_ID, role: 'LEAD' }] }, 'team'],
      [{ dealIds: [randomUUID()] }, 'dealIds'],
      [{ documentIds: [randomUUID()] }, 'documentIds'],
      [{ startDate: '2026-05-01', endDate: '2026-04-30' }, 'endDate'],
      [{ startDate: '2026-02-30' }, 'startDate'],
      [{ name: '   ' }, 'name'],
      [{ budgetMinor: -1 }, 'budgetMinor'],
    ];
    for (const [patch, field] of cases) {
      const result = await subgraph.request(CREATE, { input: { name: 'Проект', counterpartyIds: [known], ...patch } }, manager);
      expect({ patch, error: result.errors?.[0]?.extensions }).toMatchObject({ patch, error: { code: 'BAD_USER_INPUT', field } });
    }
    const refused = await subgraph.request(CREATE, { input: { name: 'Проект', counterpartyIds: [known] } }, viewer);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const partner = await subgraph.request(CREATE, { input: { name: 'Проект', counterpartyIds: [known] } }, dealsPartner);
    expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await projectRows()).toBe(before);
  });

  it('updates with optimistic locking and records who changed what', async () => {
    const [first, second] = await knownCounterparties(2);
    const created = (await subgraph.request<{ createProject: ProjectData }>(CREATE, { input: { name: 'Переезд', counterpartyIds: [first] } }, manager)).data!.createProject;
    const updated = await subgraph.request<{ updateProject: ProjectData }>(UPDATE, {
      input: { id: created.id, version: created.version, status: 'ON_HOLD', counterpartyIds: [first, second], team: [{ userId: MANAGER_ID, role: 'LEAD' }, { userId: SALES_ID }], budgetMinor: 100 },
    }, director);
    expect(updated.errors).toBeUndefined();
    const project = updated.data!.updateProject;
    expect(project).toMatchObject({ status: 'ON_HOLD', version: 2, counterpartyIds: [first, second], budget: { minor: 100, currency: 'RUB' } });
    const change = project.history.edges[0].node;
    expect(change.kind).toBe('UPDATED');
    expect(change.actor).toEqual({ id: '00000000-0000-4000-8000-000000000005' });
    expect(change.changes.map((item) => item.field).sort()).toEqual(['budgetCurrency', 'budgetMinor', 'counterpartyIds', 'status', 'team']);
    expect(change.changes.find((item) => item.field === 'status')).toEqual({ field: 'status', from: 'PLANNED', to: 'ON_HOLD' });

    const stale = await subgraph.request(UPDATE, { input: { id: created.id, version: created.version, name: 'Другое' } }, manager);
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    const missing = await subgraph.request(UPDATE, { input: { id: randomUUID(), version: 1, name: 'Другое' } }, manager);
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const badEnd = await subgraph.request(UPDATE, { input: { id: created.id, version: 2, startDate: '2026-03-01', endDate: '2026-02-01' } }, manager);
    expect(badEnd.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'endDate' });
    const unchanged = (await subgraph.request<{ project: ProjectData }>(`query($id: ID!) { project(id: $id) { ${FIELDS} } }`, { id: created.id }, viewer)).data!.project;
    expect(unchanged).toMatchObject({ name: 'Переезд', version: 2 });
    expect(unchanged.history.totalCount).toBe(2);
  });

  it('lists by status, counterparty, member and search, page by page', async () => {
    const [counterparty] = await knownCounterparties(1);
    const names = ['Альфа', 'Бета', 'Гамма', 'Дельта', 'Эпсилон'];
    for (const [index, name] of names.entries()) {
      const team = index % 2 === 0 ? [{ userId: LAWYER_ID }] : [{ userId: SALES_ID }];
      const result = await subgraph.request(CREATE, { input: { name: `Проект ${name}`, code: `K-${index}`, counterpartyIds: [counterparty], team, status: index < 2 ? 'COMPLETED' : 'ACTIVE' } }, manager);
      expect(result.errors).toBeUndefined();
    }
    type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: { id: string; name: string } }[] };
    const all = await collectPages(async (after) => (await subgraph.request<{ projects: Page }>(LIST, { counterpartyId: counterparty, first: 2, after }, viewer)).data!.projects);
    expect(all.totalCount).toBe(5);
    expect(all.nodes.map((node) => node.name)).toEqual(names.map((name) => `Проект ${name}`).reverse());
    const byMember = (await subgraph.request<{ projects: Page }>(LIST, { counterpartyId: counterparty, memberId: LAWYER_ID, first: 10 }, viewer)).data!.projects;
    expect(byMember.edges.map((edge) => edge.node.name)).toEqual(['Проект Эпсилон', 'Проект Гамма', 'Проект Альфа']);
    const byStatus = (await subgraph.request<{ projects: Page }>(LIST, { counterpartyId: counterparty, status: 'COMPLETED', first: 10 }, viewer)).data!.projects;
    expect(byStatus.totalCount).toBe(2);
    const bySearch = (await subgraph.request<{ projects: Page }>(LIST, { search: 'k-3', first: 10, counterpartyId: counterparty }, viewer)).data!.projects;
    expect(bySearch.edges.map((edge) => edge.node.name)).toEqual(['Проект Дельта']);
    const badCursor = await subgraph.request(LIST, { first: 2, after: 'nope' }, viewer);
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('the card\'s projects panel costs one SQL statement whatever the number of projects and cards', async () => {
    const [none, one, many] = await knownCounterparties(3);
    await subgraph.request(CREATE, { input: { name: 'Один', counterpartyIds: [one] } }, manager);
    for (let i = 0; i < 25; i += 1) await subgraph.request(CREATE, { input: { name: `Много ${i}`, counterpartyIds: [many, one] } }, manager);
    type Panel = { id: string; projects: { totalCount: number; edges: { node: { id: string; name: string } }[] } | null };
    const measure = async (ids: string[]) => {
      statements = [];
      const result = await subgraph.request<{ _entities: Panel[] }>(PANEL, { r: ids.map((id) => ({ __typename: 'Counterparty', id })), first: 10 }, viewer);
      expect(result.errors).toBeUndefined();
      return { count: statements.length, entities: result.data!._entities };
    };
    const single = await measure([one]);
    expect(single.count).toBe(1);
    expect(single.entities[0].projects?.totalCount).toBe(26);
    const three = await measure([none, one, many]);
    expect(three.count).toBe(1);
    expect(three.entities.map((entity) => [entity.projects?.totalCount, entity.projects?.edges.length])).toEqual([[0, 0], [26, 10], [25, 10]]);
    expect(three.entities[2].projects?.edges[0].node.name).toBe('Много 24');
  });

  it('reads need projects:read: a partner key without it gets FORBIDDEN on the panel, not a blank card', async () => {
    const [counterparty] = await knownCounterparties(1);
    const result = await subgraph.request<{ _entities: unknown[] }>(PANEL, { r: [{ __typename: 'Counterparty', id: counterparty }], first: 5 }, dealsPartner);
    expect(result.data?._entities).toEqual([{ id: counterparty, projects: null }]);
    expect(result.errors?.[0]).toMatchObject({ path: ['_entities', 0, 'projects'], extensions: { code: 'FORBIDDEN' } });
    const lawyerRead = await subgraph.request(LIST, { first: 1 }, lawyer);
    expect(lawyerRead.errors).toBeUndefined();
  });
});
