import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { eventually, scaled } from './timing';

/** Helpers of the browser specs: the built portal served by its own process, Chromium, logging in. */

export type PortalServer = { url: string; close: () => Promise<void> };

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * Features playwright-core (1.65.1) turns off itself. Chromium keeps only the last `--disable-features`, so a list
 * of our own must repeat them.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
];

/**
 * Chromium 15x builds the omnibox popup's WebUI (a renderer loading some 200 modules, twice) for every new window,
 * even headless. On a 2-core machine that browser work ran beside the page being measured and delayed it by
 * 100–200 ms; a headless browser never shows an omnibox, so those features are off.
 */
const OMNIBOX_WEBUI_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup', 'WebUIOmniboxFullPopup'];

/** Headless Chromium for the browser specs and the portal benchmark. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...OMNIBOX_WEBUI_FEATURES].join(',')}`,
];

/**
 * The options every browser spec's context starts from: reduced motion, so the portal jumps to an error or a chosen
 * item instead of scrolling there smoothly, and no click races a scroll still in progress (users may ask for the
 * same: frontends/api/src/motion.ts).
 */
export const PORTAL_CONTEXT: BrowserContextOptions = { reducedMotion: 'reduce' };

export { freePort } from './processes';

/** The built portal, served by its own server process exactly as `pnpm start` runs it. */
export async function startPortal(port: number, gatewayUrl: string): Promise<PortalServer> {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, '..', '..', '..', 'frontends', 'root-config', 'server.mjs')], {
    env: { ...process.env, PORTAL_HOST: '127.0.0.1', PORTAL_PORT: String(port), GATEWAY_PUBLIC_URL: gatewayUrl },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}/`;
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`the portal server exited with ${child.exitCode}`);
    return fetch(url).then((response) => response.ok, () => false);
  }, 'the portal server answers');
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Logs in through the login page and waits for the page after login: "My day" (`/`). */
export async function logInThroughUi(page: Page, portalUrl: string, email: string, password: string): Promise<void> {
  await page.goto(portalUrl);
  await page.waitForURL(/\/login/);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByTestId('home-title').waitFor();
}

/** Playwright's wait for every action and locator of the browser specs (its default, stretched by KARTOTEKA_TEST_SLOWDOWN). */
export const BROWSER_TIMEOUT_MS = scaled(30_000);
