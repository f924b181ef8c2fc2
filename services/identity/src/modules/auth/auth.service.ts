import { randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { SignJWT } from 'jose';
import { UnauthenticatedError, type SubgraphContext } from '@kartoteka/kit';
import { User } from '../user/user.entity';
import { normalizeEmail } from '../user/user.service';

export const STAFF_TOKEN_ISSUER = 'kartoteka-identity';
export const STAFF_TOKEN_AUDIENCE = 'kartoteka';

// Verified against when the e-mail is unknown, so both failures cost the same time.
let dummyHash: Promise<string> | null = null;
const getDummyHash = () => (dummyHash ??= hash(randomUUID()));

export type TokenSettings = { jwtSecret: string; jwtTtlSeconds: number };
export type IssuedToken = { token: string; expiresAt: Date; user: User };

export class AuthService {
  constructor(private readonly context: Pick<SubgraphContext, 'em' | 'logger'>, private readonly settings: TokenSettings) {}

  /** Checks the password and issues a signed staff token; one message for every failure. */
  async login(email: string, password: string): Promise<IssuedToken> {
    const user = await this.context.em.findOne(User, { email: normalizeEmail(email) }, { populate: ['passwordHash'] });
    const hashToCheck = user?.passwordHash ?? (await getDummyHash());
    const valid = await verify(hashToCheck, password).catch(() => false);
    if (!user || !user.active || !user.passwordHash || !valid) {
      this.context.logger.info({ email: normalizeEmail(email) }, 'login failed');
      throw new UnauthenticatedError('Invalid e-mail or password');
    }
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
