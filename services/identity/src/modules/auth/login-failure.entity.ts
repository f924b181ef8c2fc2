import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * A failed (or still running) login attempt, kept for the throttling window: counted per e-mail and client
 * address for the back-off, and per e-mail alone for the account-wide slow-down (see login-throttle.ts).
 */
@Entity({ tableName: 'login_failures' })
@Index({ properties: ['email', 'at'] })
@Index({ properties: ['email', 'clientAddress', 'at'] })
export class LoginFailure {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 254 })
  email!: string;

  /** The address the attempt came from, as the gateway saw it; `unknown` when none was forwarded. */
  @Property({ type: 'string', length: 64, default: 'unknown' })
  clientAddress: string = 'unknown';

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  at: Date = new Date();
}
