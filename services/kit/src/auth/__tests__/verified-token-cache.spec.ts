import { createGatewayTokenVerifier, signGatewayToken, userIdentity } from '../identity';
import { VerifiedTokenCache, type VerifiedToken } from '../verified-token-cache';

/** A verification that counts its calls: `valid:<name>:<expiresAt>` verifies, anything else is refused. */
function countingVerify() {
  const calls: string[] = [];
  const verify = async (token: string): Promise<VerifiedToken<{ name: string }>> => {
    calls.push(token);
    const [kind, name, expiresAt] = token.split(':');
    if (kind !== 'valid') throw new Error('invalid token');
    return { value: { name }, expiresAt: expiresAt === 'none' ? undefined : Number(expiresAt) };
  };
  return { calls, verify };
}

describe('VerifiedTokenCache', () => {
  it('verifies a token once and gives the same value until it expires, then verifies it again', async () => {
    let now = 1_000;
    const { calls, verify } = countingVerify();
    const cache = new VerifiedTokenCache(verify, { now: () => now });
    const first = await cache.get('valid:alice:5000');
    expect(await cache.get('valid:alice:5000')).toBe(first);
    now = 4_999;
    expect(await cache.get('valid:alice:5000')).toBe(first);
    expect(calls).toEqual(['valid:alice:5000']);
    now = 5_000;
    const again = await cache.get('valid:alice:5000');
    expect(again).toEqual({ name: 'alice' });
    expect(again).not.toBe(first);
    expect(calls).toEqual(['valid:alice:5000', 'valid:alice:5000']);
  });

  it('keeps no failure, no token without an expiry and none already expired', async () => {
    const now = 10_000;
    const { calls, verify } = countingVerify();
    const cache = new VerifiedTokenCache(verify, { now: () => now });
    await expect(cache.get('forged:mallory:20000')).rejects.toThrow('invalid token');
    await expect(cache.get('forged:mallory:20000')).rejects.toThrow('invalid token');
    await cache.get('valid:bob:none');
    await cache.get('valid:bob:none');
    await cache.get('valid:carol:9000');
    await cache.get('valid:carol:9000');
    expect(calls).toHaveLength(6);
    expect(cache.size).toBe(0);
  });

  it('holds at most maxEntries tokens, dropping the expired and then the oldest first', async () => {
    let now = 0;
    const { calls, verify } = countingVerify();
    const cache = new VerifiedTokenCache(verify, { maxEntries: 3, now: () => now });
    await cache.get('valid:a:100');
    await cache.get('valid:b:1000');
    await cache.get('valid:c:1000');
    now = 200; // a has expired
    await cache.get('valid:d:1000');
    expect(cache.size).toBe(3);
    await cache.get('valid:e:1000'); // full of live tokens: b, the oldest, goes
    expect(cache.size).toBe(3);
    calls.length = 0;
    for (const token of ['valid:c:1000', 'valid:d:1000', 'valid:e:1000']) await cache.get(token);
    expect(calls).toEqual([]);
    await cache.get('valid:b:1000');
    expect(calls).toEqual(['valid:b:1000']);
  });
});

describe('createGatewayTokenVerifier', () => {
  const alice = userIdentity('00000000-0000-4000-8000-000000000001', 'Alice', ['MANAGER']);

  it('gives the same verified identity for a token presented again, and refuses forged or misaddressed tokens every time', async () => {
    const verify = createGatewayTokenVerifier('deals', 'deals-secret');
    const token = await signGatewayToken(alice, 'deals', 'deals-secret', null, '10.0.0.1');
    const first = await verify(token);
    expect(first).toEqual({ identity: alice, requestId: undefined, clientAddress: '10.0.0.1' });
    expect(await verify(token)).toBe(first);
    const forged = await signGatewayToken(alice, 'deals', 'not-the-secret', null);
    const forOther = await signGatewayToken(alice, 'documents', 'deals-secret', null);
    for (let i = 0; i < 2; i += 1) {
      await expect(verify(forged)).rejects.toThrow();
      await expect(verify(forOther)).rejects.toThrow();
    }
  });

  it('drops a kept verification once the token has expired: the token is verified anew', async () => {
    let now = Date.now();
    const verify = createGatewayTokenVerifier('deals', 'deals-secret', { now: () => now });
    const token = await signGatewayToken(alice, 'deals', 'deals-secret', 'request-1');
    const first = await verify(token);
    expect(first.requestId).toBe('request-1');
    now += 121_000; // past the 120 s lifetime on this clock; jose's own clock still says valid, so it is verified anew
    const again = await verify(token);
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
  });
});
