import { randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { RateLimitedError, UnauthenticatedError, type SubgraphContext } from '@kartoteka/kit';
import { User } from '../user/user.entity';
import { normalizeEmail } from '../user/user.service';
import { SessionService, type IssuedSession, type SessionSettings } from '../session/session.service';
import { LoginFailure } from './login-failure.entity';
import { loginDelaySeconds, type LoginThrottleSettings } from './login-throttle';

// Verified against when the e-mail is unknown, so both failures cost the same time.
let dummyHash: Promise<string> | null = null;
const getDummyHash = () => (dummyHash ??= hash(randomUUID()));

export type AuthSettings = SessionSettings & { loginThrottle: LoginThrottleSettings };

const INVALID_CREDENTIALS = 'Invalid e-mail or password';
const UNKNOWN_ADDRESS = 'unknown';

export class AuthService {
  constructor(private readonly context: Pick<SubgraphContext, 'em' | 'logger' | 'clientAddress'>, private readonly settings: AuthSettings) {}

  /** Checks the password and opens a session; one message for every failure, a RATE_LIMITED answer while backing off. */
  async login(email: string, password: string): Promise<IssuedSession> {
    const em = this.context.em;
    const normalized = normalizeEmail(email);
    // no account has a longer e-mail (the column is 254 wide): refuse like any other unknown e-mail
    if (normalized.length > 254) throw new UnauthenticatedError(INVALID_CREDENTIALS);
    const address = this.context.clientAddress?.slice(0, 64) || UNKNOWN_ADDRESS;
    await this.admitAttempt(normalized, address);
    const user = await em.findOne(User, { email: normalized }, { populate: ['passwordHash'] });
    const hashToCheck = user?.passwordHash ?? (await getDummyHash());
    const valid = await verify(hashToCheck, password).catch(() => false);
    if (!user || !user.active || !user.passwordHash || !valid) {
      this.context.logger.info({ email: normalized, clientAddress: address }, 'login failed');
      throw new UnauthenticatedError(INVALID_CREDENTIALS);
    }
    await em.nativeDelete(LoginFailure, { email: normalized, clientAddress: address });
    return new SessionService(this.context, this.settings).open(user);
  }

  /**
   * Lets the attempt through or answers RATE_LIMITED with the seconds to wait. An admitted attempt is recorded
   * as a failure before the password is checked (and forgotten if it succeeds), under a lock per (e-mail,
   * address): parallel guesses cannot all slip through the free attempts.
   */
  private async admitAttempt(email: string, address: string): Promise<void> {
    const throttle = this.settings.loginThrottle;
    await this.context.em.transactional(async (em) => {
      await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`kartoteka:identity:login:${email}|${address}`]);
      const now = Date.now();
      const windowStart = new Date(now - throttle.windowSeconds * 1000);
      const fromAddress = await em.count(LoginFailure, { email, clientAddress: address, at: { $gt: windowStart } });
      const forAccount = await em.count(LoginFailure, { email, at: { $gt: windowStart } });
      const last = await em.findOne(LoginFailure, { email, clientAddress: address, at: { $gt: windowStart } }, { orderBy: { at: 'desc' } });
      const delay = loginDelaySeconds(fromAddress, forAccount, throttle);
      const waitMs = last && delay > 0 ? last.at.getTime() + delay * 1000 - now : 0;
      if (waitMs > 0) {
        this.context.logger.warn({ email, clientAddress: address, failures: fromAddress, retryAfterSeconds: Math.ceil(waitMs / 1000) }, 'login throttled');
        throw new RateLimitedError(`Too many failed attempts; try again in ${Math.ceil(waitMs / 1000)} s`, waitMs / 1000);
      }
      await em.insert(LoginFailure, { id: randomUUID(), email, clientAddress: address, at: new Date(now) });
      await em.nativeDelete(LoginFailure, { at: { $lt: windowStart } });
    });
  }
}
