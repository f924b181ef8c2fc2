import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** Why a session ended before its time. */
export type SessionRevokeReason = 'logout' | 'reuse' | 'deactivated' | 'roles-changed' | 'password-reset' | 'password-changed';

/**
 * One login of one user: the family of refresh tokens issued from it, each used once. Revoking it (logout,
 * reuse of a rotated refresh token, deactivation, a change of roles) ends every refresh token of the family.
 */
@Entity({ tableName: 'sessions' })
export class Session {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();

  /** The absolute end: no refresh extends a session past it. */
  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Opt<Date> | null = null;

  @Property({ type: 'string', length: 32, nullable: true })
  revokeReason: Opt<SessionRevokeReason> | null = null;

  /** The address the session was opened from, as the gateway saw it. */
  @Property({ type: 'string', length: 64, nullable: true })
  clientAddress: string | null = null;
}
