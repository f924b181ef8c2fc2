import { DEMO_USERS } from '@kartoteka/kit';
import { postGraphQL } from '@kartoteka/kit/testing';
import { startStack, SUBGRAPH_NAMES, type Stack, type SubgraphName } from '../support/stack';
import { CARD_QUERY, CREATE_COUNTERPARTY, CREATE_DEAL, CREATE_DOCUMENT, FINANCE_PANEL_QUERY, legalEntityInput } from '../support/fixtures';
import { fetchesPerSubgraph } from '../support/query-plan';
import { daysAgo, sign, storePayment } from '../../../services/finance/src/testing/finance.fixtures';

type Card = {
  counterparty: {
    id: string;
    name: string;
    version: number;
    responsibleManager: { name: string } | null;
    history: { totalCount: number; edges: { node: { action: string; actor: { name: string } | null } }[] };
    documents: { totalCount: number; edges: { node: { title: string; author: { name: string } | null } }[] } | null;
    deals: { totalCount: number; edges: { node: { title: string; owner: { name: string } | null } }[] } | null;
  } | null;
};

const MANAGER = DEMO_USERS.find((user) => user.email === 'manager@kartoteka.local')!;

let stack: Stack;
let managerToken: string;

async function createCounterparty(overrides: Record<string, unknown> = {}): Promise<string> {
  const result = await stack.call<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput(overrides) }, managerToken);
  if (!result.data?.createCounterparty) throw new Error(JSON.stringify(result.errors));
  return result.data.createCounterparty.id;
}

/**
 * Documents and deals of the larger counterparty: three times the card's page of 20, so the lists are cut to a page
 * and a query per item would show in the statement count (`pnpm bench` reads the card on the full dataset; 200 here
 * cost the suite over a minute under load: 400 mutations and their events).
 */
const LARGE = 60;

/**
 * Creates `count` documents and deals of the counterparty through a few parallel clients (the point is how
 * many there are, not a burst: firing dozens at once only measured the machine's speed against a timeout).
 * The mutations go to the gateway without waiting for their events one by one; everything they set in motion
 * (timeline projections, read models) has settled once before the function returns.
 */
async function addDocumentsAndDeals(counterpartyId: string, count: number, clients = 4): Promise<void> {
  const authorization = { authorization: `Bearer ${managerToken}` };
  let next = 0;
  const client = async () => {
    for (let n = ++next; n <= count; n = ++next) {
      const document = await postGraphQL(stack.gatewayUrl, CREATE_DOCUMENT, { input: { type: 'INVOICE', counterpartyId, title: `Счёт № ${n}`, date: '2026-11-01', amountMinor: 100_00 * n, currency: 'RUB', invoice: { dueDate: '2026-11-15' } } }, authorization);
      const deal = await postGraphQL(stack.gatewayUrl, CREATE_DEAL, { input: { title: `Поставка ${n}`, counterpartyId, amountMinor: 1_000_00 * n, currency: 'RUB' } }, authorization);
      if (document.errors || deal.errors) throw new Error(JSON.stringify([document.errors, deal.errors]));
    }
  };
  await Promise.all(Array.from({ length: Math.min(clients, count) }, client));
  await stack.settleAll();
}

/**
 * The SQL a subgraph ran since the last reset for requests, not for its background workers (outbox relay, statement
 * and counterparty import workers, the document generation worker, jobs, the counterparties consumer projecting
 * the timeline from the documents' and deals' events).
 */
const requestStatements = (name: SubgraphName): string[] =>
  stack.queries[name].filter((sql) => !/^(begin|commit|rollback)$|outbox_events|inbox_events|statement_imports|import_jobs|document_generation_requests|pg_try_advisory|timeline_(entries|refs|pending)/.test(sql.trim()));

beforeAll(async () => {
  stack = await startStack();
  managerToken = await stack.login(MANAGER.email);
});
afterAll(() => stack?.stop());

describe('the counterparty card through the gateway', () => {
  it('spans all subgraphs: requisites and history (counterparties), documents, deals, people (identity)', async () => {
    const id = await createCounterparty({ responsibleManagerId: MANAGER.id });
    await addDocumentsAndDeals(id, 2);
    const card = await stack.call<Card>(CARD_QUERY, { id }, managerToken);
    expect(card.errors).toBeUndefined();
    const counterparty = card.data!.counterparty!;
    expect(counterparty.id).toBe(id);
    expect(counterparty.responsibleManager?.name).toBe(MANAGER.name);
    expect(counterparty.history.edges[0].node).toMatchObject({ action: 'CREATED', actor: { name: MANAGER.name } });
    expect(counterparty.documents?.totalCount).toBe(2);
    expect(counterparty.documents?.edges.map((edge) => edge.node.title).sort()).toEqual(['Счёт № 1', 'Счёт № 2']);
    expect(counterparty.documents?.edges[0].node.author?.name).toBe(MANAGER.name);
    expect(counterparty.deals?.totalCount).toBe(2);
    expect(counterparty.deals?.edges[0].node.owner?.name).toBe(MANAGER.name);
  });

  it('runs the same number of SQL statements for 1 and for 60 documents and deals (three pages of the card)', async () => {
    const small = await createCounterparty();
    const large = await createCounterparty();
    await addDocumentsAndDeals(small, 1);
    await addDocumentsAndDeals(large, LARGE);

    const countFor = async (id: string) => {
      stack.resetQueryLog();
      const card = await stack.call<Card>(CARD_QUERY, { id }, managerToken);
      expect(card.errors).toBeUndefined();
      return { card: card.data!.counterparty!, counts: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, requestStatements(name).length])) };
    };
    const one = await countFor(small);
    const many = await countFor(large);
    expect(one.card.documents?.totalCount).toBe(1);
    expect(many.card.documents?.totalCount).toBe(LARGE);
    expect(many.card.documents?.edges).toHaveLength(20);
    expect(many.card.deals?.totalCount).toBe(LARGE);
    expect(many.counts).toEqual(one.counts);
    const total = Object.values(many.counts).reduce((sum, n) => sum + n, 0);
    expect(total).toBeLessThanOrEqual(15);
  });

  it('finance panel: one fetch to finance, and the same SQL statements for 1 and for 40 contracts with their invoices, acts and payments', async () => {
    // the card with the finance panel's fields adds exactly one fetch (to finance) to the card's plan
    const panelFields = FINANCE_PANEL_QUERY.slice(FINANCE_PANEL_QUERY.indexOf('finance {'), FINANCE_PANEL_QUERY.lastIndexOf('}', FINANCE_PANEL_QUERY.lastIndexOf('}') - 1));
    const withPanel = CARD_QUERY.replace(/\n {2}}\n}$/, `\n    ${panelFields}\n  }\n}`);
    const plain = fetchesPerSubgraph(CARD_QUERY);
    expect(fetchesPerSubgraph(withPanel)).toEqual({ ...plain, finance: 1 });

    const finance = stack.subgraphs.finance.orm;
    const withContracts = async (count: number) => {
      const counterpartyId = await createCounterparty();
      for (let n = 0; n < count; n += 1) {
        const contractId = await sign(finance, { documentType: 'CONTRACT', counterpartyId, amountMinor: 300_000_00, date: daysAgo(200), startDate: daysAgo(200) });
        const invoiceId = await sign(finance, { documentType: 'INVOICE', counterpartyId, contractId, amountMinor: 100_000_00, date: daysAgo(60), dueDate: daysAgo(50) });
        await sign(finance, { documentType: 'ACT', counterpartyId, contractId, invoiceId, amountMinor: 100_000_00, date: daysAgo(55) });
        await storePayment(finance, { counterpartyId, contractId, invoiceId, amountMinor: 60_000_00, date: daysAgo(52) });
      }
      return counterpartyId;
    };
    const countFor = async (id: string) => {
      stack.resetQueryLog();
      const panel = await stack.call<{ counterparty: { finance: { contracts: unknown[] }; rating: { factors: { evidence: unknown[] }[] } | null } }>(FINANCE_PANEL_QUERY, { id }, managerToken);
      expect(panel.errors).toBeUndefined();
      return { panel: panel.data!.counterparty, sql: requestStatements('finance').length };
    };
    const one = await countFor(await withContracts(1));
    const many = await countFor(await withContracts(40));
    expect(one.panel.finance.contracts).toHaveLength(1);
    expect(many.panel.finance.contracts).toHaveLength(40);
    expect(many.panel.rating?.factors.length).toBeGreaterThan(0);
    expect(many.sql).toBe(one.sql);
    expect(many.sql).toBeLessThanOrEqual(10);
  });
});

describe('authentication and authorization', () => {
  it('refuses unauthenticated reads', async () => {
    const result = await stack.call('{ counterparties(first: 5) { totalCount } }');
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.data).toBeNull();
  });

  it('refuses a forged or expired token with 401', async () => {
    const result = await stack.call('{ counterparties(first: 5) { totalCount } }', {}, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad');
    expect(result.status).toBe(401);
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses writes by a viewer, in the subgraph that owns the data, and writes nothing', async () => {
    const viewer = await stack.login('viewer@kartoteka.local');
    const before = await stack.call<{ counterparties: { totalCount: number } }>('{ counterparties(first: 1) { totalCount } }', {}, viewer);
    const result = await stack.call(CREATE_COUNTERPARTY, { input: legalEntityInput() }, viewer);
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const after = await stack.call<{ counterparties: { totalCount: number } }>('{ counterparties(first: 1) { totalCount } }', {}, viewer);
    expect(after.data?.counterparties.totalCount).toBe(before.data?.counterparties.totalCount);
  });

  it('accepts a partner API key within its scopes and refuses it once revoked', async () => {
    const admin = await stack.login('admin@kartoteka.local');
    const created = await stack.call<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }',
      { input: { name: 'ERP partner', scopes: ['counterparties:read', 'documents:read'] } },
      admin,
    );
    const { secret, apiKey } = created.data!.createApiKey;
    const id = await createCounterparty();

    const read = await stack.call<Card>('query($id: ID!) { counterparty(id: $id) { id name documents(first: 5) { totalCount } } }', { id }, secret);
    expect(read.errors).toBeUndefined();
    expect(read.data?.counterparty?.id).toBe(id);

    const write = await stack.call(CREATE_COUNTERPARTY, { input: legalEntityInput() }, secret);
    expect(write.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const deals = await stack.call<Card>('query($id: ID!) { counterparty(id: $id) { id deals(first: 5) { totalCount } } }', { id }, secret);
    expect(deals.data?.counterparty?.deals).toBeNull();
    expect(deals.errors?.[0]).toMatchObject({ path: ['counterparty', 'deals'], extensions: { code: 'FORBIDDEN' } });

    await stack.call('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: apiKey.id }, admin);
    const revoked = await stack.call('{ counterparties(first: 1) { totalCount } }', {}, secret);
    expect(revoked.status).toBe(401);
    expect(revoked.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a direct call to a subgraph without the gateway secret', async () => {
    for (const name of SUBGRAPH_NAMES) {
      const result = await postGraphQL(stack.subgraphs[name].url, '{ __typename }', {}, { authorization: `Bearer ${managerToken}` });
      expect(result.status).toBe(401);
    }
    // the token of one subgraph is useless against another
    const { signGatewayToken, GATEWAY_TOKEN_HEADER, userIdentity } = await import('@kartoteka/kit');
    const token = await signGatewayToken(userIdentity(MANAGER.id, MANAGER.name, ['MANAGER']), 'documents', stack.subgraphs.documents.secret, 'x');
    const crossed = await postGraphQL(stack.subgraphs.counterparties.url, '{ counterparties(first: 1) { totalCount } }', {}, { [GATEWAY_TOKEN_HEADER]: token });
    expect(crossed.status).toBe(401);
  });
});

describe('input errors and concurrency', () => {
  it('returns BAD_USER_INPUT with the field for an invalid INN and writes nothing', async () => {
    const before = await stack.call<{ counterparties: { totalCount: number } }>('{ counterparties(first: 1) { totalCount } }', {}, managerToken);
    const input = legalEntityInput();
    const result = await stack.call(CREATE_COUNTERPARTY, { input: { ...input, inn: `${String(input.inn).slice(0, 9)}${(Number(String(input.inn)[9]) + 1) % 10}` } }, managerToken);
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'inn' } });
    expect(result.errors?.[0].message).toMatch(/INN/);
    const after = await stack.call<{ counterparties: { totalCount: number } }>('{ counterparties(first: 1) { totalCount } }', {}, managerToken);
    expect(after.data?.counterparties.totalCount).toBe(before.data?.counterparties.totalCount);
  });

  it('returns CONFLICT for a stale version and keeps the newer data', async () => {
    const id = await createCounterparty();
    const update = 'mutation($input: UpdateCounterpartyInput!) { updateCounterparty(input: $input) { id name version } }';
    const first = await stack.call<{ updateCounterparty: { version: number } }>(update, { input: { id, version: 1, name: 'ООО «Первая правка»' } }, managerToken);
    expect(first.errors).toBeUndefined();
    expect(first.data?.updateCounterparty.version).toBe(2);
    const stale = await stack.call(update, { input: { id, version: 1, name: 'ООО «Устаревшая правка»' } }, managerToken);
    expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
    const card = await stack.call<Card>('query($id: ID!) { counterparty(id: $id) { name version } }', { id }, managerToken);
    expect(card.data?.counterparty).toMatchObject({ name: 'ООО «Первая правка»', version: 2 });
  });
});
