/** What a successful verification of a token gave, and until when (epoch ms) that token is valid. */
export type VerifiedToken<T> = { value: T; expiresAt: number | undefined };

export type VerifiedTokenCacheOptions = {
  /** Most tokens kept at once; the oldest go first when it is reached (default 10 000). */
  maxEntries?: number;
  /** The clock (epoch ms); tests move it. */
  now?: () => number;
};

/**
 * Verification results of signed tokens kept by the token's exact text until the token expires, so a token seen
 * again (the gateway reuses its subgraph tokens for a while; a client sends its access token with every request)
 * costs a map lookup instead of an HMAC and a JSON parse. Verifying the same text again could only give the same
 * answer until it expires — signature, issuer and audience do not change — so nothing is accepted that the
 * verification would refuse: an entry is used only while `now < expiresAt`, a token without an expiry is never
 * kept, and a failed verification is never kept (a forged token costs its HMAC every time, as before).
 *
 * The cached values are shared by every request that presents the same token: callers must not mutate them.
 */
export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly verify: (token: string) => Promise<VerifiedToken<T>>,
    options: VerifiedTokenCacheOptions = {},
  ) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 10_000);
    this.now = options.now ?? Date.now;
  }

  /** The verified value of `token`; rejects as `verify` does when the token is not (or no longer) valid. */
  async get(token: string): Promise<T> {
    const entry = this.entries.get(token);
    if (entry) {
      if (this.now() < entry.expiresAt) return entry.value;
      this.entries.delete(token);
    }
    const verified = await this.verify(token);
    if (verified.expiresAt !== undefined && this.now() < verified.expiresAt) this.keep(token, verified.value, verified.expiresAt);
    return verified.value;
  }

  /** How many tokens are kept now (expired ones included until they are met or pushed out). */
  get size(): number {
    return this.entries.size;
  }

  private keep(token: string, value: T, expiresAt: number): void {
    if (this.entries.size >= this.maxEntries) {
      // the oldest first (insertion order: tokens of one kind share a lifetime, so the expired ones lead), then
      // the oldest live one when still full
      const now = this.now();
      for (const [key, entry] of this.entries) {
        if (entry.expiresAt > now) break;
        this.entries.delete(key);
      }
      while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(token, { value, expiresAt });
  }
}
