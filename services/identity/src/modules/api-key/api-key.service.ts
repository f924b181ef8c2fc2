import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { actorId, isUuid, NotFoundError, type ApiKeyScope, type SubgraphContext } from '@kartoteka/kit';
import { ApiKey } from './api-key.entity';

const KEY_PATTERN = /^ktk_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export type CreatedApiKey = { apiKey: ApiKey; secret: string };
/** What the gateway learns from a valid key: its identity and its own rate limit (null: the gateway default). */
export type AuthenticatedApiKey = { id: string; name: string; scopes: ApiKeyScope[]; rateLimitPerMinute: number | null };

/** Key format: `ktk_<key id without dashes>_<32 random bytes, base64url>`. */
export class ApiKeyService {
  constructor(private readonly context: Pick<SubgraphContext, 'em' | 'identity'>) {}

  async create(input: { name: string; scopes: ApiKeyScope[]; rateLimitPerMinute?: number | null }): Promise<CreatedApiKey> {
    const secretPart = randomBytes(32).toString('base64url');
    const apiKey = this.context.em.create(ApiKey, {
      name: input.name.trim(),
      scopes: [...new Set(input.scopes)],
      secretHash: sha256(secretPart),
      prefix: '',
      createdById: actorId(this.context.identity),
      rateLimitPerMinute: input.rateLimitPerMinute ?? null,
    });
    const secret = `ktk_${apiKey.id.replace(/-/g, '')}_${secretPart}`;
    apiKey.prefix = secret.slice(0, 12);
    await this.context.em.flush();
    return { apiKey, secret };
  }

  async revoke(id: string): Promise<ApiKey> {
    const apiKey = isUuid(id) ? await this.context.em.findOne(ApiKey, { id }) : null;
    if (!apiKey) throw new NotFoundError('ApiKey', id);
    apiKey.revokedAt ??= new Date();
    await this.context.em.flush();
    return apiKey;
  }

  list(): Promise<ApiKey[]> {
    return this.context.em.find(ApiKey, {}, { orderBy: { createdAt: 'desc' }, limit: 500 });
  }

  /** Returns the key's identity, or null when the key is malformed, unknown or revoked. */
  async authenticate(secret: string): Promise<AuthenticatedApiKey | null> {
    const match = KEY_PATTERN.exec(secret);
    if (!match) return null;
    const hex = match[1];
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    const apiKey = await this.context.em.findOne(ApiKey, { id, revokedAt: null });
    if (!apiKey) return null;
    const expected = Buffer.from(apiKey.secretHash, 'hex');
    const actual = Buffer.from(sha256(match[2]), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
    // Usage stamp at most once a minute per key, without loading the entity again.
    await this.context.em.nativeUpdate(ApiKey, { id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: new Date(Date.now() - 60_000) } }] }, { lastUsedAt: new Date() });
    return { id: apiKey.id, name: apiKey.name, scopes: apiKey.scopes, rateLimitPerMinute: apiKey.rateLimitPerMinute };
  }
}
