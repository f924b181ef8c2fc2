import { randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { SignJWT } from 'jose';
import { UnauthenticatedError, type SubgraphContext } from '@kartoteka/kit';
import { User } from '../user/user.entity';
import { LoginFailure } from './login-failure.entity';
import { normalizeEmail } from '../user/user.service';

export const STAFF_TOKEN_ISSUER = 'kartoteka-identity';
export const STAFF_TOKEN_AUDIENCE = 'kartoteka';

// Verified against when the e-mail is unknown, so both failures cost the same time.
let dummyHash: Promise<string> | null = null;
const getDummyHash = () => (dummyHash ??= hash(randomUUID()));

export type TokenSettings = { jwtSecret: string; jwtTtlSeconds: number };

/** Throttling: after this many failures for one e-mail within the window, logins for it are refused until the window passes. */
export const LOGIN_FAILURE_LIMIT = 5;
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60 * 1000;
export type IssuedToken = { token: string; expiresAt: Date; user: User };

export class AuthService {
  constructor(private readonly context: Pick<SubgraphContext, 'em' | 'logger'>, private readonly settings: TokenSettings) {}

  /** Checks the password and issues a signed staff token; one message for every failure. */
  async login(email: string, password: string): Promise<IssuedToken> {
    const em = this.context.em;
    const normalized = normalizeEmail(email);
    const windowStart = new Date(Date.now() - LOGIN_FAILURE_WINDOW_MS);
    const recentFailures = await em.count(LoginFailure, { email: normalized, at: { $gt: windowStart } });
    if (recentFailures >= LOGIN_FAILURE_LIMIT) {
      this.context.logger.warn({ email: normalized }, 'login throttled');
      throw new UnauthenticatedError('Too many failed attempts for this e-mail; try again in 15 minutes');
    }
    const user = await em.findOne(User, { email: normalized }, { populate: ['passwordHash'] });
    const hashToCheck = user?.passwordHash ?? (await getDummyHash());
    const valid = await verify(hashToCheck, password).catch(() => false);
    if (!user || !user.active || !user.passwordHash || !valid) {
      this.context.logger.info({ email: normalized }, 'login failed');
      await em.insert(LoginFailure, { id: randomUUID(), email: normalized, at: new Date() });
      await em.nativeDelete(LoginFailure, { at: { $lt: windowStart } });
      throw new UnauthenticatedError('Invalid e-mail or password');
    }
    await em.nativeDelete(LoginFailure, { email: normalized });
    const expiresAt = new Date(Date.now() + this.settings.jwtTtlSeconds * 1000);
    const token = await new SignJWT({ name: user.name, roles: user.roles })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer(STAFF_TOKEN_ISSUER)
      .setAudience(STAFF_TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(new TextEncoder().encode(this.settings.jwtSecret));
    return { token, expiresAt, user };
  }
}
