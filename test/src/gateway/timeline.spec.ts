import { DEMO_USERS } from '@kartoteka/kit';
import { CREATE_COUNTERPARTY, CREATE_DOCUMENT, legalEntityInput } from '../support/fixtures';
import { checkPublishedEvents } from '../support/event-contracts';
import { startStack, type Stack } from '../support/stack';
import { scaled } from '../support/timing';

/**
 * The counterparty timeline through the gateway (issue 11): what a manager does in counterparties, documents and
 * deals reaches the card's one feed as domain events (outbox → bus → the counterparties consumer), newest first,
 * filtered by kind, paged; and the histories' hash chains verify for an administrator only.
 */
let stack: Stack;
let managerToken: string;
let adminToken: string;
let viewerToken: string;

beforeAll(async () => {
  stack = await startStack();
  [managerToken, adminToken, viewerToken] = await Promise.all(['manager@kartoteka.local', 'admin@kartoteka.local', 'viewer@kartoteka.local'].map((email) => stack.login(email)));
});
afterAll(() => stack?.stop());

const MANAGER = DEMO_USERS.find((user) => user.email === 'manager@kartoteka.local')!;

type Entry = { id: string; kind: string; subjectType: string; subjectId: string; subjectTitle: string | null; source: string; summary: Record<string, unknown>; actor: { name: string } | null };
type Timeline = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: Entry }[] };

const TIMELINE = `query($id: ID!, $first: Int, $after: String, $kinds: [TimelineKind!]) {
  counterparty(id: $id) { id timeline(first: $first, after: $after, kinds: $kinds) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id kind subjectType subjectId subjectTitle source summary actor { name } } } } } }`;

async function gql<T>(query: string, variables: Record<string, unknown>, token = managerToken): Promise<T> {
  const result = await stack.call<T>(query, variables, token);
  if (result.errors?.length || !result.data) throw new Error(JSON.stringify(result.errors));
  return result.data;
}

async function eventually<T>(probe: () => Promise<T | null>, describe: () => unknown = () => null, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + scaled(timeoutMs);
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`condition not met before the deadline: ${JSON.stringify(describe())}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function timeline(id: string, variables: Record<string, unknown> = {}, token = managerToken): Promise<Timeline> {
  return (await gql<{ counterparty: { timeline: Timeline } }>(TIMELINE, { id, ...variables }, token)).counterparty.timeline;
}

describe('the counterparty timeline through the gateway', () => {
  it('shows requisites, documents, deals and tasks of the counterparty from every service, filtered and paged', async () => {
    const { createCounterparty } = await gql<{ createCounterparty: { id: string; version: number } }>(CREATE_COUNTERPARTY, { input: legalEntityInput() });
    const id = createCounterparty.id;
    await gql('mutation($input: UpdateCounterpartyInput!) { updateCounterparty(input: $input) { id } }', { input: { id, version: createCounterparty.version, postalAddress: '190000, Санкт-Петербург, Невский пр., 1' } });

    // documents and deals learn of the counterparty through its event first
    let last: unknown = null;
    const document = await eventually(async () => {
      const result = await stack.call<{ createDocument: { id: string } }>(CREATE_DOCUMENT, { input: { type: 'OUTGOING_LETTER', counterpartyId: id, title: 'Письмо о сверке' } }, managerToken);
      last = result.errors;
      return result.data?.createDocument ?? null;
    }, () => last);
    const deal = await eventually(async () => {
      const result = await stack.call<{ createDeal: { id: string; version: number } }>('mutation($input: CreateDealInput!) { createDeal(input: $input) { id version } }', { input: { title: 'Поставка оборудования', counterpartyId: id } }, managerToken);
      last = result.errors;
      return result.data?.createDeal ?? null;
    }, () => last);
    await gql('mutation($input: MoveDealInput!) { moveDeal(input: $input) { id } }', { input: { id: deal.id, version: deal.version, stageKey: 'lost', closeReason: 'Бюджет заморожен' } });
    const task = await gql<{ createTask: { id: string } }>('mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }', { input: { title: 'Вернуться к сделке в марте', dealId: deal.id } });

    const EXPECTED = ['TASK_CREATED', 'DEAL_LOST', 'DEAL_CREATED', 'DOCUMENT_CREATED', 'REQUISITES_CHANGED', 'REQUISITES_CHANGED'];
    const feed = await eventually(async () => {
      const page = await timeline(id);
      last = page.edges.map((edge) => edge.node.kind);
      // the edges, not totalCount: an entry projected between the page's two statements is counted but not listed
      return page.edges.length >= EXPECTED.length ? page : null;
    }, () => last);
    expect([...feed.edges.map((edge) => edge.node.kind)].sort()).toEqual([...EXPECTED].sort());
    const byKind = (kind: string) => feed.edges.find((edge) => edge.node.kind === kind)!.node;
    expect(byKind('DOCUMENT_CREATED')).toMatchObject({ subjectType: 'DOCUMENT', subjectId: document.id, subjectTitle: 'Письмо о сверке', source: 'documents', actor: { name: MANAGER.name } });
    expect(byKind('DEAL_LOST')).toMatchObject({ subjectType: 'DEAL', subjectId: deal.id, source: 'deals', summary: { closeReason: 'Бюджет заморожен' }, actor: { name: MANAGER.name } });
    expect(byKind('TASK_CREATED')).toMatchObject({ subjectType: 'TASK', subjectId: task.createTask.id, subjectTitle: 'Вернуться к сделке в марте' });

    const deals = await timeline(id, { kinds: ['DEAL_CREATED', 'DEAL_STAGE_MOVED', 'DEAL_WON', 'DEAL_LOST'] });
    expect(deals.edges.map((edge) => edge.node.kind)).toEqual(['DEAL_LOST', 'DEAL_CREATED']);

    const first = await timeline(id, { first: 4 });
    const rest = await timeline(id, { first: 4, after: first.pageInfo.endCursor });
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect([...first.edges, ...rest.edges].map((edge) => edge.node.id)).toEqual(feed.edges.map((edge) => edge.node.id));

    // a viewer reads it too; bad arguments are typed errors
    expect((await timeline(id, {}, viewerToken)).totalCount).toBe(feed.totalCount);
    const refused = await stack.call(TIMELINE, { id, first: 0 }, managerToken);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const badCursor = await stack.call(TIMELINE, { id, after: 'nonsense' }, managerToken);
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('verifies the counterparty and deal histories for an administrator, and refuses everyone else', async () => {
    const VERIFY = '{ verifyCounterpartyHistory { valid checkedCount reason } verifyDealHistory { valid checkedCount reason } }';
    const verified = await gql<{ verifyCounterpartyHistory: { valid: boolean; checkedCount: number }; verifyDealHistory: { valid: boolean; checkedCount: number } }>(VERIFY, {}, adminToken);
    expect(verified.verifyCounterpartyHistory).toMatchObject({ valid: true, reason: null });
    expect(verified.verifyCounterpartyHistory.checkedCount).toBeGreaterThan(0);
    expect(verified.verifyDealHistory).toMatchObject({ valid: true, reason: null });
    const denied = await stack.call(VERIFY, {}, managerToken);
    expect(denied.errors?.map((error) => error.extensions?.code)).toEqual(expect.arrayContaining(['FORBIDDEN']));
  });
});

it('every event the scenario published parses with the contract its consumers read it with (each producer/consumer pair)', async () => {
  await stack.settle();
  const report = await checkPublishedEvents(stack);
  expect(report.violations).toEqual([]);
  expect(report.pairs.length).toBeGreaterThanOrEqual(8);
});
