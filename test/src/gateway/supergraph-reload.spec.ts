import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUPERGRAPH_PATH } from '../../../gateway/src/supergraph-path';
import { CARD_QUERY, CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { startStack, type Stack } from '../support/stack';
import { eventually } from '../support/timing';

/**
 * The gateway takes a new supergraph without a restart (issue #13): it reads its supergraph file again while it
 * serves, swaps a new one in at once, refuses a broken one and goes on serving the previous, and no request of a
 * steady card load fails across the swaps. The supergraph file is replaced as a release would replace it: written
 * beside it and renamed over it.
 */
const ORIGINAL = readFileSync(SUPERGRAPH_PATH, 'utf8');
// the same supergraph without Query.apiKeys (and its description): a release that removed a field
const WITHOUT_API_KEYS = ORIGINAL.replace(/\n( {2}"{3}[^\n]*"{3}\n)? {2}apiKeys: \[ApiKey!\]! @join__field\(graph: IDENTITY\)\n/, '\n');

type SupergraphHealth = { version: string; supergraph: { id: string; subgraphs: { name: string }[]; rejected: { id: string; error: string } | null } };

let stack: Stack;
let dir: string;
let file: string;
let adminToken: string;
let managerToken: string;

const health = async (): Promise<SupergraphHealth> => {
  const response = await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/health/ready'));
  expect(response.status).toBe(200);
  return (await response.json()) as SupergraphHealth;
};

/** Replaces the supergraph file at once (write beside it, rename over it), as a deployment does. */
const release = (sdl: string): void => {
  const next = join(dir, `supergraph.${Date.now()}.tmp`);
  writeFileSync(next, sdl);
  renameSync(next, file);
};

const apiKeysAnswer = async (): Promise<string> => {
  const result = await stack.call<{ apiKeys: unknown[] }>('query { apiKeys { id } }', {}, adminToken);
  return result.errors?.length ? String(result.errors[0].extensions?.code) : 'OK';
};

beforeAll(async () => {
  expect(WITHOUT_API_KEYS).not.toBe(ORIGINAL);
  dir = mkdtempSync(join(tmpdir(), 'kartoteka-supergraph-'));
  file = join(dir, 'supergraph.graphql');
  writeFileSync(file, ORIGINAL);
  stack = await startStack({ production: false, gatewayEnv: { SUPERGRAPH_PATH: file, SUPERGRAPH_POLL_MS: '50' } });
  adminToken = await stack.login('admin@kartoteka.local');
  managerToken = await stack.login('manager@kartoteka.local');
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('swaps a new supergraph in under load, refuses a broken one, and no request fails', async () => {
  const counterpartyId = (await stack.call<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput() }, managerToken)).data!.createCounterparty.id;
  const first = await health();
  expect(first.supergraph.subgraphs.map((subgraph) => subgraph.name).sort()).toEqual(['counterparties', 'deals', 'documents', 'finance', 'identity', 'mailings']);
  expect(first.supergraph.rejected).toBeNull();
  expect(await apiKeysAnswer()).toBe('OK');

  // a steady load of cards from 4 clients while the supergraph changes under it
  const failures: string[] = [];
  let completed = 0;
  let loading = true;
  const client = async (): Promise<void> => {
    while (loading) {
      const result = await stack.call<{ counterparty: { id: string } | null }>(CARD_QUERY, { id: counterpartyId }, managerToken);
      if (result.status !== 200 || result.errors?.length || result.data?.counterparty?.id !== counterpartyId) failures.push(JSON.stringify({ status: result.status, errors: result.errors }));
      completed += 1;
    }
  };
  const clients = Array.from({ length: 4 }, client);
  const servedAfter = async (count: number): Promise<void> => {
    const target = completed + count;
    await eventually(async () => completed >= target, `${count} more cards served`);
  };

  try {
    await servedAfter(20);

    // 1. a release without Query.apiKeys: swapped in, and the field is gone for new requests
    release(WITHOUT_API_KEYS);
    const second = await eventually(async () => {
      const now = await health();
      return now.supergraph.id !== first.supergraph.id ? now : null;
    }, 'the new supergraph served');
    expect(await apiKeysAnswer()).toBe('GRAPHQL_VALIDATION_FAILED');
    await servedAfter(20);

    // 2. a broken file: refused, with its reason; the supergraph served stays the second one
    release('schema { query: Query }\ntype Query {');
    const refused = await eventually(async () => {
      const now = await health();
      return now.supergraph.rejected ? now : null;
    }, 'the broken supergraph refused');
    expect(refused.supergraph.id).toBe(second.supergraph.id);
    expect(refused.supergraph.rejected!.error).toMatch(/\S/);
    expect(await apiKeysAnswer()).toBe('GRAPHQL_VALIDATION_FAILED');
    await servedAfter(20);

    // 3. the original again: swapped back, the refusal forgotten
    release(ORIGINAL);
    await eventually(async () => {
      const now = await health();
      return now.supergraph.id === first.supergraph.id && now.supergraph.rejected === null ? now : null;
    }, 'the original supergraph served again');
    expect(await apiKeysAnswer()).toBe('OK');
    await servedAfter(20);
  } finally {
    loading = false;
    await Promise.all(clients);
  }
  expect(failures).toEqual([]);
  expect(completed).toBeGreaterThanOrEqual(80);
});

it('reports the release and schema hash of every subgraph instance it composes', async () => {
  const response = await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/health/subgraphs'));
  expect(response.status).toBe(200);
  const body = (await response.json()) as { version: string; subgraphs: { name: string; instances: { up: boolean; version: string | null; schemaHash: string | null }[] }[] };
  expect(body.version).toMatch(/\S/);
  expect(body.subgraphs.map((subgraph) => subgraph.name).sort()).toEqual(['counterparties', 'deals', 'documents', 'finance', 'identity', 'mailings']);
  for (const subgraph of body.subgraphs) {
    for (const instance of subgraph.instances) {
      expect(instance).toMatchObject({ up: true });
      expect(instance.version).toMatch(/\S/);
      expect(instance.schemaHash).toMatch(/^[0-9a-f]{16}$/);
    }
  }
});
