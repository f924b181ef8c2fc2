import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { demoFinanceHistory, DEMO_COUNTERPARTY_IDS, todayUtc } from '@kartoteka/kit';
import { seedCounterparties } from '../../../services/counterparties/src/seed/counterparties.seed';
import { seedDocuments } from '../../../services/documents/src/seed/documents.seed';
import { seedDeals } from '../../../services/deals/src/seed/deals.seed';
import { seedFinanceDemo } from '../../../services/finance/src/seed/finance.seed';
import { FINANCE_PANEL_QUERY } from '../support/fixtures';
import { CHROMIUM, CHROMIUM_ARGS, freePort, startPortal, type PortalServer } from '../support/portal';
import { ROOT } from '../support/processes';
import { startStack, type Stack } from '../support/stack';
import { eventually } from '../support/timing';

/**
 * The portal's first visit to a counterparty card (issue 10), in headless Chromium over loopback: the whole stack
 * and the built portal (its own server process, as `pnpm start` runs it), a logged-in user (the session in
 * localStorage) opening a card in a NEW browser context each time, so nothing is cached. Per visit:
 *   - rendered: when every panel shows its data (the counterparty's INN, a document row, a deal row, the finance
 *     figures), measured in the page from navigation start by a MutationObserver;
 *   - charts: when the finance panel's lazily loaded chart is drawn (for information: it is deliberately not part
 *     of the card's first paint);
 *   - the first data request (a POST to the gateway) and when the last of the route's scripts arrived;
 *   - script rounds: a script the HTML does not name (as its module or a preload) whose request starts only after
 *     another script finished is a later round (the lazy chunks of the build output — the chart, rarely used
 *     screens — are listed apart: the route does not need them);
 *   - JS bytes as sent (gzip), by folder.
 * From the build output: each microfrontend's gzip size beyond the shared libraries (its entry and the chunks it
 * imports statically; lazy chunks apart). Goals: rendered ≤ 1 s (median), one round, each microfrontend ≤ 50 KB.
 * For comparison on a busy machine, the same build is also served without the route's preloads
 * (PORTAL_PRELOAD_ROUTES=false) and visited in turns with the real one: their ratio holds better than absolute times.
 * `pnpm bench:portal` runs only this; `pnpm bench` runs it with the others.
 */
const VISITS = Number(process.env.BENCH_PORTAL_VISITS ?? 7);
const TRACE_FILE = process.env.BENCH_PORTAL_TRACE;
const GOALS = { renderedMs: 1000, rounds: 1, appGzipKb: 50 };
const MICROFRONTENDS = ['counterparties', 'documents', 'deals', 'finance', 'admin', 'mailings'] as const;
const FRONTENDS = join(ROOT, 'frontends');

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Relative modules a built ES module imports statically (`import … from "./x.js"`, `export … from "./x.js"`, `import "./x.js"`). */
const staticImportsOf = (code: string): string[] =>
  [...code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["'](\.\.?\/[^"']+)["']/g)].map((match) => match[1]);

/** A microfrontend's build output: the gzip size of its entry with its static closure (what the card loads), and of its lazy chunks. */
function buildSizes(app: string): { entry: number; entryFiles: string[]; lazy: number; lazyFiles: string[] } {
  const dist = join(FRONTENDS, app, 'dist');
  const gz = (file: string) => gzipSync(readFileSync(join(dist, file))).length;
  const entryFile = `${app}.js`; // the import map names it (frontends/tooling/externals.mjs)
  const closure = new Set<string>();
  const visit = (file: string) => {
    if (closure.has(file)) return;
    closure.add(file);
    for (const imported of staticImportsOf(readFileSync(join(dist, file), 'utf8'))) visit(join(file, '..', imported));
  };
  visit(entryFile);
  const all = readdirSync(dist, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.js'));
  const lazy = all.filter((file) => !closure.has(file));
  return { entry: [...closure].reduce((sum, file) => sum + gz(file), 0), entryFiles: [...closure], lazy: lazy.reduce((sum, file) => sum + gz(file), 0), lazyFiles: lazy };
}

type Resource = { name: string; startTime: number; responseEnd: number; encodedBodySize: number; initiatorType: string };
type VisitFigures = {
  renderedMs: number;
  /** The renderer's main thread until the card was rendered: tasks, of them scripts (CDP Performance metrics). */
  taskMs: number;
  scriptMs: number;
  dataDoneMs: number | null;
  dataRequests: number;
  /** GraphQL operations sent before the card was rendered: name and start (ms from navigation start). */
  operations: { name: string; startMs: number }[];
  chartsMs: number | null;
  firstDataMs: number | null;
  scriptsDoneMs: number;
  rounds: number;
  roundFiles: string[][];
  lazy: string[];
  jsBytes: number;
  jsBytesByFolder: Record<string, number>;
  scripts: number;
};

/**
 * Script rounds: 1 for a script the page's HTML names (its module script and `modulepreload` links: found without
 * running anything, however the browser schedules the requests) or one requested before any other script finished;
 * else 1 + the latest round finished before it started.
 */
function scriptRounds(scripts: Resource[], named: ReadonlySet<string>): number[] {
  const rounds: number[] = [];
  scripts.forEach((script, i) => {
    let round = 1;
    if (named.has(script.name)) {
      rounds[i] = round;
      return;
    }
    scripts.forEach((other, j) => {
      if (j !== i && other.responseEnd <= script.startTime && rounds[j] !== undefined) round = Math.max(round, rounds[j] + 1);
    });
    rounds[i] = round;
  });
  return rounds;
}

/** Installed before any script of the page: the moment every panel shows data, and when the charts are drawn. */
const OBSERVE_CARD = () => {
  const bench = { rendered: null as number | null, charts: null as number | null };
  (window as unknown as { __bench: typeof bench }).__bench = bench;
  performance.setResourceTimingBufferSize(2000);
  const has = (selector: string) => document.querySelector(selector) !== null;
  const textOf = (selector: string) => document.querySelector(selector)?.textContent?.trim() ?? '';
  const check = () => {
    if (bench.rendered === null) {
      const shown =
        /\d{10}/.test(textOf('[data-testid="panel-counterparty"] [data-testid="card-inn"]')) &&
        has('[data-testid="panel-documents"] [data-testid="document-row"]') &&
        has('[data-testid="panel-deals"] [data-testid="deal-row"]') &&
        has('[data-testid="finance-panel"][data-state="ready"] [data-testid="finance-receivable"]');
      if (shown) bench.rendered = performance.now();
    }
    if (bench.charts === null && has('[data-testid="finance-months-chart"][data-rendered="true"]')) bench.charts = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
};

let stack: Stack | undefined;
let portal: PortalServer | undefined;
let baselinePortal: PortalServer | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await baselinePortal?.close();
  await stack?.stop();
});

it('opens a counterparty card on a first visit within the goals of issue 10', async () => {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const baselinePort = await freePort();
  const baselineOrigin = `http://127.0.0.1:${baselinePort}`;
  stack = await startStack({ corsOrigins: [origin, baselineOrigin] });
  await seedCounterparties(stack.subgraphs.counterparties.orm.em.fork());
  await seedDocuments(stack.subgraphs.documents.orm.em.fork(), { counterpartyIds: DEMO_COUNTERPARTY_IDS });
  await seedDeals(stack.subgraphs.deals.orm.em.fork(), { counterpartyIds: DEMO_COUNTERPARTY_IDS });
  await stack.subgraphs.finance.orm.em.fork().transactional((em) => seedFinanceDemo(em));

  // the card of the demo client with the longest finance history: every panel has data (its contracts arrive through events)
  const history = demoFinanceHistory(todayUtc());
  const card = history.counterparties
    .map((counterparty) => ({ id: counterparty.id, contracts: history.contracts.filter((contract) => contract.counterpartyId === counterparty.id).length }))
    .sort((a, b) => b.contracts - a.contracts)[0];
  const manager = await stack.login('manager@kartoteka.local');
  await eventually(async () => {
    const panel = await stack!.call<{ counterparty: { finance: { contracts: unknown[] } } }>(FINANCE_PANEL_QUERY, { id: card.id }, manager);
    return panel.data?.counterparty.finance.contracts.length === card.contracts ? true : null;
  }, 'the demo finance history has arrived', { timeoutMs: 120_000 });

  // a session as the login page stores it
  const login = await stack.call<{ login: Record<string, unknown> }>(
    'mutation { login(email: "manager@kartoteka.local", password: "manager") { token expiresAt refreshToken refreshExpiresAt user { id name email roles } } }',
  );
  if (!login.data?.login) throw new Error(`login: ${JSON.stringify(login.errors)}`);
  const session = JSON.stringify(login.data.login);

  portal = await startPortal(port, stack.gatewayUrl);
  // the same build served without the route's preloads (the page discovers its imports level by level): visited
  // in turns with the real one, so both see the same load on this machine
  process.env.PORTAL_PRELOAD_ROUTES = 'false';
  try {
    baselinePortal = await startPortal(baselinePort, stack.gatewayUrl);
  } finally {
    delete process.env.PORTAL_PRELOAD_ROUTES;
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const sizes = Object.fromEntries(MICROFRONTENDS.map((app) => [app, buildSizes(app)])) as Record<(typeof MICROFRONTENDS)[number], ReturnType<typeof buildSizes>>;
  const lazyPaths = new Set(MICROFRONTENDS.flatMap((app) => sizes[app].lazyFiles.map((file) => `/apps/${app}/${file}`)));

  const visit = async (origin: string): Promise<VisitFigures> => {
    const context = await browser!.newContext({
      locale: 'ru-RU',
      viewport: { width: 1440, height: 1000 },
      storageState: { cookies: [], origins: [{ origin, localStorage: [{ name: 'kartoteka.session', value: session }] }] },
    });
    const cardUrl = `${origin}/counterparties/${card.id}`;
    const errors: string[] = [];
    try {
      const page = await context.newPage();
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      const operations: { name: string; startEpochMs: number }[] = [];
      page.on('requestfinished', (request) => {
        if (!request.url().startsWith(stack!.gatewayUrl) || request.method() !== 'POST') return;
        const body = request.postDataJSON() as { operationName?: string } | null;
        operations.push({ name: body?.operationName ?? '?', startEpochMs: request.timing().startTime });
      });
      await page.addInitScript(OBSERVE_CARD);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      // BENCH_PORTAL_TRACE=<file>: a Chrome trace of the visits (each overwrites it: the last one stays), for DevTools
      if (TRACE_FILE) await browser!.startTracing(page, { path: TRACE_FILE, screenshots: false, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'loading', 'disabled-by-default-v8.cpu_profiler'] });
      await page.goto(cardUrl);
      await page.waitForFunction(() => (window as unknown as { __bench: { rendered: number | null } }).__bench.rendered !== null, null, { timeout: 60_000, polling: 'raf' });
      if (TRACE_FILE) await browser!.stopTracing();
      const { metrics } = await cdp.send('Performance.getMetrics');
      const metric = (name: string) => (metrics.find((entry) => entry.name === name)?.value ?? NaN) * 1000;
      await page.waitForFunction(() => (window as unknown as { __bench: { charts: number | null } }).__bench.charts !== null, null, { timeout: 60_000 });
      const { rendered, charts, resources, timeOrigin, named } = await page.evaluate(() => ({
        timeOrigin: performance.timeOrigin,
        // what the HTML names: the root module and the route's preloads (absolute URLs, as resource timing has them)
        named: [...document.querySelectorAll<HTMLLinkElement | HTMLScriptElement>('link[rel="modulepreload"], script[type="module"][src]')].map((element) =>
          element instanceof HTMLLinkElement ? element.href : element.src,
        ),
        ...(window as unknown as { __bench: { rendered: number; charts: number | null } }).__bench,
        resources: performance.getEntriesByType('resource').map((entry) => {
          const timing = entry as PerformanceResourceTiming;
          return { name: timing.name, startTime: timing.startTime, responseEnd: timing.responseEnd, encodedBodySize: timing.encodedBodySize, initiatorType: timing.initiatorType };
        }),
      }));
      if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join(' | ')}`);

      const data = resources.filter((entry) => entry.name.startsWith(stack!.gatewayUrl));
      const js = resources.filter((entry) => entry.name.startsWith(origin) && new URL(entry.name).pathname.endsWith('.js'));
      // lazy chunks (the chart, loaded once the finance data is there) are not part of the route's rounds
      const route = js.filter((entry) => !lazyPaths.has(new URL(entry.name).pathname));
      const lazy = js.filter((entry) => lazyPaths.has(new URL(entry.name).pathname));
      const rounds = scriptRounds(route, new Set(named));
      const roundFiles: string[][] = [];
      route.forEach((entry, i) => (roundFiles[rounds[i] - 1] ??= []).push(new URL(entry.name).pathname));
      const jsBytesByFolder: Record<string, number> = {};
      for (const entry of js) {
        const path = new URL(entry.name).pathname;
        const folder = path.startsWith('/apps/') ? path.split('/').slice(0, 3).join('/') : path.startsWith('/vendor/') ? '/vendor' : '/';
        jsBytesByFolder[folder] = (jsBytesByFolder[folder] ?? 0) + entry.encodedBodySize;
      }
      return {
        renderedMs: rendered,
        taskMs: metric('TaskDuration'),
        scriptMs: metric('ScriptDuration'),
        dataRequests: data.filter((entry) => entry.startTime < rendered).length,
        operations: operations.map((op) => ({ name: op.name, startMs: op.startEpochMs - timeOrigin })).filter((op) => op.startMs < rendered).sort((a, b) => a.startMs - b.startMs),
        dataDoneMs: data.length > 0 ? Math.max(...data.filter((entry) => entry.startTime < rendered).map((entry) => entry.responseEnd)) : null,
        chartsMs: charts,
        firstDataMs: data.length > 0 ? Math.min(...data.map((entry) => entry.startTime)) : null,
        scriptsDoneMs: Math.max(...route.map((entry) => entry.responseEnd)),
        rounds: Math.max(0, ...rounds),
        roundFiles,
        lazy: lazy.map((entry) => new URL(entry.name).pathname),
        jsBytes: js.reduce((sum, entry) => sum + entry.encodedBodySize, 0),
        jsBytesByFolder,
        scripts: js.length,
      };
    } finally {
      await context.close();
    }
  };

  // one visit first warms the servers (the portal's file cache, the gateway's query plans, the JIT); then cold browsers only
  await visit(origin);
  await visit(baselineOrigin);
  const visits: VisitFigures[] = [];
  const baseline: VisitFigures[] = [];
  for (let i = 0; i < VISITS; i += 1) {
    visits.push(await visit(origin));
    baseline.push(await visit(baselineOrigin));
  }

  const utility = ['portal-api.js', 'portal-api-vue.js'].reduce((sum, file) => sum + gzipSync(readFileSync(join(FRONTENDS, 'api', 'dist', file))).length, 0);

  const last = visits[visits.length - 1];
  const rendered = median(visits.map((v) => v.renderedMs));
  const rounds = Math.max(...visits.map((v) => v.rounds));
  const lines = [
    '',
    `Portal: first visit to a card in a new browser context (headless Chromium, loopback), ${VISITS} visits after one warm-up; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs`,
    `  card fully rendered      median ${rendered.toFixed(0).padStart(5)} ms   (${visits.map((v) => v.renderedMs.toFixed(0)).join(', ')})   goal ≤ ${GOALS.renderedMs} ms`,
    `  main thread until then   median ${median(visits.map((v) => v.taskMs)).toFixed(0).padStart(5)} ms of tasks, ${median(visits.map((v) => v.scriptMs)).toFixed(0)} ms of them scripts (CPU of the page, less sensitive to a busy machine)`,
    `  first data request       median ${median(visits.map((v) => v.firstDataMs ?? NaN)).toFixed(0).padStart(5)} ms   (${visits.map((v) => (v.firstDataMs ?? NaN).toFixed(0)).join(', ')})`,
    `  GraphQL operations       last visit: ${last.operations.map((op) => `${op.name} at ${op.startMs.toFixed(0)} ms`).join(', ')}`,
    `  all card queries sent    median ${median(visits.map((v) => Math.max(...v.operations.map((op) => op.startMs)))).toFixed(0).padStart(5)} ms (the last operation started before the card was rendered)`,
    `  last card data answered  median ${median(visits.map((v) => v.dataDoneMs ?? NaN)).toFixed(0).padStart(5)} ms   (${last.dataRequests} GraphQL requests before the card was rendered)`,
    `  route's scripts loaded   median ${median(visits.map((v) => v.scriptsDoneMs)).toFixed(0).padStart(5)} ms`,
    `  charts drawn (lazy)      median ${median(visits.map((v) => v.chartsMs ?? NaN)).toFixed(0).padStart(5)} ms`,
    `  script rounds            ${rounds} (goal ${GOALS.rounds}); last visit: ${last.roundFiles.map((files, i) => `round ${i + 1}: ${files.length} (${files.join(', ')})`).join('; ')}`,
    ...visits
      .filter((v) => v.rounds > 1)
      .map((v) => `    a visit with ${v.rounds} rounds, beyond the first: ${v.roundFiles.slice(1).map((files, i) => `round ${i + 2}: ${files.join(', ')}`).join('; ')}`),
    `  lazy chunks loaded       ${last.lazy.join(', ') || 'none'}`,
    `  JS sent (gzip)           ${kb(last.jsBytes)} in ${last.scripts} files: ${Object.entries(last.jsBytesByFolder).map(([folder, bytes]) => `${folder} ${kb(bytes)}`).join(', ')}`,
    `  without the route's preloads, in turns with the above (same build): rendered median ${median(baseline.map((v) => v.renderedMs)).toFixed(0)} ms ` +
      `(${baseline.map((v) => v.renderedMs.toFixed(0)).join(', ')}), first data request ${median(baseline.map((v) => v.firstDataMs ?? NaN)).toFixed(0)} ms, ` +
      `all card queries sent ${median(baseline.map((v) => Math.max(...v.operations.map((op) => op.startMs)))).toFixed(0)} ms, ` +
      `scripts loaded ${median(baseline.map((v) => v.scriptsDoneMs)).toFixed(0)} ms, ${Math.max(...baseline.map((v) => v.rounds))} rounds; ` +
      `with preloads / without: rendered ${(rendered / median(baseline.map((v) => v.renderedMs))).toFixed(2)}×, ` +
      `all card queries sent ${(median(visits.map((v) => Math.max(...v.operations.map((op) => op.startMs)))) / median(baseline.map((v) => Math.max(...v.operations.map((op) => op.startMs))))).toFixed(2)}×`,
    '  microfrontends beyond the shared libraries (gzip, from the build output): card entry + static chunks | lazy chunks',
    ...MICROFRONTENDS.map((app) => `    ${app.padEnd(15)} ${kb(sizes[app].entry).padStart(9)} (${sizes[app].entryFiles.length} files) | ${kb(sizes[app].lazy).padStart(9)} (${sizes[app].lazyFiles.length} files)   goal ≤ ${GOALS.appGzipKb} KB`),
    `    utility module (shared, @kartoteka/portal-api + /vue) ${kb(utility)}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));

  const missed = [
    ...(rendered > GOALS.renderedMs ? [`card rendered in ${rendered.toFixed(0)} ms > ${GOALS.renderedMs} ms`] : []),
    ...(rounds > GOALS.rounds ? [`${rounds} script rounds > ${GOALS.rounds}`] : []),
    ...MICROFRONTENDS.filter((app) => sizes[app].entry > GOALS.appGzipKb * 1024).map((app) => `${app}: ${kb(sizes[app].entry)} > ${GOALS.appGzipKb} KB`),
  ];
  expect(missed).toEqual([]);
});
