import { Client } from 'pg';
import { startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings } from '../../../config';
import { documentsSubgraph } from '../../../subgraph';
import { COUNTERPARTY_ID, fillStaffDirectory, idOf, manager, ok } from '../../approval/__tests__/approval.fixtures';
import { LIVE_CHANNEL } from '../notification.events';

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
  const deadline = Date.now() + 5000;
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
});
