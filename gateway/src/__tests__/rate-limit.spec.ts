import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ANONYMOUS, createLogger, userIdentity } from '@kartoteka/kit';
import { createRateLimiter, memoryRateLimitStore, rateLimit, rateLimitKey, type RateLimitSettings, type RateLimitStore } from '../rate-limit';

const settings: RateLimitSettings = { userPerMinute: 2, apiKeyPerMinute: 5, anonymousPerMinute: 1 };
const alice = userIdentity('00000000-0000-4000-8000-0000000000a1', 'Alice', ['VIEWER']);

/** A tiny app: the identity comes from a header, as the gateway's authentication would set it. */
async function serve(store: RateLimitStore): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.use((req, res, next) => {
    res.locals.identity = req.header('x-user') ? alice : ANONYMOUS;
    next();
  });
  app.use(rateLimit(createRateLimiter({ settings, store, logger: createLogger('gateway', 'silent') })));
  app.get('/', (_req, res) => {
    res.json({ ok: true });
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('rate limit', () => {
  it('keys users, API keys (their own limit first) and anonymous addresses apart', () => {
    expect(rateLimitKey(alice, '10.0.0.1', settings)).toEqual({ key: `user:${alice.kind === 'user' ? alice.id : ''}`, perMinute: 2 });
    const key = { kind: 'apiKey' as const, id: 'k1', name: 'k', scopes: [], permissions: [] };
    expect(rateLimitKey({ ...key, rateLimitPerMinute: 9 }, '10.0.0.1', settings)).toEqual({ key: 'apiKey:k1', perMinute: 9 });
    expect(rateLimitKey({ ...key, rateLimitPerMinute: null }, '10.0.0.1', settings)).toEqual({ key: 'apiKey:k1', perMinute: 5 });
    expect(rateLimitKey(ANONYMOUS, '10.0.0.1', settings)).toEqual({ key: 'address:10.0.0.1', perMinute: 1 });
  });

  it('answers 429 with Retry-After and RATE_LIMITED past the limit', async () => {
    const app = await serve(memoryRateLimitStore());
    try {
      const asAlice = () => fetch(app.url, { headers: { 'x-user': '1' } });
      expect((await asAlice()).status).toBe(200);
      expect((await asAlice()).status).toBe(200);
      const over = await asAlice();
      expect(over.status).toBe(429);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await over.json()).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
    } finally {
      await app.close();
    }
  });

  it('lets requests through when the store fails: the limit must not take the gateway down', async () => {
    const app = await serve({ consume: () => Promise.reject(new Error('redis is down')) });
    try {
      for (let i = 0; i < 3; i += 1) expect((await fetch(app.url)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
