import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiKeyIdentity, ANONYMOUS, GATEWAY_TOKEN_HEADER, signGatewayToken, type Identity } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings, type FilesSettings } from '../../../config';
import { documentsSubgraph } from '../../../subgraph';
import { documentReadersMayDownload, fileRoutes } from '../file.routes';
import { createFileStorage } from '../file-storage.factory';

const MAX_BYTES = 64 * 1024;
const MAX_COUNT = 3;
const manager: Identity = demoIdentity('manager@kartoteka.local');
const viewer: Identity = demoIdentity('viewer@kartoteka.local');
const admin: Identity = demoIdentity('admin@kartoteka.local');
const idOf = (identity: Identity): string | null => (identity.kind === 'anonymous' ? null : identity.id);
const crmPartner: Identity = apiKeyIdentity('00000000-0000-4000-8000-00000000aaaa', '1C', ['counterparties:read']);

let dir: string;
let files: FilesSettings;
let subgraph: TestSubgraph;
let base: string;
/** Stored files the download callback refuses (stands in for "not attached to a document you may read"). */
const withheld = new Set<string>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kartoteka-files-spec-'));
  files = { dir, maxBytes: MAX_BYTES, maxCount: MAX_COUNT, s3: null };
  const definition = documentsSubgraph(defaultDocumentsSettings({ files }), { workers: false });
  const storage = createFileStorage(files);
  subgraph = await startTestSubgraph({
    ...definition,
    internalRoutes: (router, deps) => fileRoutes(router, deps, { files, storage, authorizeDownload: async (context, id) => !withheld.has(id) && documentReadersMayDownload(context, id) }),
  });
  base = subgraph.url.replace(/\/graphql$/, '/internal');
});

afterAll(async () => {
  await subgraph?.close();
  rmSync(dir, { recursive: true, force: true });
});

// ---- helpers -------------------------------------------------------------------------------------------

type Part = { name: string; content: Buffer; field?: string };
type Reply = { status: number; headers: IncomingHttpHeaders; body: Buffer };
type ErrorJson = { errors: { message: string; extensions: { code: string; field?: string; reason?: string } }[] };
type UploadJson = { files: { id: string; name: string; size: number; contentType: string; sha256: string }[] };

const bytes = (head: string | number[], length: number): Buffer => {
  const start = typeof head === 'string' ? Buffer.from(head, 'latin1') : Buffer.from(head);
  return Buffer.concat([start, randomBytes(Math.max(0, length - start.length))]);
};
const pdf = (length = 3000) => bytes('%PDF-1.7\n', length);
const png = (length = 2000) => bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], length);
const jpeg = (length = 2500) => bytes([0xff, 0xd8, 0xff, 0xe0], length);
const zip = (length = 4000) => bytes([0x50, 0x4b, 0x03, 0x04], length);
const ole = (length = 4000) => bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], length);
const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

const BOUNDARY = '----kartoteka-spec-boundary';

function partHead(part: Part): Buffer {
  const name = part.name.replace(/"/g, '%22');
  return Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.field ?? 'files'}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`, 'utf8');
}

function multipart(parts: Part[]): Buffer {
  return Buffer.concat([...parts.flatMap((part) => [partHead(part), part.content, Buffer.from('\r\n')]), Buffer.from(`--${BOUNDARY}--\r\n`)]);
}

async function tokenFor(identity: Identity): Promise<string> {
  return signGatewayToken(identity, 'documents', subgraph.secret, randomUUID());
}

/** A request to the internal router as the gateway makes it (or without its token, when `identity` is null). */
async function call(method: string, path: string, options: { identity?: Identity | null; headers?: Record<string, string>; write?: (req: http.ClientRequest) => void } = {}): Promise<Reply> {
  const identity = options.identity === undefined ? manager : options.identity;
  const headers: Record<string, string> = { ...options.headers };
  if (identity) headers[GATEWAY_TOKEN_HEADER] = await tokenFor(identity);
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    (options.write ?? ((r) => r.end()))(req);
  });
}

function upload(parts: Part[], identity: Identity | null = manager): Promise<Reply> {
  const body = multipart(parts);
  return call('POST', '/rest/files', { identity, headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(body.length) }, write: (req) => req.end(body) });
}

const parse = <T>(reply: Reply): T => JSON.parse(reply.body.toString('utf8')) as T;

/** Contents in the storage (not counting upload scratch files). */
function storedBlobs(): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'tmp') walk(join(path, entry.name));
      else if (entry.isFile()) found.push(entry.name);
    }
  };
  walk(dir);
  return found;
}

function scratchFiles(): string[] {
  try {
    return readdirSync(join(dir, 'tmp'));
  } catch {
    return [];
  }
}

async function rowCount(): Promise<number> {
  const rows = await subgraph.orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from stored_files');
  return rows[0].n;
}

/** Asserts a refused upload: status, reason, and that nothing at all was stored. */
async function expectRefused(reply: Reply, status: number, reason: string): Promise<void> {
  const before = { rows: await rowCount(), blobs: storedBlobs().length };
  expect(reply.status).toBe(status);
  const body = parse<ErrorJson>(reply);
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'files', reason });
  expect(body.errors[0].message).toMatch(/^[A-Z][\x20-\x7E\u0400-\u04FF]+$/);
  expect({ rows: await rowCount(), blobs: storedBlobs().length }).toEqual(before);
  expect(scratchFiles()).toEqual([]);
}

// ---- upload ----------------------------------------------------------------------------------------------

describe('POST /rest/files', () => {
  it('stores several allowed files and they download byte-exact with their sha-256, name and detected type', async () => {
    const parts: Part[] = [
      { name: 'Договор поставки №5.docx', content: zip() },
      { name: 'scan.PNG', content: png() },
      { name: 'invoice.pdf', content: pdf() },
    ];
    const reply = await upload(parts);
    expect(reply.status).toBe(201);
    const { files: uploaded } = parse<UploadJson>(reply);
    expect(uploaded.map(({ name, size, contentType, sha256: hash }) => ({ name, size, contentType, sha256: hash }))).toEqual([
      { name: 'Договор поставки №5.docx', size: parts[0].content.length, contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', sha256: sha256(parts[0].content) },
      { name: 'scan.PNG', size: parts[1].content.length, contentType: 'image/png', sha256: sha256(parts[1].content) },
      { name: 'invoice.pdf', size: parts[2].content.length, contentType: 'application/pdf', sha256: sha256(parts[2].content) },
    ]);
    for (const [i, file] of uploaded.entries()) {
      const download = await call('GET', `/rest/files/${file.id}`, { identity: viewer });
      expect(download.status).toBe(200);
      expect(download.body.equals(parts[i].content)).toBe(true);
      expect(download.headers['content-type']).toBe(file.contentType);
      expect(download.headers['content-length']).toBe(String(parts[i].content.length));
    }
    const stored = readFileSync(join(dir, uploaded[2].sha256.slice(0, 2), uploaded[2].sha256.slice(2, 4), uploaded[2].sha256));
    expect(stored.equals(parts[2].content)).toBe(true);
    expect(scratchFiles()).toEqual([]);
  });

  it('trusts the content, not the client: a PDF named .docx is a PDF, and DOC/XLS/JPEG are recognised', async () => {
    const reply = await upload([
      { name: 'actually-a.docx', content: pdf() },
      { name: 'letter.doc', content: ole() },
      { name: 'photo.jpeg', content: jpeg() },
    ]);
    expect(reply.status).toBe(201);
    expect(parse<UploadJson>(reply).files.map((file) => file.contentType)).toEqual(['application/pdf', 'application/msword', 'image/jpeg']);
  });

  it('keeps identical content once, however often and by whom it is uploaded', async () => {
    const content = pdf(5000);
    const hash = sha256(content);
    const first = parse<UploadJson>(await upload([{ name: 'a.pdf', content }, { name: 'b.pdf', content }]));
    const second = parse<UploadJson>(await upload([{ name: 'c.pdf', content }], admin));
    const ids = [...first.files, ...second.files].map((file) => file.id);
    expect(new Set(ids).size).toBe(3);
    expect([...first.files, ...second.files].every((file) => file.sha256 === hash)).toBe(true);
    expect(storedBlobs().filter((name) => name === hash)).toHaveLength(1);
    const rows = await subgraph.orm.em.getConnection().execute<{ name: string; uploaded_by_id: string | null }[]>('select name, uploaded_by_id from stored_files where sha256 = ? order by name', [hash]);
    expect(rows).toEqual([
      { name: 'a.pdf', uploaded_by_id: idOf(manager) },
      { name: 'b.pdf', uploaded_by_id: idOf(manager) },
      { name: 'c.pdf', uploaded_by_id: idOf(admin) },
    ]);
  });

  it('sanitizes the file name it keeps', async () => {
    const reply = await upload([{ name: '../../etc/\u202Epasswd.pdf', content: pdf() }]);
    expect(reply.status).toBe(201);
    expect(parse<UploadJson>(reply).files[0].name).toBe('passwd.pdf');
  });

  it('accepts a file of exactly FILE_MAX_BYTES and refuses one byte more with file.too-large (413), storing nothing', async () => {
    expect((await upload([{ name: 'limit.pdf', content: pdf(MAX_BYTES) }])).status).toBe(201);
    await expectRefused(await upload([{ name: 'small.pdf', content: pdf() }, { name: 'big.pdf', content: pdf(MAX_BYTES + 1) }]), 413, 'file.too-large');
  });

  it.each([
    ['a Windows executable', 'setup.exe', bytes('MZ\x90\x00', 3000)],
    ['an HTML page renamed .pdf', 'invoice.pdf', Buffer.from('<!DOCTYPE html><html><script>alert(document.cookie)</script></html>')],
    ['a ZIP archive that is no office document', 'archive.zip', zip()],
    ['an SVG image (scriptable)', 'logo.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>')],
    ['a file shorter than any signature', 'tiny.pdf', Buffer.from('%PD')],
  ])('refuses %s with file.type-not-allowed (400), even after an allowed file, storing nothing', async (_label, name, content) => {
    await expectRefused(await upload([{ name: 'fine.pdf', content: pdf() }, { name, content }]), 400, 'file.type-not-allowed');
  });

  it('refuses more than FILE_MAX_COUNT files with file.too-many (413), storing nothing', async () => {
    const parts = Array.from({ length: MAX_COUNT + 1 }, (_, i) => ({ name: `f${i}.pdf`, content: pdf() }));
    await expectRefused(await upload(parts), 413, 'file.too-many');
  });

  it('refuses an empty file and an upload without files with file.empty (400)', async () => {
    await expectRefused(await upload([{ name: 'fine.png', content: png() }, { name: 'empty.pdf', content: Buffer.alloc(0) }]), 400, 'file.empty');
    await expectRefused(await upload([{ name: 'elsewhere.pdf', content: pdf(), field: 'attachment' }]), 400, 'file.empty');
  });

  it('answers a refusal as soon as the limit is passed, while the client is still sending', async () => {
    const rowsBefore = await rowCount();
    const big = pdf(MAX_BYTES + 1);
    const tooLarge = await call('POST', '/rest/files', {
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      write: (req) => {
        req.on('error', () => undefined);
        req.write(Buffer.concat([partHead({ name: 'big.pdf', content: big }), big])); // the body never ends
      },
    });
    expect(tooLarge.status).toBe(413);
    expect(parse<ErrorJson>(tooLarge).errors[0].extensions.reason).toBe('file.too-large');

    const exe = await call('POST', '/rest/files', {
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      write: (req) => {
        req.on('error', () => undefined);
        req.write(Buffer.concat([partHead({ name: 'x.pdf', content: Buffer.alloc(0) }), bytes('MZ', 100)]));
      },
    });
    expect(exe.status).toBe(400);
    expect(parse<ErrorJson>(exe).errors[0].extensions.reason).toBe('file.type-not-allowed');
    expect(await rowCount()).toBe(rowsBefore);
  });

  it('refuses a body that is not multipart', async () => {
    const reply = await call('POST', '/rest/files', { headers: { 'content-type': 'application/json' }, write: (req) => req.end('{}') });
    expect(reply.status).toBe(400);
    expect(parse<ErrorJson>(reply).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'files' });
  });

  it('requires documents:write (403), an identity (401) and the gateway token (401)', async () => {
    const rowsBefore = await rowCount();
    const viewerReply = await upload([{ name: 'a.pdf', content: pdf() }], viewer);
    expect(viewerReply.status).toBe(403);
    expect(parse<ErrorJson>(viewerReply).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await upload([{ name: 'a.pdf', content: pdf() }], crmPartner)).status).toBe(403);
    const anonymous = await upload([{ name: 'a.pdf', content: pdf() }], ANONYMOUS);
    expect(anonymous.status).toBe(401);
    expect(parse<ErrorJson>(anonymous).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const direct = await upload([{ name: 'a.pdf', content: pdf() }], null);
    expect(direct.status).toBe(401);
    expect(await rowCount()).toBe(rowsBefore);
  });

  it('accepts a partner system holding documents:write', async () => {
    const partner = apiKeyIdentity('00000000-0000-4000-8000-00000000bbbb', 'ERP', ['documents:read', 'documents:write']);
    const reply = await upload([{ name: 'act.pdf', content: pdf() }], partner);
    expect(reply.status).toBe(201);
    const [row] = await subgraph.orm.em.getConnection().execute<{ uploaded_by_id: string }[]>('select uploaded_by_id from stored_files where id = ?', [parse<UploadJson>(reply).files[0].id]);
    expect(row.uploaded_by_id).toBe('00000000-0000-4000-8000-00000000bbbb');
  });
});

// ---- download --------------------------------------------------------------------------------------------

describe('GET /rest/files/:id', () => {
  let pdfFile: UploadJson['files'][number];
  let docxFile: UploadJson['files'][number];
  let pngFile: UploadJson['files'][number];
  let pdfContent: Buffer;

  beforeAll(async () => {
    pdfContent = pdf(10_000);
    const reply = parse<UploadJson>(await upload([{ name: 'Счёт №7.pdf', content: pdfContent }, { name: 'Договор.docx', content: zip() }, { name: 'p.png', content: png() }]));
    [pdfFile, docxFile, pngFile] = reply.files;
  });

  it('sends an attachment by default, with the safe headers and an RFC 5987 file name', async () => {
    const reply = await call('GET', `/rest/files/${pdfFile.id}`, { identity: viewer });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-disposition']).toBe(`attachment; filename="???? ?7.pdf"; filename*=UTF-8''${encodeURIComponent('Счёт №7.pdf')}`);
    expect(reply.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-length': '10000',
      'x-content-type-options': 'nosniff',
      'content-security-policy': 'sandbox',
      'cache-control': 'private, no-store',
      'accept-ranges': 'bytes',
      etag: `"${pdfFile.sha256}"`,
    });
    expect(reply.body.equals(pdfContent)).toBe(true);
  });

  it('previews PDF and images inline with ?inline=1; anything else stays an attachment', async () => {
    expect((await call('GET', `/rest/files/${pdfFile.id}?inline=1`)).headers['content-disposition']).toMatch(/^inline; /);
    expect((await call('GET', `/rest/files/${pngFile.id}?inline=1`)).headers['content-disposition']).toBe('inline; filename=p.png');
    const docx = await call('GET', `/rest/files/${docxFile.id}?inline=1`);
    expect(docx.headers['content-disposition']).toMatch(/^attachment; /);
    expect(docx.headers['content-security-policy']).toBe('sandbox');
  });

  it('serves a byte range (206), refuses an unsatisfiable one (416) and ignores a stale If-Range', async () => {
    const part = await call('GET', `/rest/files/${pdfFile.id}`, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 100-199/10000');
    expect(part.headers['content-length']).toBe('100');
    expect(part.body.equals(pdfContent.subarray(100, 200))).toBe(true);
    const tail = await call('GET', `/rest/files/${pdfFile.id}`, { headers: { range: 'bytes=-10' } });
    expect(tail.body.equals(pdfContent.subarray(9990))).toBe(true);
    const outside = await call('GET', `/rest/files/${pdfFile.id}`, { headers: { range: 'bytes=20000-' } });
    expect(outside.status).toBe(416);
    expect(outside.headers['content-range']).toBe('bytes */10000');
    const stale = await call('GET', `/rest/files/${pdfFile.id}`, { headers: { range: 'bytes=0-9', 'if-range': '"other"' } });
    expect(stale.status).toBe(200);
    expect(stale.body.length).toBe(10_000);
  });

  it('answers HEAD with the headers only', async () => {
    const reply = await call('HEAD', `/rest/files/${pdfFile.id}`);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-length']).toBe('10000');
    expect(reply.body.length).toBe(0);
  });

  it('answers 404 JSON for an unknown or malformed id', async () => {
    for (const id of [randomUUID(), 'not-a-uuid', '..%2F..%2Fetc%2Fpasswd']) {
      const reply = await call('GET', `/rest/files/${id}`);
      expect(reply.status).toBe(404);
      expect(reply.headers['content-type']).toMatch(/application\/json/);
      expect(parse<ErrorJson>(reply).errors[0].extensions.code).toBe('NOT_FOUND');
    }
  });

  it('requires documents:read (403), an identity (401), the gateway token (401) and the download callback\'s consent (403)', async () => {
    const partner = await call('GET', `/rest/files/${pdfFile.id}`, { identity: crmPartner });
    expect(partner.status).toBe(403);
    expect(parse<ErrorJson>(partner).errors[0].extensions.code).toBe('FORBIDDEN');
    const anonymous = await call('GET', `/rest/files/${pdfFile.id}`, { identity: ANONYMOUS });
    expect(anonymous.status).toBe(401);
    expect(parse<ErrorJson>(anonymous).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await call('GET', `/rest/files/${pdfFile.id}`, { identity: null })).status).toBe(401);

    withheld.add(pdfFile.id);
    try {
      const refused = await call('GET', `/rest/files/${pdfFile.id}`);
      expect(refused.status).toBe(403);
      expect(refused.body.includes(pdfContent.subarray(0, 64))).toBe(false);
    } finally {
      withheld.delete(pdfFile.id);
    }
  });

  it('answers 500 without details when the content is missing from the storage', async () => {
    const content = png(777);
    const [file] = parse<UploadJson>(await upload([{ name: 'lost.png', content }])).files;
    const path = join(dir, file.sha256.slice(0, 2), file.sha256.slice(2, 4), file.sha256);
    expect(statSync(path).size).toBe(777);
    rmSync(path);
    const reply = await call('GET', `/rest/files/${file.id}`);
    expect(reply.status).toBe(500);
    expect(parse<ErrorJson>(reply).errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(reply.headers['content-disposition']).toBeUndefined();
  });
});
