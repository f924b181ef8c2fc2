import { Client } from 'pg';
import { startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings } from '../../../config';
import { documentsSubgraph } from '../../../subgraph';
import { accountant, admin, COUNTERPARTY_ID, director, fillStaffDirectory, idOf, lawyer, manager, ok, sales, storedFile, viewer } from '../../approval/__tests__/approval.fixtures';
import { LIVE_CHANNEL } from '../notification.events';
import { scaled } from '../../../../../kit/jest.timing';

let subgraph: TestSubgraph;
let listener: Client;
const heard: { type: string; documentId?: string; userIds?: string[] }[] = [];

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }));
  await fillStaffDirectory(subgraph);
  listener = new Client({ connectionString: subgraph.database.url });
  await listener.connect();
  listener.on('notification', (message) => heard.push(JSON.parse(message.payload ?? '{}') as (typeof heard)[number]));
  await listener.query(`listen ${LIVE_CHANNEL}`);
});
afterAll(async () => {
  await listener?.end();
  await subgraph?.close();
});

async function pingsOf(documentId: string): Promise<(typeof heard)[number][]> {
  const deadline = Date.now() + scaled(5000);
  while (!heard.some((event) => event.documentId === documentId) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return heard.filter((event) => event.type === 'document' && event.documentId === documentId);
}

describe('live document pings', () => {
  it('go to everyone for an ordinary document and only to the people who may read a restricted one', async () => {
    const CREATE = `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`;
    const open = ok(await subgraph.request<{ createDocument: { id: string } }>(CREATE, { input: { type: 'OTHER', counterpartyId: COUNTERPARTY_ID, title: 'Открытый' } }, manager)).createDocument.id;
    const secret = ok(await subgraph.request<{ createDocument: { id: string } }>(CREATE, { input: { type: 'OTHER', counterpartyId: COUNTERPARTY_ID, title: 'Закрытый', restricted: true } }, manager)).createDocument.id;
    expect((await pingsOf(open)).map((event) => event.userIds)).toEqual([undefined]);
    expect((await pingsOf(secret)).map((event) => event.userIds)).toEqual([[idOf(manager)]]);
  });

  it('of a restricted document reach exactly the staff who may read it (one rule for both)', async () => {
    const CREATE = `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`;
    const input = { type: 'OTHER', counterpartyId: COUNTERPARTY_ID, title: 'Закрытый с ознакомлением', restricted: true, responsibleId: idOf(sales), fileIds: [await storedFile(subgraph)] };
    const secret = ok(await subgraph.request<{ createDocument: { id: string } }>(CREATE, { input }, manager)).createDocument.id;
    await pingsOf(secret);
    const before = heard.length;
    const REQUEST = `mutation($input: RequestAcknowledgementInput!) { requestAcknowledgement(input: $input) { id } }`;
    ok(await subgraph.request(REQUEST, { input: { documentId: secret, userIds: [idOf(accountant)] } }, manager));
    const deadline = Date.now() + scaled(5000);
    while (!heard.slice(before).some((event) => event.type === 'document' && event.documentId === secret) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const [ping] = heard.slice(before).filter((event) => event.type === 'document' && event.documentId === secret);
    // Everyone but the administrator (who reads everything and is not listed) is asked whether they can read it.
    const readers: string[] = [];
    for (const who of [manager, sales, accountant, lawyer, director, viewer]) {
      const found = ok(await subgraph.request<{ document: { id: string } | null }>(`query($id: ID!) { document(id: $id) { id } }`, { id: secret }, who)).document;
      if (found) readers.push(idOf(who));
    }
    expect(ok(await subgraph.request<{ document: { id: string } | null }>(`query($id: ID!) { document(id: $id) { id } }`, { id: secret }, admin)).document).not.toBeNull();
    expect([...(ping?.userIds ?? [])].sort()).toEqual([idOf(manager), idOf(sales), idOf(accountant)].sort());
    expect(readers.sort()).toEqual([...(ping?.userIds ?? [])].sort());
  });
});
