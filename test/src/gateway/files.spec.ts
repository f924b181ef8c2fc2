import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { CREATE_COUNTERPARTY, CREATE_DOCUMENT, legalEntityInput } from '../support/fixtures';
import { startStack, type Stack } from '../support/stack';

/** Files through the gateway's REST pass-through: upload to the documents service, download the same bytes. */
let stack: Stack;
let rest: string;

beforeAll(async () => {
  stack = await startStack({ production: true, corsOrigins: ['http://portal.test'] });
  rest = stack.gatewayUrl.replace(/\/graphql$/, '/rest/documents');
});
afterAll(() => stack?.stop());

type Uploaded = { files: { id: string; name: string; size: number; contentType: string; sha256: string }[] };
type Errors = { errors: { message: string; extensions: { code: string; field?: string; reason?: string } }[] };

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

function form(files: { name: string; content: Buffer }[]): FormData {
  const body = new FormData();
  for (const file of files) body.append('files', new Blob([new Uint8Array(file.content)]), file.name);
  return body;
}

/**
 * POSTs a form the way a browser does with a large upload the server refuses early: the answer is read as soon as
 * it arrives, even when the server then closes the connection on the rest of the body (fetch would report only
 * the reset, a race between the answer and the upload).
 */
async function postReadingEarlyAnswer(url: string, headers: Record<string, string>, body: FormData): Promise<{ status: number; json: unknown }> {
  const encoded = new Response(body);
  const bytes = Buffer.from(await encoded.arrayBuffer());
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { ...headers, 'content-type': encoded.headers.get('content-type') ?? '', 'content-length': String(bytes.length) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown }));
      response.on('error', reject);
    });
    let answered = false;
    request.on('response', () => (answered = true));
    request.on('error', (error) => {
      if (!answered) reject(error); // after the answer: the server closed on the rest of the upload, as it may
    });
    request.end(bytes);
  });
}

/** A document of a new counterparty whose version 1 holds the uploaded files: what makes them downloadable. */
async function attachToDocument(fileIds: string[], token: string): Promise<string> {
  const counterparty = await stack.call<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput() }, token);
  if (!counterparty.data?.createCounterparty) throw new Error(JSON.stringify(counterparty.errors));
  const document = await stack.call<{ createDocument: { id: string } }>(CREATE_DOCUMENT, { input: { type: 'OTHER', counterpartyId: counterparty.data.createCounterparty.id, title: 'Скан договора', fileIds } }, token);
  if (!document.data?.createDocument) throw new Error(JSON.stringify(document.errors));
  return document.data.createDocument.id;
}

function storedBlobs(): number {
  const count = (path: string): number => readdirSync(path, { withFileTypes: true }).reduce((n, entry) => n + (entry.isDirectory() ? (entry.name === 'tmp' ? 0 : count(`${path}/${entry.name}`)) : 1), 0);
  return count(stack.filesDir);
}

describe('files through the gateway', () => {
  it('uploads several files as a manager and downloads the same bytes, with the headers the portal needs', async () => {
    const token = await stack.login('manager@kartoteka.local');
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(400_000)]);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(50_000)]);
    const uploaded = await fetch(`${rest}/files`, { method: 'POST', headers: { authorization: `Bearer ${token}`, origin: 'http://portal.test' }, body: form([{ name: 'Договор №12.pdf', content: pdf }, { name: 'печать.png', content: png }]) });
    expect(uploaded.status).toBe(201);
    expect(uploaded.headers.get('x-request-id')).toBeTruthy();
    expect(uploaded.headers.get('access-control-allow-origin')).toBe('http://portal.test');
    const { files } = (await uploaded.json()) as Uploaded;
    expect(files.map(({ name, size, contentType, sha256: hash }) => ({ name, size, contentType, sha256: hash }))).toEqual([
      { name: 'Договор №12.pdf', size: pdf.length, contentType: 'application/pdf', sha256: sha256(pdf) },
      { name: 'печать.png', size: png.length, contentType: 'image/png', sha256: sha256(png) },
    ]);

    const viewer = await stack.login('viewer@kartoteka.local');
    const notYet = await fetch(`${rest}/files/${files[0].id}`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(notYet.status).toBe(403); // a file belongs to nobody until a document version holds it
    await attachToDocument(files.map((file) => file.id), token);

    const download = await fetch(`${rest}/files/${files[0].id}?inline=1`, { headers: { authorization: `Bearer ${viewer}`, origin: 'http://portal.test' } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toBe(`inline; filename="??????? ?12.pdf"; filename*=UTF-8''${encodeURIComponent('Договор №12.pdf')}`);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-security-policy')).toBe('sandbox');
    expect(download.headers.get('cache-control')).toBe('private, no-store');
    expect(download.headers.get('access-control-expose-headers')).toMatch(/content-disposition/);

    const range = await fetch(`${rest}/files/${files[1].id}`, { headers: { authorization: `Bearer ${viewer}`, range: 'bytes=8-15' } });
    expect(range.status).toBe(206);
    expect(Buffer.from(await range.arrayBuffer()).equals(png.subarray(8, 16))).toBe(true);
  });

  it('lets a partner key with documents:write upload, and refuses one without it', async () => {
    const admin = await stack.login('admin@kartoteka.local');
    const createKey = async (scopes: string[]) => {
      const created = await stack.call<{ createApiKey: { secret: string } }>('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { name: `ERP ${scopes.join(' ')}`, scopes } }, admin);
      return created.data!.createApiKey.secret;
    };
    const writer = await createKey(['documents:read', 'documents:write']);
    const reader = await createKey(['counterparties:read']);
    const content = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(1000)]);

    const accepted = await fetch(`${rest}/files`, { method: 'POST', headers: { authorization: `Bearer ${writer}` }, body: form([{ name: 'act.pdf', content }]) });
    expect(accepted.status).toBe(201);
    const refused = await fetch(`${rest}/files`, { method: 'POST', headers: { authorization: `Bearer ${reader}` }, body: form([{ name: 'act.pdf', content }]) });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Errors).errors[0].extensions.code).toBe('FORBIDDEN');
    const revoked = await fetch(`${rest}/files`, { method: 'POST', headers: { authorization: 'Bearer ktk_not-a-key' }, body: form([{ name: 'act.pdf', content }]) });
    expect(revoked.status).toBe(401);
  });

  it('refuses anonymous callers, viewers, and files that are too large or not allowed, storing nothing', async () => {
    const blobs = storedBlobs();
    const content = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(1000)]);
    const anonymous = await fetch(`${rest}/files`, { method: 'POST', body: form([{ name: 'a.pdf', content }]) });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as Errors).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const viewer = await fetch(`${rest}/files`, { method: 'POST', headers: { authorization: `Bearer ${await stack.login('viewer@kartoteka.local')}` }, body: form([{ name: 'a.pdf', content }]) });
    expect(viewer.status).toBe(403);

    const manager = { authorization: `Bearer ${await stack.login('manager@kartoteka.local')}` };
    const tooLarge = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(25 * 1024 * 1024)]); // FILE_MAX_BYTES (25 MiB) + 9
    const large = await postReadingEarlyAnswer(`${rest}/files`, manager, form([{ name: 'big.pdf', content: tooLarge }]));
    expect(large.status).toBe(413);
    expect((large.json as Errors).errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'files', reason: 'file.too-large' });
    const html = await fetch(`${rest}/files`, { method: 'POST', headers: manager, body: form([{ name: 'invoice.pdf', content: Buffer.from('<html><script>alert(1)</script></html>') }]) });
    expect(html.status).toBe(400);
    expect(((await html.json()) as Errors).errors[0].extensions.reason).toBe('file.type-not-allowed');
    expect(storedBlobs()).toBe(blobs);
  });

  it('passes the live stream (Server-Sent Events) through as it is written', async () => {
    const token = await stack.login('manager@kartoteka.local');
    const response = await fetch(`${rest}/stream`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const waitFor = async (fragment: string | RegExp) => {
      while (!(typeof fragment === 'string' ? text.includes(fragment) : fragment.test(text))) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before ${String(fragment)}: ${text}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    try {
      await waitFor(': listening'); // the service is subscribed: from here no change is missed
      const counterparty = await stack.call<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput() }, token);
      const created = await stack.call<{ createDocument: { id: string } }>(CREATE_DOCUMENT, { input: { type: 'OTHER', counterpartyId: counterparty.data!.createCounterparty.id, title: 'Письмо' } }, token);
      if (!created.data?.createDocument) throw new Error(JSON.stringify(created.errors));
      const documentId = created.data.createDocument.id;
      await waitFor(new RegExp(`event: document\ndata: \\{"documentId":"${documentId}"\\}`));
    } finally {
      await reader.cancel();
    }
  });

  it('answers 404 JSON for an unknown file and for a service that is not exposed', async () => {
    const token = await stack.login('viewer@kartoteka.local');
    const unknown = await fetch(`${rest}/files/00000000-0000-4000-8000-00000000ffff`, { headers: { authorization: `Bearer ${token}` } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as Errors).errors[0].extensions.code).toBe('NOT_FOUND');
    const identity = await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/rest/identity/authenticate-api-key'), { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(identity.status).toBe(404);
  });
});
