#!/usr/bin/env node
/**
 * A partner system's client of the Kartoteka API: pages every counterparty, reads one counterparty's card, and
 * registers an incoming letter for it. Plain Node.js 20 (fetch), no dependencies. Run:
 *
 *   KARTOTEKA_API_URL=https://crm.example.ru/graphql KARTOTEKA_API_KEY=ktk_… node partner-client.mjs [INN]
 *
 * The key needs the scopes counterparties:read, documents:read and documents:write. It prints one JSON line with
 * what it did. The guide, gateway/docs/partner-guide.md, explains every rule it follows.
 */
const API_URL = process.env.KARTOTEKA_API_URL ?? 'http://127.0.0.1:4000/graphql';
const API_KEY = process.env.KARTOTEKA_API_KEY;
/** Page size, 1..100 (the API's limit). */
const PAGE_SIZE = Number(process.env.KARTOTEKA_PAGE_SIZE ?? 100);
if (!API_KEY) {
  console.error('Set KARTOTEKA_API_KEY to a partner API key (ktk_…).');
  process.exit(2);
}

export class ApiError extends Error {
  constructor(errors, status) {
    super(errors.map((error) => `${error.extensions?.code ?? 'ERROR'}${error.extensions?.field ? ` (${error.extensions.field})` : ''}: ${error.message}`).join('; '));
    this.errors = errors;
    this.status = status;
    this.code = errors[0]?.extensions?.code;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One GraphQL call. Queries are safe to repeat: on 429 (rate limit) the call waits for Retry-After, on 503 or a
 * network failure it retries with backoff. A mutation is sent once: if its answer is lost, read back before
 * sending it again (see registerLetter).
 */
export async function call(query, variables = {}, { retries = 4, mutation = /^\s*mutation\b/.test(query) } = {}) {
  for (let attempt = 0; ; attempt += 1) {
    let response;
    try {
      response = await fetch(API_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      if (mutation || attempt >= retries) throw error;
      await sleep(500 * 2 ** attempt);
      continue;
    }
    if (response.status === 429 && attempt < retries) {
      await sleep(Number(response.headers.get('retry-after') ?? '1') * 1000);
      continue;
    }
    const body = await response.json();
    const unavailable = body.errors?.some((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE');
    if (unavailable && !mutation && attempt < retries) {
      await sleep(500 * 2 ** attempt);
      continue;
    }
    if (body.errors?.length) throw new ApiError(body.errors, response.status);
    return body.data;
  }
}

/** Every counterparty, page by page: `first` up to 100, `after` the last page's endCursor, until hasNextPage is false. */
export async function* allCounterparties(search) {
  let after = null;
  do {
    const { counterparties } = await call(
      `query Counterparties($first: Int!, $after: String, $search: String) {
        counterparties(first: $first, after: $after, search: $search) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { node { id name inn kpp status } }
        }
      }`,
      { first: PAGE_SIZE, after, search },
    );
    for (const edge of counterparties.edges) yield edge.node;
    after = counterparties.pageInfo.hasNextPage ? counterparties.pageInfo.endCursor : null;
  } while (after);
}

/** A counterparty's card: requisites, contacts and its latest documents. */
export async function readCard(id) {
  const { counterparty } = await call(
    `query Card($id: ID!) {
      counterparty(id: $id) {
        id name inn kpp ogrn status
        contacts { name email phone }
        documents(first: 10) { totalCount edges { node { id type number title status } } }
      }
    }`,
    { id },
  );
  return counterparty;
}

/**
 * Registers an incoming letter under the partner's own reference (`number`). Safe to run again: it looks for a
 * letter with that reference first, so a retry after a lost answer finds the one already created.
 */
export async function registerLetter(counterpartyId, reference, title) {
  const existing = await call(
    `query Find($counterpartyId: ID!, $search: String!) {
      documents(first: 5, counterpartyId: $counterpartyId, search: $search) { edges { node { id number title status } } }
    }`,
    { counterpartyId, search: reference },
  );
  const found = existing.documents.edges.map((edge) => edge.node).find((doc) => doc.number === reference);
  if (found) return { ...found, created: false };
  const { createDocument } = await call(
    `mutation Register($input: CreateDocumentInput!) { createDocument(input: $input) { id number title status } }`,
    { input: { type: 'INCOMING_LETTER', counterpartyId, title, number: reference, letter: { subject: title, correspondent: 'Partner system' } } },
  );
  return { ...createDocument, created: true };
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  try {
    const inn = process.argv[2];
    let count = 0;
    let first = null;
    for await (const counterparty of allCounterparties(inn)) {
      count += 1;
      first ??= counterparty;
    }
    if (!first) {
      console.log(JSON.stringify({ counterparties: 0 }));
      process.exit(0);
    }
    const card = await readCard(first.id);
    const reference = `PARTNER-${first.inn}-001`;
    const letter = await registerLetter(first.id, reference, 'Запрос сверки взаиморасчётов');
    console.log(JSON.stringify({ counterparties: count, card: { id: card.id, name: card.name, documents: card.documents.totalCount }, letter }));
  } catch (error) {
    console.error(error instanceof ApiError ? `API error: ${error.message}` : error);
    process.exit(1);
  }
}
