import { GATEWAY_TOKEN_LIFETIME_SECONDS, signGatewayToken, type Identity } from '@kartoteka/kit';

/** How long a signed token is handed out again for the same caller (it stays valid 90 s more after that). */
export const SUBGRAPH_TOKEN_REUSE_MS = 30_000;
/** Distinct client addresses kept per caller; past it the caller's tokens are signed afresh (a bound, not a policy). */
const ADDRESSES_PER_CALLER = 64;

type Signed = { token: Promise<string>; reuseUntil: number };

/**
 * The gateway's tokens for one subgraph (signed with that subgraph's secret): one per caller and client address,
 * handed out again for SUBGRAPH_TOKEN_REUSE_MS instead of signing one per request. A token names the caller, the
 * client address and the subgraph, never the request (the request id travels in the x-request-id header), so
 * reusing it tells the subgraph exactly what a fresh one would; it is valid GATEWAY_TOKEN_LIFETIME_SECONDS from its
 * signing, so a reused one still has more than a minute left when it reaches the subgraph.
 *
 * Callers are told apart by their identity object: the authenticator hands out the same object for every request
 * with the same access token (its verified-token cache), and a new one for anything else (an API key checked
 * again, a new access token), so a token is never handed to another caller, nor kept after a caller's token
 * changes. Entries go with their identity object (WeakMap). Anonymous requests (login, public reads) get a fresh
 * token each: they share one identity object, and their client addresses are unbounded.
 */
export class SubgraphTokens {
  private readonly byCaller = new WeakMap<Identity, Map<string, Signed>>();

  private readonly now: () => number;
  private readonly signToken: typeof signGatewayToken;

  /** `options.now` and `options.sign` (the clock, the signature) are there for tests. */
  constructor(
    private readonly subgraph: { name: string; secret: string },
    options: { now?: () => number; sign?: typeof signGatewayToken } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.signToken = options.sign ?? signGatewayToken;
    if (SUBGRAPH_TOKEN_REUSE_MS >= GATEWAY_TOKEN_LIFETIME_SECONDS * 1000) throw new Error('A subgraph token must be reused for less than its lifetime');
  }

  token(identity: Identity, clientAddress?: string): Promise<string> {
    if (identity.kind === 'anonymous') return this.sign(identity, clientAddress);
    let signed = this.byCaller.get(identity);
    if (!signed) {
      signed = new Map();
      this.byCaller.set(identity, signed);
    }
    const address = clientAddress ?? '';
    const now = this.now();
    const kept = signed.get(address);
    if (kept && now < kept.reuseUntil) return kept.token;
    if (!kept && signed.size >= ADDRESSES_PER_CALLER) signed.clear();
    const token = this.sign(identity, clientAddress);
    const entry: Signed = { token, reuseUntil: now + SUBGRAPH_TOKEN_REUSE_MS };
    signed.set(address, entry);
    // a signature that failed is not handed out again
    token.catch(() => {
      if (signed.get(address) === entry) signed.delete(address);
    });
    return token;
  }

  private sign(identity: Identity, clientAddress?: string): Promise<string> {
    return this.signToken(identity, this.subgraph.name, this.subgraph.secret, null, clientAddress);
  }
}
