import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { startStack, type Stack } from '../support/stack';

/**
 * The runnable partner example (gateway/examples/partner-client.mjs, issue #13) against a running stack, with a
 * real API key: it pages every counterparty (three pages of 20), reads a card and registers a letter;
 * run again, it finds the letter instead of creating a second one; a key without documents:write is refused.
 */
const run = promisify(execFile);
const EXAMPLE = join(__dirname, '..', '..', '..', 'gateway', 'examples', 'partner-client.mjs');

let stack: Stack;
let admin: string;

beforeAll(async () => {
  stack = await startStack({ production: true });
  admin = await stack.login('admin@kartoteka.local');
});
afterAll(() => stack?.stop());

async function apiKey(scopes: string[]): Promise<string> {
  const result = await stack.call<{ createApiKey: { secret: string } }>('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { name: `ERP ${scopes.join(' ')}`, scopes } }, admin);
  expect(result.errors).toBeUndefined();
  return result.data!.createApiKey.secret;
}

const example = (key: string, args: string[] = []) => run(process.execPath, [EXAMPLE, ...args], { env: { ...process.env, KARTOTEKA_API_URL: stack.gatewayUrl, KARTOTEKA_API_KEY: key, KARTOTEKA_PAGE_SIZE: '20' } });

it('pages counterparties, reads a card, registers a letter once, and reports a refused scope', async () => {
  const manager = await stack.login('manager@kartoteka.local');
  const created: { id: string; inn: string }[] = [];
  for (let index = 0; index < 45; index += 1) {
    const result = await stack.call<{ createCounterparty: { id: string; inn: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput() }, manager);
    created.push(result.data!.createCounterparty);
  }
  const { totalCount } = (await stack.call<{ counterparties: { totalCount: number } }>('query { counterparties(first: 1) { totalCount } }', {}, manager)).data!.counterparties;
  expect(totalCount).toBeGreaterThan(40);

  const key = await apiKey(['counterparties:read', 'documents:read', 'documents:write']);
  const first = JSON.parse((await example(key)).stdout) as { counterparties: number; card: { id: string; name: string }; letter: { id: string; number: string; created: boolean } };
  expect(first.counterparties).toBe(totalCount);
  expect(first.card.name).toMatch(/\S/);
  expect(first.letter).toMatchObject({ created: true });

  // run again: the letter is found by its reference, not created twice
  const second = JSON.parse((await example(key)).stdout) as typeof first;
  expect(second.letter).toMatchObject({ id: first.letter.id, created: false });
  const letters = await stack.call<{ counterparty: { documents: { totalCount: number } } }>('query($id: ID!) { counterparty(id: $id) { documents(first: 10) { totalCount } } }', { id: first.card.id }, manager);
  expect(letters.data!.counterparty.documents.totalCount).toBe(1);

  // a key that may only read: the example stops with the API's typed error (for a counterparty without the letter)
  const readOnly = await apiKey(['counterparties:read', 'documents:read']);
  const other = created.find((counterparty) => counterparty.id !== first.card.id)!;
  const refused = await example(readOnly, [other.inn]).then(
    () => null,
    (error: { code: number; stderr: string }) => error,
  );
  expect(refused).not.toBeNull();
  expect(refused!.code).toBe(1);
  expect(refused!.stderr).toMatch(/API error: FORBIDDEN/);
});
