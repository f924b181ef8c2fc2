import { createHash } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { seedCounterparties } from '../../../services/counterparties/src/seed/counterparties.seed';
import { BROWSER_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, freePort, PORTAL_CONTEXT, logInThroughUi, startPortal, type PortalServer } from '../support/portal';
import { startStack, type Stack } from '../support/stack';
import { eventually } from '../support/timing';

/**
 * The portal's session in Chromium with 8-second access tokens: it refreshes them by itself (before expiry,
 * and once more when the gateway refuses one), ends the session when the server has ended it, and logout
 * revokes the session at the server.
 */
let stack: Stack;
let portal: PortalServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

type Stored = { token: string; expiresAt: string; refreshToken: string; refreshExpiresAt: string };

beforeAll(async () => {
  const portalPort = await freePort();
  stack = await startStack({ corsOrigins: [`http://127.0.0.1:${portalPort}`], identity: { jwtTtlSeconds: 8 } });
  await seedCounterparties(stack.subgraphs.counterparties.orm.em.fork());
  portal = await startPortal(portalPort, stack.gatewayUrl);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  context = await browser.newContext({ ...PORTAL_CONTEXT, locale: 'en-US' });
  page = await context.newPage();
  page.setDefaultTimeout(BROWSER_TIMEOUT_MS);
});

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await stack?.stop();
});

const stored = (): Promise<Stored | null> => page.evaluate(() => {
  const raw = window.localStorage.getItem('kartoteka.session');
  return raw ? (JSON.parse(raw) as Stored) : null;
});

const identitySql = <T>(sql: string, params: unknown[] = []) => stack.subgraphs.identity.orm.em.getConnection().execute<T[]>(sql, params);
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe('the portal session', () => {
  it('refreshes the access token before it expires, spending each refresh token once', async () => {
    await logInThroughUi(page, portal.url, 'manager@kartoteka.local', 'manager');
    await page.getByTestId('nav-counterparties').click();
    const first = (await stored())!;
    expect(first.refreshToken).toMatch(/^ktr_/);
    await page.waitForFunction((token) => !window.localStorage.getItem('kartoteka.session')?.includes(token), first.refreshToken);
    const second = (await stored())!;
    expect(second.token).not.toBe(first.token);
    expect(Date.parse(second.expiresAt)).toBeGreaterThan(Date.parse(first.expiresAt));
    const [spent] = await identitySql<{ used_at: unknown }>('select used_at from refresh_tokens where token_hash = ?', [sha256(first.refreshToken)]);
    expect(spent.used_at).toBeTruthy();
    // the pages keep working with the refreshed tokens; no refresh token was ever used twice
    await page.getByTestId('counterparty-row').first().waitFor();
    expect(await identitySql('select id from sessions where revoke_reason is not null')).toEqual([]);
  });

  it('refreshes once for all tabs: two tabs never spend the same refresh token', async () => {
    const other = await context.newPage();
    other.setDefaultTimeout(BROWSER_TIMEOUT_MS);
    try {
      await other.goto(`${portal.url}counterparties`);
      await other.getByTestId('counterparty-row').first().waitFor();
      // both tabs schedule a refresh for the same moment; two rotations later, no reuse was detected
      for (let round = 0; round < 2; round += 1) {
        const before = (await stored())!.refreshToken;
        await page.waitForFunction((token) => !window.localStorage.getItem('kartoteka.session')?.includes(token), before);
      }
      expect(await identitySql('select id from sessions where revoke_reason is not null')).toEqual([]);
      await other.reload();
      await other.getByTestId('counterparty-row').first().waitFor();
      // close the tab right after a refresh, never in the middle of one (its answer would be lost with the tab,
      // and the spent token presented again by the first tab would rightly count as reuse)
      const current = (await stored())!.refreshToken;
      await page.waitForFunction((token) => !window.localStorage.getItem('kartoteka.session')?.includes(token), current);
    } finally {
      await other.close();
    }
  });

  it('refreshes and retries once when the gateway refuses the access token', async () => {
    // right after a refresh, so the page's next one is seconds away: writing back a refresh token the page has
    // meanwhile spent would be reuse, and the server would rightly end the session
    const before = (await stored())!.refreshToken;
    await page.waitForFunction((token) => !window.localStorage.getItem('kartoteka.session')?.includes(token), before);
    // a token the gateway does not accept, though the portal thinks it has minutes left; read and written in one
    // step of the page's own thread, so no refresh of the page can fall in between
    await page.evaluate(() => {
      const session = JSON.parse(window.localStorage.getItem('kartoteka.session')!) as Record<string, unknown>;
      window.localStorage.setItem('kartoteka.session', JSON.stringify({ ...session, token: 'not-a-token', expiresAt: new Date(Date.now() + 600_000).toISOString() }));
    });
    await page.reload();
    await page.getByTestId('counterparty-row').first().waitFor();
    expect(page.url()).toMatch(/\/counterparties$/);
    expect((await stored())?.token).not.toBe('not-a-token');
  });

  it('goes to the login page once the server has ended the session', async () => {
    const current = (await stored())!;
    const out = await stack.call<{ logout: boolean }>('mutation($r: String!) { logout(refreshToken: $r) }', { r: current.refreshToken });
    expect(out.data?.logout).toBe(true);
    // the next refresh (due within seconds) is refused: the portal forgets the session
    await page.waitForURL(/\/login/);
    expect(await stored()).toBeNull();
  });

  it('logout revokes the session at the server', async () => {
    await logInThroughUi(page, portal.url, 'viewer@kartoteka.local', 'viewer');
    const session = (await stored())!;
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login/);
    expect(await stored()).toBeNull();
    const family = await eventually(async () => {
      const rows = await identitySql<{ revoke_reason: string | null }>('select s.revoke_reason from sessions s join refresh_tokens t on t.session_id = s.id where t.token_hash = ?', [sha256(session.refreshToken)]);
      return rows[0]?.revoke_reason ? rows[0] : null;
    }, 'the session is revoked');
    expect(family.revoke_reason).toBe('logout');
  });
});
