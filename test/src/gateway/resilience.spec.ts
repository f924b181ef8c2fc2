import net from 'node:net';
import { startStack, type Stack } from '../support/stack';
import { CARD_QUERY, CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { scaled } from '../support/timing';

let stack: Stack;
afterAll(() => stack?.stop());

describe('a subgraph is down', () => {
  it('still returns the counterparty and the deals, with an error on the missing documents', async () => {
    stack = await startStack();
    const token = await stack.login('manager@kartoteka.local');
    const created = await stack.call<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput() }, token);
    const id = created.data!.createCounterparty.id;

    await stack.subgraphs.documents.stop();

    const card = await stack.call<{ counterparty: { id: string; name: string; documents: unknown; deals: { totalCount: number } | null } }>(CARD_QUERY, { id }, token);
    expect(card.status).toBe(200);
    expect(card.data?.counterparty).toMatchObject({ id, documents: null, deals: { totalCount: 0 } });
    expect(card.data?.counterparty.name).toMatch(/Тестовая Компания/);
    expect(card.errors).toHaveLength(1);
    expect(card.errors?.[0]).toMatchObject({ path: ['counterparty', 'documents'], message: expect.stringMatching(/documents/), extensions: { code: 'SERVICE_UNAVAILABLE', service: 'documents' } });
  });
});

// runs after the test above has stopped the documents subgraph (and created a counterparty)
describe('a subgraph is down under a list', () => {
  it('names the path of every missing part, through aliases and fragments', async () => {
    const token = await stack.login('manager@kartoteka.local');
    const list = await stack.call<{ page: { edges: { node: { id: string; docs: unknown } }[] } }>(
      `query List { page: counterparties(first: 2) { edges { node { ...Row } } } }
       fragment Row on Counterparty { id docs: documents(first: 1) { totalCount } deals(first: 1) { totalCount } }`,
      {},
      token,
    );
    const edges = list.data!.page.edges;
    expect(edges.length).toBeGreaterThan(0);
    expect(edges.every((edge) => edge.node.docs === null)).toBe(true);
    expect(list.errors?.map((error) => error.path)).toEqual(edges.map((_, index) => ['page', 'edges', index, 'node', 'docs']));
  });
});

describe('a subgraph hangs', () => {
  let hanging: Stack;
  let blackHole: net.Server;
  afterAll(async () => {
    await hanging?.stop();
    blackHole?.close();
  });

  it('is cut off by the per-subgraph timeout and the rest of the card still arrives', async () => {
    // accepts connections and never answers
    blackHole = net.createServer(() => undefined);
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const { port } = blackHole.address() as net.AddressInfo;
    // the timeout must cut off the black hole, yet leave the healthy subgraphs time on a busy machine
    hanging = await startStack({ timeoutMs: scaled(5000), gatewayEnv: { DEALS_URL: `http://127.0.0.1:${port}/graphql` } });
    const token = await hanging.login('manager@kartoteka.local');
    const created = await hanging.call<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput() }, token);
    const id = created.data!.createCounterparty.id;

    const card = await hanging.call<{ counterparty: { id: string; documents: { totalCount: number } | null; deals: unknown } }>(CARD_QUERY, { id }, token);
    expect(card.data?.counterparty).toMatchObject({ id, documents: { totalCount: 0 }, deals: null });
    expect(card.errors).toHaveLength(1);
    expect(card.errors?.[0]).toMatchObject({ path: ['counterparty', 'deals'], extensions: { code: 'SERVICE_UNAVAILABLE', service: 'deals' } });
  });
});
