import { Entity, Index, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * A refresh token of a session, stored as the sha-256 of its secret (high-entropy secrets need no slow KDF).
 * Usable once: refreshing marks it used and issues its successor; presenting a used one again is reuse.
 */
@Entity({ tableName: 'refresh_tokens' })
export class RefreshToken {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  sessionId!: string;

  @Unique()
  @Property({ type: 'string', length: 64 })
  tokenHash!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();

  /** Idle end: unused until then, the token (and so the session) lapses. */
  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt: Opt<Date> | null = null;
}
