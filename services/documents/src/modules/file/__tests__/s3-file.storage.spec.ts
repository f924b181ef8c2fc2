import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import S3rver from 's3rver';
import { GATEWAY_TOKEN_HEADER, signGatewayToken } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings, type FilesSettings, type S3Settings } from '../../../config';
import { documentsSubgraph } from '../../../subgraph';
import { fileRoutes } from '../file.routes';
import { createFileStorage } from '../file-storage.factory';
import { StoredContentMissingError } from '../file.storage';
import { S3FileStorage } from '../s3-file.storage';

/** The S3 storage against s3rver, a local S3-compatible fake (signatures checked, path-style buckets). */
let server: S3rver;
let dir: string;
let s3: S3Settings;
let storage: S3FileStorage;

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kartoteka-s3-spec-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(dir, 's3'), configureBuckets: [{ name: 'kartoteka-files' }] });
  const { port } = await server.run();
  s3 = { bucket: 'kartoteka-files', endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, forcePathStyle: true };
  storage = new S3FileStorage(s3);
});

afterAll(async () => {
  storage?.destroy();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function tempFile(content: Buffer): { path: string; sha256: string } {
  const path = join(dir, randomUUID());
  writeFileSync(path, content);
  return { path, sha256: createHash('sha256').update(content).digest('hex') };
}

describe('S3FileStorage', () => {
  it('puts a content once under its sha-256 and reads it back whole or as a byte range', async () => {
    const content = randomBytes(200_000);
    const { path, sha256 } = tempFile(content);
    expect(await storage.exists(sha256)).toBe(false);
    await storage.put(sha256, path);
    await storage.put(sha256, path); // already there: a no-op
    expect(await storage.exists(sha256)).toBe(true);
    expect((await readAll(await storage.open(sha256))).equals(content)).toBe(true);
    expect((await readAll(await storage.open(sha256, { start: 1000, end: 1999 }))).equals(content.subarray(1000, 2000))).toBe(true);
  });

  it('reports missing content as StoredContentMissingError and refuses keys that are not a sha-256', async () => {
    await expect(storage.open('0'.repeat(64))).rejects.toBeInstanceOf(StoredContentMissingError);
    await expect(storage.exists('../etc/passwd')).rejects.toThrow('Not a sha-256 digest');
  });
});

describe('uploads and downloads with S3 configured', () => {
  let subgraph: TestSubgraph;

  beforeAll(async () => {
    const files: FilesSettings = { dir: join(dir, 'scratch'), maxBytes: 1024 * 1024, maxCount: 5, s3 };
    const definition = documentsSubgraph(defaultDocumentsSettings({ files }), { workers: false });
    subgraph = await startTestSubgraph({ ...definition, internalRoutes: (router, deps) => fileRoutes(router, deps, { files, storage: createFileStorage(files) }) });
  });
  afterAll(() => subgraph?.close());

  it('keeps the content in the bucket and serves it back byte-exact', async () => {
    const content = Buffer.concat([Buffer.from('%PDF-1.5\n'), randomBytes(300_000)]);
    const token = await signGatewayToken(demoIdentity('manager@kartoteka.local'), 'documents', subgraph.secret, randomUUID());
    const form = new FormData();
    form.append('files', new Blob([content]), 'Акт сверки.pdf');
    const base = subgraph.url.replace(/\/graphql$/, '/internal/rest/files');
    const uploaded = await fetch(base, { method: 'POST', body: form, headers: { [GATEWAY_TOKEN_HEADER]: token } });
    expect(uploaded.status).toBe(201);
    const { files } = (await uploaded.json()) as { files: { id: string; name: string; sha256: string }[] };
    expect(files[0].name).toBe('Акт сверки.pdf');
    expect(await storage.exists(files[0].sha256)).toBe(true);

    const download = await fetch(`${base}/${files[0].id}`, { headers: { [GATEWAY_TOKEN_HEADER]: token } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(content)).toBe(true);
  });
});
