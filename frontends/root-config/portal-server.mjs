/**
 * The portal's static server (plain node:http, no dependencies):
 *   /                       frontends/root-config/dist (index.html, root-config.js, vendor/*)
 *   /apps/<name>/<file>     frontends/<name>/dist/<file> for the utility module and each microfrontend
 *   /api-reference/         the partner API reference built by the gateway (gateway/dist/api-reference: index.html,
 *                           CHANGELOG.md, partner-guide.md)
 *   any other path without a file extension -> index.html (the single-spa routes), with the portal
 *   config injected as window.__KARTOTEKA__, a Content-Security-Policy that allows its inline scripts, and
 *   a `<link rel="modulepreload">` for every module the page's apps need (see routePreloads).
 *
 * Each microfrontend deploys alone: the import map is written into every page from the files on disk now, each
 * module's URL carrying its content hash (`/apps/deals/deals.js?v=<hash>`), so replacing one app's dist folder is
 * all a release of it takes — no rebuild of the root config, no restart. Such a versioned URL, and a chunk whose
 * name carries its hash, is cached for a year (immutable); index.html, with its import map, is never cached.
 * An import-map override (a cookie set at /__import-map-override, allowed only for the origins configured) lets
 * one app be tried in production from another address without touching the others.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { servedApps } from '@kartoteka/frontend-tooling/externals';
import { MODULE_GRAPH_FILE } from '@kartoteka/frontend-tooling/module-graph';

const gzip = promisify(zlib.gzip);

const here = path.dirname(fileURLToPath(import.meta.url));
const frontendsDir = path.resolve(here, '..');

export const DEFAULT_PORTAL_PORT = 8080;
export const DEFAULT_PORTAL_HOST = '127.0.0.1';
export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:4000/graphql';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.map', '.json', '.svg', '.txt', '.md']);

/**
 * The API reference is one generated page with its own inline script and styles (SpectaQL) and no user data: it may
 * run those, and nothing else; it loads nothing from anywhere and is never framed.
 */
const API_REFERENCE_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** `<script>` text that sets the config; `<` is escaped so no value can close the tag. */
const configScript = (config) => `window.__KARTOTEKA__=${JSON.stringify(config).replace(/</g, '\\u003c')};`;

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const originOf = (url) => {
  try {
    return new URL(url).origin;
  } catch {
    return null; // relative URL: same origin
  }
};

const IMPORT_MAP_TAG = /<script type="importmap">([\s\S]*?)<\/script>/;

const importMapOf = (template) => {
  try {
    return JSON.parse(IMPORT_MAP_TAG.exec(template)?.[1] ?? '{}').imports ?? {};
  } catch {
    return {};
  }
};

/** A built chunk of an app (`name-<8-character hash>.js`): its name changes with its content. */
const HASHED_CHUNK = /^\/apps\/[^/]+\/(?:.+\/)?[^/]+-[A-Za-z0-9_-]{8}\.js$/;

const IMMUTABLE = 'public, max-age=31536000, immutable';

export const IMPORT_MAP_OVERRIDE_COOKIE = 'kartoteka-import-map-override';
export const IMPORT_MAP_OVERRIDE_PATH = '/__import-map-override';

const cookieOf = (req, name) => {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
};

const preloadedIn = (template) => [...template.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((match) => match[1]);

const escapeAttribute = (value) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** index.html with the config and the route's preloads injected, plus a CSP hashing its inline scripts (config and import map). */
const renderIndex = (template, config, preloads = [], extraScriptSources = []) => {
  const script = `<script>${configScript(config)}</script>`;
  const links = preloads.map((url) => `<link rel="modulepreload" href="${escapeAttribute(url)}" />`).join('\n    ');
  const withConfig = template.includes('<!--kartoteka:config-->')
    ? template.replace('<!--kartoteka:config-->', script)
    : template.replace('</head>', `${script}</head>`);
  const html = withConfig.includes('<!--kartoteka:route-preload-->')
    ? withConfig.replace('<!--kartoteka:route-preload-->', links)
    : withConfig.replace('</head>', `${links}</head>`);
  const inlineHashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => sha256(m[1]));
  const gatewayOrigin = originOf(config.gatewayUrl);
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${[...inlineHashes, ...extraScriptSources].join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    // blob: previews of documents' images and PDFs (fetched with the session's token, shown from object URLs)
    "img-src 'self' data: blob:",
    "frame-src blob:",
    "font-src 'self' data:",
    `connect-src 'self'${gatewayOrigin ? ` ${gatewayOrigin}` : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, csp };
};

const readJson = async (file) => {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
};

/**
 * The modules a page needs, as URLs in the order to preload them: the import-map modules of the apps mounted on
 * the route (`modulesOfPath` of the built route table, dist/routes.mjs) and everything they import statically,
 * followed through the `modules.json` each build writes (chunks by file, shared libraries through the import
 * map). Lazy chunks (dynamic imports) are left out. Without the route table or a graph, fewer links: never an error.
 * Read once at start (like the import map, the builds are fixed while the server runs): restart it after a rebuild.
 */
const createRoutePreloads = async ({ rootDist, appDists }) => {
  const routes = await import(pathToFileURL(path.join(rootDist, 'routes.mjs')).href).catch(() => null);
  /** URL path -> the dist folder serving it (`root`), the file in it and the URL of that folder. */
  const locate = (versionedUrl) => {
    const url = versionedUrl.split('?')[0];
    const app = /^\/apps\/([^/]+)\/(.+)$/.exec(url);
    if (app) return appDists.has(app[1]) ? { root: appDists.get(app[1]), file: app[2], urlBase: `/apps/${app[1]}/` } : null;
    return { root: rootDist, file: url.replace(/^\//, ''), urlBase: '/' };
  };
  const graphs = new Map();
  const graphOf = async (dir) => {
    if (!graphs.has(dir)) graphs.set(dir, (await readJson(path.join(dir, MODULE_GRAPH_FILE)))?.modules ?? null);
    return graphs.get(dir);
  };
  /** The static imports of the module at `url`: from the modules.json of its folder or the nearest one above, up to its dist. */
  const importsOf = async (url) => {
    const place = locate(url);
    if (!place) return [];
    const file = path.join(place.root, place.file);
    for (let dir = path.dirname(file); dir === place.root || isInside(place.root, dir); dir = path.dirname(dir)) {
      const graph = await graphOf(dir);
      const key = path.relative(dir, file).split(path.sep).join('/');
      if (graph?.[key]) {
        const base = place.urlBase + path.relative(place.root, dir).split(path.sep).filter(Boolean).map((part) => `${part}/`).join('');
        return graph[key].imports.map((imported) => ({ imported, base }));
      }
      if (dir === place.root) break;
    }
    return [];
  };
  const cache = new Map();
  /** URLs to preload for the page at `pathname`, leaving out those the template already preloads (their imports are not). */
  return async (pathname, importMap, alreadyListed) => {
    const specifiers = routes?.modulesOfPath?.(pathname) ?? [];
    const key = `${specifiers.join(' ')}|${JSON.stringify(importMap)}`;
    if (!cache.has(key)) {
      const urls = [];
      const listed = new Set(alreadyListed);
      const seen = new Set();
      const visit = async (url) => {
        if (!url || seen.has(url)) return;
        seen.add(url);
        if (!listed.has(url)) urls.push(url);
        for (const { imported, base } of await importsOf(url)) {
          await visit(importMap[imported] ?? (imported.startsWith('/') ? imported : base + imported));
        }
      };
      for (const url of alreadyListed) await visit(url);
      for (const specifier of specifiers) await visit(importMap[specifier]);
      cache.set(key, urls);
    }
    return cache.get(key);
  };
};

const isInside = (dir, file) => {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
};

const statFile = async (file) => {
  try {
    const info = await stat(file);
    return info.isFile() ? info : null;
  } catch {
    return null;
  }
};

/**
 * Starts the portal server. Resolves once it listens; `close()` stops accepting connections,
 * lets open requests finish (closing idle keep-alive sockets at once) and resolves when done.
 */
export const startPortalServer = async ({
  port = DEFAULT_PORTAL_PORT,
  host = DEFAULT_PORTAL_HOST,
  gatewayUrl = DEFAULT_GATEWAY_URL,
  rootDist = path.join(here, 'dist'),
  appsDir = frontendsDir,
  /**
   * Origins an import-map override may load an app from (`'self'` for this server's own paths); empty: overrides off.
   */
  importMapOverrideOrigins = [],
  /** The partner API reference the gateway's build writes (served at /api-reference/; absent: 404). */
  apiReferenceDir = path.resolve(frontendsDir, '..', 'gateway', 'dist', 'api-reference'),
  /** `false`: no preloads of the route's modules (only the template's own): for comparing in benchmarks. */
  preloadRoutes = true,
  log = () => {},
} = {}) => {
  const indexFile = path.join(rootDist, 'index.html');
  if (!(await statFile(indexFile))) {
    throw new Error(`Portal is not built: ${indexFile} is missing. Run \`pnpm build\` first.`);
  }

  const config = { gatewayUrl };
  const appDists = new Map(servedApps.map((name) => [name, path.join(appsDir, name, 'dist')]));
  const routePreloads = preloadRoutes ? await createRoutePreloads({ rootDist, appDists }) : async () => [];

  /** Cache of file contents (and gzip) keyed by path, invalidated by mtime and size. */
  const cache = new Map();
  const load = async (file, info) => {
    const key = `${info.mtimeMs}:${info.size}`;
    const hit = cache.get(file);
    if (hit && hit.key === key) return hit;
    const entry = { key, body: await readFile(file), gzipped: null, index: new Map() };
    cache.set(file, entry);
    return entry;
  };

  const resolveFile = (pathname) => {
    if (pathname === '/api-reference' || pathname.startsWith('/api-reference/')) {
      const file = path.join(apiReferenceDir, pathname.slice('/api-reference/'.length) || 'index.html');
      return { file: isInside(apiReferenceDir, file) ? file : null, fallback: false, apiReference: true };
    }
    const app = /^\/apps\/([^/]+)\/(.+)$/.exec(pathname);
    if (app) {
      const dist = appDists.get(app[1]);
      if (!dist) return { file: null, fallback: false };
      const file = path.join(dist, app[2]);
      return { file: isInside(dist, file) ? file : null, fallback: false };
    }
    if (pathname === '/' || pathname === '/index.html') return { file: indexFile, fallback: false };
    const file = path.join(rootDist, pathname);
    return { file: isInside(rootDist, file) ? file : null, fallback: path.extname(pathname) === '' };
  };

  const send = async (req, res, status, headers, body, ext) => {
    let payload = body;
    const wantsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (COMPRESSIBLE.has(ext)) res.setHeader('Vary', 'Accept-Encoding');
    if (wantsGzip && COMPRESSIBLE.has(ext) && body.length > 1024 && headers.gzipped !== undefined) {
      payload = await headers.gzipped();
      res.setHeader('Content-Encoding', 'gzip');
    }
    delete headers.gzipped;
    res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'Content-Length': payload.length });
    res.end(req.method === 'HEAD' ? undefined : payload);
  };

  /** The content hash of the file behind a same-origin URL (12 hex digits), or null when there is none. */
  const versionOfPath = async (pathname) => {
    const { file } = resolveFile(pathname);
    const info = file && file !== indexFile ? await statFile(file) : null;
    if (!info) return null;
    const entry = await load(file, info);
    entry.version ??= createHash('sha256').update(entry.body).digest('hex').slice(0, 12);
    return entry.version;
  };
  /** `/x.js` → `/x.js?v=<hash>` for a file this server serves; anything else as it is. */
  const versioned = async (url) => {
    if (typeof url !== 'string' || !url.startsWith('/') || url.startsWith('//')) return url;
    const path = url.split('?')[0];
    const version = await versionOfPath(path);
    return version ? `${path}?v=${version}` : url;
  };

  const overrideOrigins = new Set(importMapOverrideOrigins);
  /** An override URL is allowed when it is one of this server's paths ('self') or on an allowed origin. */
  const overrideAllowed = (url) => {
    if (typeof url !== 'string') return false;
    if (url.startsWith('/') && !url.startsWith('//')) return overrideOrigins.has("'self'");
    try {
      const parsed = new URL(url);
      return /^https?:$/.test(parsed.protocol) && overrideOrigins.has(parsed.origin);
    } catch {
      return false;
    }
  };
  /** The overrides of the request's cookie that name an app of the import map and an allowed URL. */
  const overridesOf = (req, baseMap) => {
    if (!overrideOrigins.size) return {};
    let wanted;
    try {
      wanted = JSON.parse(cookieOf(req, IMPORT_MAP_OVERRIDE_COOKIE) ?? '{}');
    } catch {
      return {};
    }
    if (typeof wanted !== 'object' || wanted === null) return {};
    return Object.fromEntries(Object.entries(wanted).filter(([specifier, url]) => specifier.startsWith('@kartoteka/') && specifier in baseMap && overrideAllowed(url)));
  };

  /** The template with its import map and its own module, preload and stylesheet URLs versioned (and overridden). */
  const versionTemplate = async (template, overrides) => {
    const baseMap = importMapOf(template);
    const imports = {};
    for (const [specifier, url] of Object.entries(baseMap)) imports[specifier] = overrides[specifier] ?? (await versioned(url));
    let html = template.replace(IMPORT_MAP_TAG, () => `<script type="importmap">${JSON.stringify({ imports })}</script>`);
    const urls = [...html.matchAll(/<(?:link rel="(?:modulepreload|stylesheet)" href|script type="module" src)="(\/[^"/][^"]*)"/g)].map((match) => match[1]);
    for (const url of new Set(urls)) {
      const next = await versioned(url);
      if (next !== url) html = html.split(`="${url}"`).join(`="${escapeAttribute(next)}"`);
    }
    return { html, imports };
  };

  /** index.html for the page at `pathname`: one rendering per import map and set of preloaded modules. */
  const serveIndex = async (req, res, pathname) => {
    const info = await statFile(indexFile);
    if (!info) return sendText(res, 503, 'Portal is not built');
    const entry = await load(indexFile, info);
    const overrides = overridesOf(req, importMapOf(entry.body.toString('utf8')));
    const { html: template, imports } = await versionTemplate(entry.body.toString('utf8'), overrides);
    const preloads = await routePreloads(pathname, imports, preloadedIn(template));
    const key = `${JSON.stringify(imports)}|${preloads.join(' ')}`;
    if (!entry.index.has(key)) {
      const overrideSources = [...new Set(Object.values(overrides).map((url) => originOf(url)).filter(Boolean))];
      const { html, csp } = renderIndex(template, config, preloads, overrideSources);
      entry.index.set(key, { body: Buffer.from(html, 'utf8'), csp, gzipped: null });
    }
    const index = entry.index.get(key);
    return send(
      req,
      res,
      200,
      {
        'Content-Type': CONTENT_TYPES['.html'],
        'Cache-Control': 'no-store',
        'Content-Security-Policy': index.csp,
        gzipped: async () => (index.gzipped ??= await gzip(index.body)),
      },
      index.body,
      '.html',
    );
  };

  const sendText = (res, status, text, extra = {}) => {
    const body = Buffer.from(text, 'utf8');
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': CONTENT_TYPES['.txt'], 'Content-Length': body.length, ...extra });
    res.end(body);
  };

  /**
   * `GET /__import-map-override?@kartoteka/deals=https://staging.example/deals/deals.js` tries one app from elsewhere
   * in this browser (a cookie, a day long); `?reset` ends every override. Only with allowed origins configured.
   */
  const setOverride = async (req, res) => {
    if (!overrideOrigins.size) return sendText(res, 404, 'Not Found');
    const params = new URL(req.url ?? '/', 'http://portal').searchParams;
    let overrides = {};
    if (!params.has('reset')) {
      try {
        overrides = JSON.parse(cookieOf(req, IMPORT_MAP_OVERRIDE_COOKIE) ?? '{}') ?? {};
      } catch {
        overrides = {};
      }
      for (const [specifier, url] of params) {
        if (!specifier.startsWith('@kartoteka/')) return sendText(res, 400, `Not an app of the portal: ${specifier}`);
        if (url === '') delete overrides[specifier];
        else if (!overrideAllowed(url)) return sendText(res, 400, `Overrides may load only from: ${[...overrideOrigins].join(', ')}`);
        else overrides[specifier] = url;
      }
    }
    const value = encodeURIComponent(JSON.stringify(overrides));
    const cookie = Object.keys(overrides).length
      ? `${IMPORT_MAP_OVERRIDE_COOKIE}=${value}; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax`
      : `${IMPORT_MAP_OVERRIDE_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`;
    res.writeHead(303, { ...SECURITY_HEADERS, Location: '/', 'Set-Cookie': cookie, 'Cache-Control': 'no-store', 'Content-Length': 0 });
    return res.end();
  };

  const handle = async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://portal').pathname);
    } catch {
      return sendText(res, 400, 'Bad Request');
    }
    if (pathname.includes('\0')) return sendText(res, 400, 'Bad Request');

    if (pathname === '/api-reference') return sendText(res, 308, 'Permanent Redirect', { Location: '/api-reference/' });
    if (pathname === IMPORT_MAP_OVERRIDE_PATH) return setOverride(req, res);
    const { file, fallback, apiReference } = resolveFile(pathname);
    if (file === indexFile) return serveIndex(req, res, pathname);
    const info = file ? await statFile(file) : null;
    if (!info) return fallback ? serveIndex(req, res, pathname) : sendText(res, 404, 'Not Found');

    const ext = path.extname(file).toLowerCase();
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    // A URL that names the content (its hash in the query, as the import map writes it, or in a chunk's name) never
    // changes: cached for a year. Any other, or an outdated ?v=, is revalidated each time.
    const asked = new URL(req.url ?? '/', 'http://portal').searchParams.get('v');
    const immutable = (asked !== null && asked === (await versionOfPath(pathname))) || (asked === null && HASHED_CHUNK.test(pathname));
    const common = {
      'Content-Type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
      'Cache-Control': immutable ? IMMUTABLE : 'no-cache',
      ETag: etag,
      ...(apiReference ? { 'Content-Security-Policy': API_REFERENCE_CSP } : {}),
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ...SECURITY_HEADERS, ...common });
      return res.end();
    }
    const entry = await load(file, info);
    return send(req, res, 200, { ...common, gzipped: async () => (entry.gzipped ??= await gzip(entry.body)) }, entry.body, ext);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      log(`portal: ${req.method} ${req.url} failed: ${error?.stack ?? error}`);
      if (!res.headersSent) sendText(res, 500, 'Internal Server Error');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${actualPort}/`;

  let closing = null;
  const close = () =>
    (closing ??= new Promise((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeIdleConnections();
      // Requests still running after 5 s are cut off.
      const timer = setTimeout(() => server.closeAllConnections(), 5000);
      timer.unref();
    }));

  return { url, port: actualPort, server, close };
};
