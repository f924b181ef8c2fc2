import { ANONYMOUS, signGatewayToken, userIdentity, verifyGatewayToken } from '@kartoteka/kit';
import { SUBGRAPH_TOKEN_REUSE_MS, SubgraphTokens } from '../subgraph-tokens';

describe('SubgraphTokens', () => {
  const alice = userIdentity('00000000-0000-4000-8000-000000000001', 'Alice', ['MANAGER']);

  it('hands out a caller\'s token again for a while, then signs a new one that still verifies', async () => {
    let now = 1_000_000;
    const signed: string[] = [];
    const sign: typeof signGatewayToken = async (...args) => {
      const token = await signGatewayToken(...args);
      signed.push(token);
      return token;
    };
    const tokens = new SubgraphTokens({ name: 'deals', secret: 'deals-secret' }, { now: () => now, sign });
    const first = await tokens.token(alice, '10.0.0.1');
    now += SUBGRAPH_TOKEN_REUSE_MS - 1;
    expect(await tokens.token(alice, '10.0.0.1')).toBe(first);
    expect(signed).toEqual([first]);
    now += 1;
    const second = await tokens.token(alice, '10.0.0.1');
    expect(signed).toEqual([first, second]);
    const verified = await verifyGatewayToken(second, 'deals', 'deals-secret');
    expect(verified).toEqual({ identity: alice, requestId: undefined, clientAddress: '10.0.0.1' });
  });

  it('never hands one caller\'s token to another caller, another client address, or an anonymous request', async () => {
    // (two anonymous requests may get equal tokens: signed in the same second they have the same claims)
    const tokens = new SubgraphTokens({ name: 'deals', secret: 'deals-secret' });
    // the same person with another access token is another identity object: its own token
    const aliceAgain = userIdentity(alice.kind === 'user' ? alice.id : '', 'Alice', ['VIEWER']);
    const issued = [await tokens.token(alice, '10.0.0.1'), await tokens.token(alice, '10.0.0.2'), await tokens.token(aliceAgain, '10.0.0.1'), await tokens.token(ANONYMOUS, '10.0.0.1'), await tokens.token(ANONYMOUS, '10.0.0.1')];
    expect(new Set(issued.slice(0, 4)).size).toBe(4);
    const roles = await Promise.all(issued.map(async (token) => {
      const { identity } = await verifyGatewayToken(token, 'deals', 'deals-secret');
      return identity.kind === 'user' ? identity.roles : identity.kind;
    }));
    expect(roles).toEqual([['MANAGER'], ['MANAGER'], ['VIEWER'], 'anonymous', 'anonymous']);
  });
});
