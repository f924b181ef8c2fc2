/**
 * The portal's static server (plain node:http, no dependencies):
 *   /                       frontends/root-config/dist (index.html, root-config.js, vendor/*)
 *   /apps/<name>/<file>     frontends/<name>/dist/<file> for the utility module and each microfrontend
 *   /api-reference/         the partner API reference built by the gateway (gateway/dist/api-reference: index.html,
 *                           CHANGELOG.md, partner-guide.md)
 *   any other path without a file extension -> index.html (the single-spa routes), with the portal
 *   config injected as window.__KARTOTEKA__, a Content-Security-Policy that allows its inline scripts, and
 *   a `<link rel="modulepreload">` for every module the page's apps need (see routePreloads).
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

const importMapOf = (template) => {
  try {
    return JSON.parse(/<script type="importmap">([\s\S]*?)<\/script>/.exec(template)?.[1] ?? '{}').imports ?? {};
  } catch {
    return {};
  }
};

const preloadedIn = (template) => [...template.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((match) => match[1]);

const escapeAttribute = (value) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** index.html with the config and the route's preloads injected, plus a CSP hashing its inline scripts (config and import map). */
const renderIndex = (template, config, preloads = []) => {
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
    `script-src 'self' ${inlineHashes.join(' ')}`,
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
  const locate = (url) => {
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
    const key = specifiers.join(' ');
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

  /** index.html for the page at `pathname`: one rendering per set of preloaded modules. */
  const serveIndex = async (req, res, pathname) => {
    const info = await statFile(indexFile);
    if (!info) return sendText(res, 503, 'Portal is not built');
    const entry = await load(indexFile, info);
    const template = entry.body.toString('utf8');
    const preloads = await routePreloads(pathname, importMapOf(template), preloadedIn(template));
    const key = preloads.join(' ');
    if (!entry.index.has(key)) {
      const { html, csp } = renderIndex(template, config, preloads);
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
    const { file, fallback, apiReference } = resolveFile(pathname);
    if (file === indexFile) return serveIndex(req, res, pathname);
    const info = file ? await statFile(file) : null;
    if (!info) return fallback ? serveIndex(req, res, pathname) : sendText(res, 404, 'Not Found');

    const ext = path.extname(file).toLowerCase();
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const common = {
      'Content-Type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
      // File names are stable (the import map names them), so the browser revalidates each time.
      'Cache-Control': 'no-cache',
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
