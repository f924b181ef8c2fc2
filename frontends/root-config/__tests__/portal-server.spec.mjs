import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { startPortalServer } from '../portal-server.mjs';

const INDEX = `<!doctype html><html><head><!--kartoteka:config--><script type="importmap">{"imports":{}}</script></head><body></body></html>`;

describe('portal server', () => {
  let dir;
  let portal;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kartoteka-portal-'));
    const rootDist = path.join(dir, 'root-config', 'dist');
    await mkdir(path.join(rootDist, 'vendor'), { recursive: true });
    await mkdir(path.join(dir, 'deals', 'dist'), { recursive: true });
    await mkdir(path.join(dir, 'secret'), { recursive: true });
    await writeFile(path.join(rootDist, 'index.html'), INDEX);
    await writeFile(path.join(rootDist, 'vendor', 'vue.js'), `export const big = ${JSON.stringify('x'.repeat(4000))};`);
    await writeFile(path.join(rootDist, 'root-config.css'), 'body{}');
    await writeFile(path.join(dir, 'deals', 'dist', 'deals.js'), 'export const mount = 1;');
    await writeFile(path.join(dir, 'secret', 'key.txt'), 'secret');
    await mkdir(path.join(dir, 'api-reference'), { recursive: true });
    await writeFile(path.join(dir, 'api-reference', 'index.html'), '<!doctype html><title>Kartoteka API reference</title><script>/* nav */</script>');
    await writeFile(path.join(dir, 'api-reference', 'CHANGELOG.md'), '# Kartoteka API changelog\n');
    portal = await startPortalServer({
      port: 0,
      gatewayUrl: 'http://gw.example:4000/graphql</script><script>alert(1)',
      rootDist,
      appsDir: dir,
      apiReferenceDir: path.join(dir, 'api-reference'),
    });
  });

  after(async () => {
    await portal?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const get = (url, headers = {}) => fetch(new URL(url, portal.url), { headers });

  it('serves index.html with the injected config and a CSP that hashes its inline scripts', async () => {
    const res = await get('/');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    const html = await res.text();
    const config = /<script>(window\.__KARTOTEKA__=[^<]*)<\/script>/.exec(html);
    assert.ok(config, 'config script injected');
    assert.ok(!html.includes('</script><script>alert(1)'), 'a config value cannot close the script tag');
    const csp = res.headers.get('content-security-policy');
    const hash = `'sha256-${createHash('sha256').update(config[1]).digest('base64')}'`;
    assert.ok(csp.includes(hash), 'CSP allows exactly the config script');
    assert.ok(csp.includes('connect-src') && csp.includes('http://gw.example:4000'));
  });

  it('falls back to index.html for client-side routes only', async () => {
    const card = await get('/counterparties/123/edit');
    assert.equal(card.status, 200);
    assert.match(await card.text(), /__KARTOTEKA__/);
    assert.equal((await get('/missing.js')).status, 404);
    assert.equal((await get('/apps/deals/missing.js')).status, 404);
  });

  it('serves the apps and vendor modules with correct types, revalidation and gzip', async () => {
    const app = await get('/apps/deals/deals.js');
    assert.equal(app.status, 200);
    assert.match(app.headers.get('content-type'), /^text\/javascript/);
    const etag = app.headers.get('etag');
    assert.ok(etag);
    assert.equal((await get('/apps/deals/deals.js', { 'if-none-match': etag })).status, 304);
    assert.match((await get('/root-config.css')).headers.get('content-type'), /^text\/css/);

    const raw = await new Promise((resolve, reject) => {
      import('node:http').then(({ get: httpGet }) =>
        httpGet(new URL('/vendor/vue.js', portal.url), { headers: { 'accept-encoding': 'gzip' } }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject),
      );
    });
    assert.equal(raw.headers['content-encoding'], 'gzip');
    assert.match(gunzipSync(raw.body).toString(), /^export const big/);
  });

  it('never serves files outside the app dist folders', async () => {
    for (const url of ['/apps/secret/key.txt', '/apps/deals/..%2F..%2Fsecret%2Fkey.txt', '/%2e%2e/%2e%2e/secret/key.txt']) {
      const res = await get(url);
      assert.notEqual(await res.text(), 'secret', url);
    }
  });

  it('serves the API reference with its changelog, under a CSP of its own, and nothing beside it', async () => {
    const redirect = await fetch(new URL('/api-reference', portal.url), { redirect: 'manual' });
    assert.equal(redirect.status, 308);
    assert.equal(redirect.headers.get('location'), '/api-reference/');
    const page = await get('/api-reference/');
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Kartoteka API reference/);
    assert.match(page.headers.get('content-security-policy'), /default-src 'none'.*frame-ancestors 'none'/);
    const changelog = await get('/api-reference/CHANGELOG.md');
    assert.equal(changelog.headers.get('content-type'), 'text/markdown; charset=utf-8');
    assert.match(await changelog.text(), /API changelog/);
    for (const url of ['/api-reference/..%2Fsecret%2Fkey.txt', '/api-reference/missing.html']) assert.equal((await get(url)).status, 404, url);
  });

  it('rejects methods other than GET and HEAD', async () => {
    const res = await fetch(portal.url, { method: 'POST', body: 'x' });
    assert.equal(res.status, 405);
  });
});

describe('portal server: the modules of a page, preloaded with it', () => {
  let dir;
  let portal;
  const IMPORT_MAP = { imports: { vue: '/vendor/vue.js', '@x/deals': '/apps/deals/deals.js', '@x/documents': '/apps/documents/documents.js' } };
  const PAGE = `<!doctype html><html><head><!--kartoteka:config--><script type="importmap">${JSON.stringify(IMPORT_MAP)}</script>
<link rel="modulepreload" href="/root-config.js" />
<!--kartoteka:route-preload-->
</head><body></body></html>`;
  const graph = (modules) => JSON.stringify({ modules });

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kartoteka-portal-preload-'));
    const rootDist = path.join(dir, 'root-config', 'dist');
    const deals = path.join(dir, 'deals', 'dist');
    await mkdir(path.join(rootDist, 'vendor', 'chunks'), { recursive: true });
    await mkdir(deals, { recursive: true });
    await mkdir(path.join(dir, 'documents', 'dist'), { recursive: true });
    await writeFile(path.join(rootDist, 'index.html'), PAGE);
    // the route table the root config builds: apps of the card, none on the login page
    await writeFile(path.join(rootDist, 'routes.mjs'), "export const modulesOfPath = (p) => (p.startsWith('/card/') ? ['@x/deals', '@x/documents'] : []);\n");
    await writeFile(path.join(rootDist, 'modules.json'), graph({ 'root-config.js': { entry: true, imports: ['vue'] } }));
    await writeFile(path.join(rootDist, 'vendor', 'modules.json'), graph({ 'vue.js': { entry: true, imports: ['chunks/shared-1.js'] }, 'chunks/shared-1.js': { entry: false, imports: [] } }));
    // deals: its entry imports two levels of chunks, a shared library and another app; lazy.js is imported only dynamically
    await writeFile(
      path.join(deals, 'modules.json'),
      graph({
        'deals.js': { entry: true, imports: ['chunk-a.js', 'vue', '@x/documents'] },
        'chunk-a.js': { entry: false, imports: ['chunk-b.js'] },
        'chunk-b.js': { entry: false, imports: ['chunk-a.js'] },
        'lazy.js': { entry: false, imports: ['chunk-b.js'] },
      }),
    );
    portal = await startPortalServer({ port: 0, rootDist, appsDir: dir });
  });

  after(async () => {
    await portal?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const preloadsOf = async (url) => {
    const res = await fetch(new URL(url, portal.url));
    assert.equal(res.status, 200);
    const html = await res.text();
    return { html, csp: res.headers.get('content-security-policy'), links: [...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1]) };
  };

  it('lists every module the route needs once, following static imports through the import map, never lazy chunks', async () => {
    const { links } = await preloadsOf('/card/42');
    assert.deepEqual(links, [
      '/root-config.js',
      // the template's own preload imports vue, which imports a chunk of the vendor build
      '/vendor/vue.js',
      '/vendor/chunks/shared-1.js',
      '/apps/deals/deals.js',
      '/apps/deals/chunk-a.js',
      '/apps/deals/chunk-b.js',
      '/apps/documents/documents.js',
    ]);
  });

  it('leaves the route preloads out when asked to (the baseline of the portal benchmark)', async () => {
    const plain = await startPortalServer({ port: 0, rootDist: path.join(dir, 'root-config', 'dist'), appsDir: dir, preloadRoutes: false });
    try {
      const html = await (await fetch(new URL('/card/42', plain.url))).text();
      assert.deepEqual([...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1]), ['/root-config.js']);
    } finally {
      await plain.close();
    }
  });

  it('adds only what the root config imports for a page without apps, and keeps the CSP of the inline scripts', async () => {
    const login = await preloadsOf('/login');
    assert.deepEqual(login.links, ['/root-config.js', '/vendor/vue.js', '/vendor/chunks/shared-1.js']);
    const card = await preloadsOf('/card/7');
    assert.equal(card.csp, login.csp, 'the preload links add no inline script');
    assert.ok(!login.html.includes('kartoteka:route-preload'));
  });
});

describe('portal server: each app deploys alone', () => {
  let dir;
  let portal;
  let deals;
  const IMPORT_MAP = { imports: { vue: '/vendor/vue.js', '@kartoteka/deals': '/apps/deals/deals.js', '@kartoteka/documents': '/apps/documents/documents.js' } };
  const PAGE = `<!doctype html><html><head><!--kartoteka:config--><script type="importmap">${JSON.stringify(IMPORT_MAP)}</script>
<link rel="modulepreload" href="/root-config.js" />
<!--kartoteka:route-preload-->
<link rel="stylesheet" href="/root-config.css" /><script type="module" src="/root-config.js"></script>
</head><body></body></html>`;
  const STAGING = 'https://staging.example';

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kartoteka-portal-deploy-'));
    const rootDist = path.join(dir, 'root-config', 'dist');
    deals = path.join(dir, 'deals', 'dist');
    await mkdir(path.join(rootDist, 'vendor'), { recursive: true });
    await mkdir(deals, { recursive: true });
    await mkdir(path.join(dir, 'documents', 'dist'), { recursive: true });
    await writeFile(path.join(rootDist, 'index.html'), PAGE);
    await writeFile(path.join(rootDist, 'root-config.js'), 'import "vue";');
    await writeFile(path.join(rootDist, 'root-config.css'), 'body{}');
    await writeFile(path.join(rootDist, 'vendor', 'vue.js'), 'export const vue = 3;');
    await writeFile(path.join(deals, 'deals.js'), 'export const release = 1;');
    await writeFile(path.join(deals, 'DealPage-AbCd12_-.js'), 'export const page = 1;');
    await writeFile(path.join(dir, 'documents', 'dist', 'documents.js'), 'export const release = 1;');
    portal = await startPortalServer({ port: 0, rootDist, appsDir: dir, importMapOverrideOrigins: [STAGING] });
  });

  after(async () => {
    await portal?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const page = async (headers = {}) => {
    const res = await fetch(new URL('/', portal.url), { headers });
    const html = await res.text();
    const imports = JSON.parse(/<script type="importmap">([\s\S]*?)<\/script>/.exec(html)[1]).imports;
    return { res, html, imports };
  };
  const sha = (text) => createHash('sha256').update(text).digest('hex').slice(0, 12);

  it('writes the import map from the files on disk, every URL carrying its content hash; the page itself is never cached', async () => {
    const { res, html, imports } = await page();
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(imports['@kartoteka/deals'], `/apps/deals/deals.js?v=${sha('export const release = 1;')}`);
    assert.equal(imports.vue, `/vendor/vue.js?v=${sha('export const vue = 3;')}`);
    // the page's own module, its preload and its stylesheet name the same versioned URLs
    const rootModule = `/root-config.js?v=${sha('import "vue";')}`;
    assert.ok(html.includes(`<script type="module" src="${rootModule}">`));
    assert.ok(html.includes(`<link rel="modulepreload" href="${rootModule}" />`));
    assert.ok(html.includes(`href="/root-config.css?v=${sha('body{}')}"`));
  });

  it('caches a versioned URL and a hashed chunk for a year, anything else (or an outdated version) is revalidated', async () => {
    const { imports } = await page();
    assert.equal((await fetch(new URL(imports['@kartoteka/deals'], portal.url))).headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal((await fetch(new URL('/apps/deals/DealPage-AbCd12_-.js', portal.url))).headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal((await fetch(new URL('/apps/deals/deals.js', portal.url))).headers.get('cache-control'), 'no-cache');
    assert.equal((await fetch(new URL('/apps/deals/deals.js?v=000000000000', portal.url))).headers.get('cache-control'), 'no-cache');
  });

  it('takes a new release of one app by replacing its files: the next page names it, the others unchanged, no restart', async () => {
    const before = (await page()).imports;
    await writeFile(path.join(deals, 'deals.js'), 'export const release = 2;');
    const after = (await page()).imports;
    assert.equal(after['@kartoteka/deals'], `/apps/deals/deals.js?v=${sha('export const release = 2;')}`);
    assert.notEqual(after['@kartoteka/deals'], before['@kartoteka/deals']);
    assert.equal(after['@kartoteka/documents'], before['@kartoteka/documents']);
  });

  it('tries one app from an allowed origin through an override cookie, refuses any other, and resets', async () => {
    const refused = await fetch(new URL(`/__import-map-override?@kartoteka/deals=${encodeURIComponent('https://evil.example/deals.js')}`, portal.url), { redirect: 'manual' });
    assert.equal(refused.status, 400);
    assert.equal((await fetch(new URL('/__import-map-override?vue=https%3A%2F%2Fstaging.example%2Fvue.js', portal.url), { redirect: 'manual' })).status, 400);

    const set = await fetch(new URL(`/__import-map-override?@kartoteka/deals=${encodeURIComponent(`${STAGING}/deals/deals.js`)}`, portal.url), { redirect: 'manual' });
    assert.equal(set.status, 303);
    const cookie = set.headers.get('set-cookie');
    assert.match(cookie, /HttpOnly/);
    const { res, imports } = await page({ cookie: cookie.split(';')[0] });
    assert.equal(imports['@kartoteka/deals'], `${STAGING}/deals/deals.js`);
    assert.match(imports['@kartoteka/documents'], /^\/apps\/documents\/documents\.js\?v=/);
    assert.match(res.headers.get('content-security-policy'), new RegExp(`script-src 'self' [^;]*${STAGING.replace(/\./g, '\\.')}`));

    // a forged cookie naming another origin changes nothing
    const forged = `kartoteka-import-map-override=${encodeURIComponent(JSON.stringify({ '@kartoteka/deals': 'https://evil.example/x.js' }))}`;
    assert.match((await page({ cookie: forged })).imports['@kartoteka/deals'], /^\/apps\/deals\/deals\.js\?v=/);

    const reset = await fetch(new URL('/__import-map-override?reset', portal.url), { redirect: 'manual', headers: { cookie: cookie.split(';')[0] } });
    assert.match(reset.headers.get('set-cookie'), /Max-Age=0/);
  });

  it('has no override endpoint unless origins are configured', async () => {
    const plain = await startPortalServer({ port: 0, rootDist: path.join(dir, 'root-config', 'dist'), appsDir: dir });
    try {
      assert.equal((await fetch(new URL('/__import-map-override?reset', plain.url), { redirect: 'manual' })).status, 404);
    } finally {
      await plain.close();
    }
  });
});
