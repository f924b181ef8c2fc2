import { createHash, randomBytes } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { createLogger, GATEWAY_TOKEN_HEADER, verifyGatewayToken, type Identity } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { startGateway, type RunningGateway } from '../gateway-server';

/**
 * The REST pass-through against a stand-in for the documents service: a plain HTTP server that checks the
 * gateway token and records what reached it.
 */
const JWT_SECRET = randomBytes(24).toString('hex');
const DOCUMENTS_SECRET = randomBytes(24).toString('hex');
const MAX_BODY = 256 * 1024;
const PORTAL = 'http://portal.test';

type Seen = { method: string; url: string; headers: IncomingHttpHeaders; identity: Identity | null; requestId?: string };

let upstream: http.Server;
let upstreamUrl: string;
let gateway: RunningGateway;
let base: string;
const seen: Seen[] = [];
/** Hooks a test sets to drive the stand-in. */
const hooks: { firstChunk?: () => void; streamClosed?: () => void; pushEvent?: (data: string) => void; aborted?: () => void } = {};

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let identity: Identity | null = null;
  let requestId: string | undefined;
  try {
    ({ identity, requestId } = await verifyGatewayToken(String(req.headers[GATEWAY_TOKEN_HEADER] ?? ''), 'documents', DOCUMENTS_SECRET));
  } catch {
    res.writeHead(401).end();
    return;
  }
  seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, identity, requestId });
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/internal/rest/echo') {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      if (bytes === 0) hooks.firstChunk?.();
      bytes += chunk.length;
      hash.update(chunk);
    });
    req.on('aborted', () => hooks.aborted?.());
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', connection: 'keep-alive', 'x-upstream': 'yes' });
      res.end(JSON.stringify({ bytes, sha256: hash.digest('hex'), query: new URL(req.url ?? '/', 'http://x').search }));
    });
    return;
  }
  if (path === '/internal/rest/early') {
    req.resume(); // refuses without looking at the body
    res.writeHead(413, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message: 'too large', extensions: { code: 'BAD_USER_INPUT', reason: 'file.too-large' } }] }));
    return;
  }
  if (path === '/internal/rest/download') {
    const body = Buffer.alloc(3 * 1024 * 1024, 7);
    res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(body.length), 'content-disposition': "attachment; filename=\"a.pdf\"; filename*=UTF-8''%D0%90.pdf", 'access-control-allow-origin': '*' });
    res.end(body);
    return;
  }
  if (path === '/internal/rest/stream') {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    res.write('event: hello\ndata: {}\n\n');
    hooks.pushEvent = (data) => res.write(`event: document\ndata: ${data}\n\n`);
    res.on('close', () => hooks.streamClosed?.());
    return;
  }
  if (path === '/internal/rest/silent') return; // never answers
  res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"message":"nope","extensions":{"code":"NOT_FOUND"}}]}');
}

async function staffToken(): Promise<string> {
  return new SignJWT({ name: 'Мария Менеджер', roles: ['MANAGER'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('kartoteka-identity')
    .setAudience('kartoteka')
    .setSubject('00000000-0000-4000-8000-000000000002')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(JWT_SECRET));
}

type Sent = { status: number; headers: IncomingHttpHeaders; body: Buffer };

/** One request with a streamed body: `write` gets the request and ends it when it likes. */
function send(method: string, path: string, headers: Record<string, string>, write: (req: http.ClientRequest) => void = (req) => req.end()): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const req = http.request({ hostname, port, path, method, headers }, (res) => { // the path exactly as given
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    write(req);
  });
}

const json = (sent: Sent) => JSON.parse(sent.body.toString('utf8')) as { errors?: { message: string; extensions: Record<string, unknown> }[] } & Record<string, unknown>;

beforeAll(async () => {
  upstream = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/graphql`;
  gateway = await startGateway(
    loadConfig({
      NODE_ENV: 'production',
      PORT: '0',
      JWT_SECRET,
      CORS_ORIGINS: PORTAL,
      IDENTITY_URL: 'http://127.0.0.1:9/graphql',
      IDENTITY_SECRET: 'unused',
      COUNTERPARTIES_SECRET: 'unused',
      DEALS_SECRET: 'unused',
      FINANCE_SECRET: 'unused',
      MAILINGS_SECRET: 'unused',
      DOCUMENTS_URL: upstreamUrl,
      DOCUMENTS_SECRET,
      // only documents passes through here: deals, which passes by default, must then be refused like identity
      REST_SERVICES: 'documents,finance',
      REST_MAX_BODY_BYTES: String(MAX_BODY),
      REST_TIMEOUT_MS: '300',
    }),
    { logger: createLogger('gateway', 'silent') },
  );
  base = gateway.url.replace(/\/graphql$/, '');
});

afterAll(async () => {
  await gateway?.stop();
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
  for (const key of Object.keys(hooks) as (keyof typeof hooks)[]) delete hooks[key];
});

describe('REST pass-through: authentication and identity', () => {
  it('forwards a staff caller with the identity signed for the service, the request id, and not the credential', async () => {
    const token = await staffToken();
    const sent = await send('POST', '/rest/documents/echo?x=1', { authorization: `Bearer ${token}`, cookie: 'session=secret', 'content-type': 'application/octet-stream', 'x-request-id': 'req-12345678' }, (req) => req.end('hello'));
    expect(sent.status).toBe(200);
    expect(json(sent)).toEqual({ bytes: 5, sha256: createHash('sha256').update('hello').digest('hex'), query: '?x=1' });
    expect(sent.headers['x-request-id']).toBe('req-12345678');
    expect(sent.headers['x-upstream']).toBe('yes');
    expect(sent.headers.connection).not.toBe('close');
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe('/internal/rest/echo?x=1');
    expect(seen[0].identity).toMatchObject({ kind: 'user', id: '00000000-0000-4000-8000-000000000002', roles: ['MANAGER'] });
    expect(seen[0].requestId).toBe('req-12345678');
    expect(seen[0].headers['x-request-id']).toBe('req-12345678');
    expect(seen[0].headers.authorization).toBeUndefined();
    expect(seen[0].headers.cookie).toBeUndefined();
  });

  it('forwards an anonymous caller as anonymous (the service decides) and refuses a bad credential with 401 JSON', async () => {
    const anonymous = await send('GET', '/rest/documents/echo', {});
    expect(anonymous.status).toBe(200);
    expect(seen[0].identity).toEqual({ kind: 'anonymous' });

    seen.length = 0;
    const forged = await send('POST', '/rest/documents/echo', { authorization: 'Bearer not-a-jwt', 'content-type': 'application/octet-stream' }, (req) => req.end(Buffer.alloc(1000)));
    expect(forged.status).toBe(401);
    expect(forged.headers['content-type']).toMatch(/application\/json/);
    expect(json(forged).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(forged.headers['x-request-id']).toBeTruthy();
    const malformed = await send('GET', '/rest/documents/echo', { authorization: 'Basic abc' });
    expect(malformed.status).toBe(401);
    expect(seen).toHaveLength(0);
  });

  it('serves only the configured services and never leaves /internal/rest of the service', async () => {
    const token = await staffToken();
    for (const path of ['/rest/identity/authenticate-api-key', '/rest/deals/x', '/rest/', '/rest/documents/%2e%2e/%2e%2e/graphql', '/rest/documents/../../internal/authenticate-api-key']) {
      const sent = await send('GET', path, { authorization: `Bearer ${token}` });
      expect({ path, status: sent.status }).toEqual({ path, status: 404 });
    }
    expect(seen.every((call) => call.url.startsWith('/internal/rest/'))).toBe(true);
  });
});

describe('REST pass-through: bodies stream both ways', () => {
  it('streams an upload: the service receives the first bytes before the client has sent the rest', async () => {
    const token = await staffToken();
    const first = randomBytes(64 * 1024);
    const rest = randomBytes(100 * 1024);
    const sent = await send('POST', '/rest/documents/echo', { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, (req) => {
      hooks.firstChunk = () => req.end(rest); // the rest is sent only once the service has seen the start
      req.write(first);
    });
    expect(sent.status).toBe(200);
    expect(json(sent)).toMatchObject({ bytes: first.length + rest.length, sha256: createHash('sha256').update(first).update(rest).digest('hex') });
  });

  it('streams a download with its headers; connection headers and the service\'s CORS headers stay behind', async () => {
    const sent = await send('GET', '/rest/documents/download', { authorization: `Bearer ${await staffToken()}`, origin: PORTAL });
    expect(sent.status).toBe(200);
    expect(sent.body.length).toBe(3 * 1024 * 1024);
    expect(sent.body.every((byte) => byte === 7)).toBe(true);
    expect(sent.headers['content-length']).toBe(String(3 * 1024 * 1024));
    expect(sent.headers['content-disposition']).toContain("filename*=UTF-8''%D0%90.pdf");
    expect(sent.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(sent.headers['access-control-expose-headers']).toMatch(/content-disposition/);
  });

  it('passes Server-Sent Events through as they are written and hangs up on the service when the client leaves', async () => {
    const token = await staffToken();
    const closed = new Promise<void>((resolve) => (hooks.streamClosed = resolve));
    const req = http.request(`${base}/rest/documents/stream`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', reject);
      req.end();
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream');
    expect(res.headers['x-request-id']).toBeTruthy();
    let text = '';
    const waitFor = (fragment: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (text.includes(fragment)) {
            res.off('data', onData);
            resolve();
          }
        };
        const onData = (chunk: Buffer) => {
          text += chunk.toString('utf8');
          check();
        };
        res.on('data', onData);
        check();
      });
    await waitFor('event: hello');
    hooks.pushEvent?.('{"documentId":"d1"}');
    await waitFor('data: {"documentId":"d1"}');
    hooks.pushEvent?.('{"documentId":"d2"}');
    await waitFor('data: {"documentId":"d2"}');
    req.destroy();
    await closed; // the gateway closed its side towards the service
  });
});

describe('REST pass-through: shutdown', () => {
  it('ends open event streams when the gateway stops, so draining does not wait for them', async () => {
    const second = await startGateway(
      loadConfig({ NODE_ENV: 'production', PORT: '0', JWT_SECRET, IDENTITY_SECRET: 'x', COUNTERPARTIES_SECRET: 'x', DEALS_SECRET: 'x', FINANCE_SECRET: 'x', MAILINGS_SECRET: 'x', DOCUMENTS_SECRET, DOCUMENTS_URL: upstreamUrl, SHUTDOWN_GRACE_MS: '60000' }),
      { logger: createLogger('gateway', 'silent') },
    );
    const closed = new Promise<void>((resolve) => (hooks.streamClosed = resolve));
    const response = await fetch(second.url.replace(/\/graphql$/, '/rest/documents/stream'), { headers: { authorization: `Bearer ${await staffToken()}` } });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: hello');
    await second.stop(); // with a 60 s grace period, this returns only because the stream was ended
    const rest = await reader.read();
    expect(rest.done).toBe(true);
    await closed;
  });
});

describe('REST pass-through: limits and failures', () => {
  it('refuses a declared body above the cap without reading it or calling the service', async () => {
    const sent = await send('POST', '/rest/documents/echo', { authorization: `Bearer ${await staffToken()}`, 'content-type': 'application/octet-stream', 'content-length': String(MAX_BODY + 1) }, (req) => req.end(Buffer.alloc(16)));
    expect(sent.status).toBe(413);
    expect(json(sent).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'request.too-large' });
    expect(seen).toHaveLength(0);
  });

  it('cuts a streamed body at the cap: 413 to the client, the service\'s request aborted', async () => {
    const aborted = new Promise<void>((resolve) => (hooks.aborted = resolve));
    const chunk = Buffer.alloc(32 * 1024, 1);
    const sent = await send('POST', '/rest/documents/echo', { authorization: `Bearer ${await staffToken()}`, 'content-type': 'application/octet-stream' }, (req) => {
      req.on('error', () => undefined); // the gateway hangs up once it has answered
      let written = 0;
      const pump = () => {
        while (written <= MAX_BODY + chunk.length && req.write(chunk)) written += chunk.length;
        if (written <= MAX_BODY + chunk.length) req.once('drain', pump);
      };
      pump(); // never ends: the answer must come anyway
    });
    expect(sent.status).toBe(413);
    expect(json(sent).errors?.[0].extensions).toMatchObject({ reason: 'request.too-large' });
    await aborted;
  });

  it('relays a service\'s early refusal while the client is still sending', async () => {
    const sent = await send('POST', '/rest/documents/early', { authorization: `Bearer ${await staffToken()}`, 'content-type': 'application/octet-stream' }, (req) => {
      req.write(Buffer.alloc(1024)); // and never ends
    });
    expect(sent.status).toBe(413);
    expect(json(sent).errors?.[0].extensions.reason).toBe('file.too-large');
  });

  it('answers 503 SERVICE_UNAVAILABLE when the service cannot be reached or does not answer in time', async () => {
    const down = await startGateway(
      loadConfig({ NODE_ENV: 'production', PORT: '0', JWT_SECRET, IDENTITY_SECRET: 'x', COUNTERPARTIES_SECRET: 'x', DEALS_SECRET: 'x', FINANCE_SECRET: 'x', MAILINGS_SECRET: 'x', DOCUMENTS_SECRET, DOCUMENTS_URL: 'http://127.0.0.1:9/graphql' }),
      { logger: createLogger('gateway', 'silent') },
    );
    try {
      const response = await fetch(down.url.replace(/\/graphql$/, '/rest/documents/files'), { headers: { authorization: `Bearer ${await staffToken()}` } });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'SERVICE_UNAVAILABLE', service: 'documents' } }] });
    } finally {
      await down.stop();
    }
    const silent = await send('GET', '/rest/documents/silent', { authorization: `Bearer ${await staffToken()}` });
    expect(silent.status).toBe(503);
    expect(json(silent).errors?.[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('sends a GET to another instance of the service when the first refuses the connection; a body is never sent twice', async () => {
    const replicas = await startGateway(
      loadConfig({ NODE_ENV: 'production', PORT: '0', JWT_SECRET, IDENTITY_SECRET: 'x', COUNTERPARTIES_SECRET: 'x', DEALS_SECRET: 'x', FINANCE_SECRET: 'x', MAILINGS_SECRET: 'x', DOCUMENTS_SECRET, DOCUMENTS_URLS: `http://127.0.0.1:9/graphql,${upstreamUrl}` }),
      { logger: createLogger('gateway', 'silent') },
    );
    const restBase = replicas.url.replace(/\/graphql$/, '/rest/documents');
    const authorization = `Bearer ${await staffToken()}`;
    try {
      // the first instance listed is the first choice: the GET reaches the second one
      const got = await fetch(`${restBase}/echo?n=1`, { headers: { authorization } });
      expect(got.status).toBe(200);
      expect(await got.json()).toMatchObject({ query: '?n=1' });
      expect(seen.map((one) => one.method)).toEqual(['GET']);
      // the refusing instance is now marked down: an upload goes straight to the other one
      const posted = await fetch(`${restBase}/echo`, { method: 'POST', headers: { authorization, 'content-type': 'application/octet-stream' }, body: Buffer.alloc(1000, 1) });
      expect(posted.status).toBe(200);
      expect(await posted.json()).toMatchObject({ bytes: 1000 });
    } finally {
      await replicas.stop();
    }
    seen.length = 0;
    const fresh = await startGateway(
      loadConfig({ NODE_ENV: 'production', PORT: '0', JWT_SECRET, IDENTITY_SECRET: 'x', COUNTERPARTIES_SECRET: 'x', DEALS_SECRET: 'x', FINANCE_SECRET: 'x', MAILINGS_SECRET: 'x', DOCUMENTS_SECRET, DOCUMENTS_URLS: `http://127.0.0.1:9/graphql,${upstreamUrl}` }),
      { logger: createLogger('gateway', 'silent') },
    );
    try {
      // an upload that found its instance refusing is not replayed elsewhere (its body is already streaming)
      const posted = await fetch(fresh.url.replace(/\/graphql$/, '/rest/documents/echo'), { method: 'POST', headers: { authorization, 'content-type': 'application/octet-stream' }, body: Buffer.alloc(1000, 1) });
      expect(posted.status).toBe(503);
      expect(seen).toEqual([]);
    } finally {
      await fresh.stop();
    }
  });

  it('answers CORS preflights for the portal like /graphql, allowing the authorization header', async () => {
    const response = await fetch(`${base}/rest/documents/files`, { method: 'OPTIONS', headers: { origin: PORTAL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const foreign = await fetch(`${base}/rest/documents/files`, { method: 'OPTIONS', headers: { origin: 'http://evil.test', 'access-control-request-method': 'POST' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(seen).toHaveLength(0);
  });
});
