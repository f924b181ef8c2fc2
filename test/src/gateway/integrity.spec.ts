import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type TypeNode } from 'graphql';
import { DEMO_USERS, findDanglingReferences } from '@kartoteka/kit';
import { DOCUMENTS_REFERENCE_CHECKS } from '../../../services/documents/src/modules/counterparty/counterparty-ref.readmodel';
import { CREATE_COUNTERPARTY, CREATE_DEAL, CREATE_DOCUMENT, legalEntityInput } from '../support/fixtures';
import { insertChangedCopy } from '../support/dangling';
import { startStack, type Stack } from '../support/stack';

/**
 * Referential integrity across services (issue #8): documents and deals check counterparty and staff references
 * against their read models, filled by counterparties' and identity's events; and a reference that still cannot
 * be resolved (a row written around the API) affects its own item only, never the whole list.
 */
let stack: Stack;
let token: string;
const MANAGER = DEMO_USERS.find((user) => user.email === 'manager@kartoteka.local')!;

beforeAll(async () => {
  stack = await startStack({ production: true });
  token = await stack.login(MANAGER.email);
});
afterAll(() => stack?.stop());

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await stack.call<T>(query, variables, token);
  if (result.errors?.length || !result.data) throw new Error(JSON.stringify(result.errors));
  return result.data;
}

async function newCounterparty(): Promise<{ id: string; name: string }> {
  return (await gql<{ createCounterparty: { id: string; name: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput() })).createCounterparty;
}

describe('references checked on write, by events', () => {
  it('a counterparty created through the gateway can be used at once; an unknown or archived one is BAD_USER_INPUT on counterpartyId', async () => {
    const counterparty = await newCounterparty();
    await gql(CREATE_DOCUMENT, { input: { type: 'OTHER', counterpartyId: counterparty.id, title: 'Письмо' } });
    await gql(CREATE_DEAL, { input: { title: 'Поставка', counterpartyId: counterparty.id } });

    await gql('mutation($id: ID!) { archiveCounterparty(id: $id) { id } }', { id: counterparty.id });
    for (const counterpartyId of [randomUUID(), counterparty.id]) {
      const document = await stack.call(CREATE_DOCUMENT, { input: { type: 'OTHER', counterpartyId, title: 'Письмо' } }, token);
      expect(document.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'counterpartyId' });
      const deal = await stack.call(CREATE_DEAL, { input: { title: 'Поставка', counterpartyId } }, token);
      expect(deal.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'counterpartyId' });
    }
    await gql('mutation($id: ID!) { restoreCounterparty(id: $id) { id } }', { id: counterparty.id });
    await gql(CREATE_DEAL, { input: { title: 'Поставка после восстановления', counterpartyId: counterparty.id } });

    const unknownOwner = await stack.call(CREATE_DEAL, { input: { title: 'Поставка', counterpartyId: counterparty.id, ownerId: randomUUID() } }, token);
    expect(unknownOwner.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ownerId' });
    const unknownResponsible = await stack.call(CREATE_DOCUMENT, { input: { type: 'OTHER', counterpartyId: counterparty.id, title: 'Письмо', responsibleId: randomUUID() } }, token);
    expect(unknownResponsible.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'responsibleId' });
  });
});

describe('a reference that cannot be resolved never blanks a list', () => {
  const DOCUMENTS = `query { documents(first: 100) { totalCount edges { node { id title counterparty { id name } author { name } responsible { name } } } } }`;
  const DEALS = `query { deals(first: 100) { totalCount edges { node { id title counterparty { id name } owner { name } } } } }`;

  it('documents: every other row comes back, the broken one with a null counterparty and author, the rest of it intact', async () => {
    const counterparty = await newCounterparty();
    const ids: string[] = [];
    for (const title of ['Письмо 1', 'Письмо 2', 'Письмо 3']) {
      ids.push((await gql<{ createDocument: { id: string } }>(CREATE_DOCUMENT, { input: { type: 'OTHER', counterpartyId: counterparty.id, title } })).createDocument.id);
    }
    const broken = await insertChangedCopy(stack, 'documents', 'documents', ids[1], { counterparty_id: randomUUID(), author_id: randomUUID(), title: 'Письмо без контрагента' });

    const result = await stack.call<{ documents: { totalCount: number; edges: { node: { id: string; title: string; counterparty: { id: string; name: string } | null; author: { name: string } | null; responsible: { name: string } | null } }[] } }>(DOCUMENTS, {}, token);
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data).not.toBeNull();
    const nodes = result.data!.documents.edges.map((edge) => edge.node);
    expect(nodes).toHaveLength(result.data!.documents.totalCount);
    for (const id of ids) expect(nodes.find((node) => node.id === id)).toMatchObject({ counterparty: { id: counterparty.id, name: counterparty.name }, author: { name: MANAGER.name } });
    expect(nodes.find((node) => node.id === broken)).toEqual({ id: broken, title: 'Письмо без контрагента', counterparty: null, author: null, responsible: { name: MANAGER.name } });
    expect(nodes.filter((node) => node.counterparty === null).map((node) => node.id)).toEqual([broken]);

    // and the check command's query lists exactly that row
    const dangling = await findDanglingReferences(stack.subgraphs.documents.orm.em.fork(), DOCUMENTS_REFERENCE_CHECKS);
    expect(dangling.map((row) => [row.rowId, row.column])).toEqual([[broken, 'counterparty_id'], [broken, 'author_id']]);
  });

  it('deals: every other row comes back, the broken one with a null counterparty and owner', async () => {
    const counterparty = await newCounterparty();
    const ids: string[] = [];
    for (const title of ['Сделка 1', 'Сделка 2']) ids.push((await gql<{ createDeal: { id: string } }>(CREATE_DEAL, { input: { title, counterpartyId: counterparty.id } })).createDeal.id);
    const broken = await insertChangedCopy(stack, 'deals', 'deals', ids[0], { counterparty_id: randomUUID(), owner_id: randomUUID(), title: 'Сделка без контрагента' });

    const result = await stack.call<{ deals: { totalCount: number; edges: { node: { id: string; title: string; counterparty: { id: string; name: string } | null; owner: { name: string } | null } }[] } }>(DEALS, {}, token);
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data).not.toBeNull();
    const nodes = result.data!.deals.edges.map((edge) => edge.node);
    expect(nodes).toHaveLength(result.data!.deals.totalCount);
    for (const id of ids) expect(nodes.find((node) => node.id === id)).toMatchObject({ counterparty: { id: counterparty.id, name: counterparty.name }, owner: { name: MANAGER.name } });
    expect(nodes.find((node) => node.id === broken)).toEqual({ id: broken, title: 'Сделка без контрагента', counterparty: null, owner: null });

    // the counterparty card's own lists are untouched by the broken row
    const card = await gql<{ counterparty: { deals: { totalCount: number } } }>('query($id: ID!) { counterparty(id: $id) { deals(first: 10) { totalCount } } }', { id: counterparty.id });
    expect(card.counterparty.deals.totalCount).toBe(2);
  });
});

describe('a user nobody knows, inside a list or on an item of one', () => {
  it('an acknowledgement of an unknown user keeps its row with a null user; the document and the list come back', async () => {
    const counterparty = await newCounterparty();
    const body = new FormData();
    body.append('files', new Blob([new Uint8Array(Buffer.from('%PDF-1.7\n%%EOF\n'))]), 'Приказ.pdf');
    const uploaded = await fetch(`${stack.gatewayUrl.replace(/\/graphql$/, '')}/rest/documents/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
    expect(uploaded.status).toBe(201);
    const fileId = ((await uploaded.json()) as { files: { id: string }[] }).files[0].id;
    const documentId = (
      await gql<{ createDocument: { id: string } }>(CREATE_DOCUMENT, { input: { type: 'OTHER', counterpartyId: counterparty.id, title: 'Приказ к ознакомлению', fileIds: [fileId] } })
    ).createDocument.id;
    await gql('mutation($input: RequestAcknowledgementInput!) { requestAcknowledgement(input: $input) { id } }', { input: { documentId, userIds: [MANAGER.id] } });
    const em = stack.subgraphs.documents.orm.em.fork();
    const [ack] = await em.getConnection().execute<{ id: string }[]>('select id from acknowledgements where document_id = ?', [documentId]);
    await insertChangedCopy(stack, 'documents', 'acknowledgements', ack.id, { user_id: randomUUID() });

    const query = `query($id: ID!) { documents(first: 100) { totalCount edges { node { id } } } document(id: $id) { id title acknowledgements { user { name } acknowledgedAt } } }`;
    const result = await stack.call<{ documents: { totalCount: number; edges: unknown[] }; document: { title: string; acknowledgements: { user: { name: string } | null }[] } }>(query, { id: documentId }, token);
    expect(result.errors).toBeUndefined();
    expect(result.data!.documents.edges).toHaveLength(result.data!.documents.totalCount);
    expect(result.data!.document.title).toBe('Приказ к ознакомлению');
    // the acknowledgement of the unknown user is its own row: a null user, not an error blanking the document
    expect(result.data!.document.acknowledgements.map((row) => row.user?.name ?? null).sort()).toEqual([MANAGER.name, null].sort());
  });

  it('no subgraph but identity declares a non-null single User field (an unknown user there could only be an error)', () => {
    const nonNullUser = (type: TypeNode): boolean => type.kind === Kind.NON_NULL_TYPE && type.type.kind === Kind.NAMED_TYPE && type.type.name.value === 'User';
    const offenders = ['counterparties', 'documents', 'deals', 'finance', 'mailings'].flatMap((service) =>
      parse(readFileSync(join(__dirname, '..', '..', '..', 'services', service, 'schema.graphql'), 'utf8')).definitions.flatMap((definition) =>
        definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION
          ? (definition.fields ?? []).filter((field) => nonNullUser(field.type)).map((field) => `${service}: ${definition.name.value}.${field.name.value}`)
          : [],
      ),
    );
    expect(offenders).toEqual([]);
  });
});
