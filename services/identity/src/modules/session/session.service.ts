import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SignJWT } from 'jose';
import { hmacSecretKey, isUuid, UnauthenticatedError, type SubgraphContext } from '@kartoteka/kit';
import { User } from '../user/user.entity';
import { RefreshToken } from './refresh-token.entity';
import { Session, type SessionRevokeReason } from './session.entity';

export const STAFF_TOKEN_ISSUER = 'kartoteka-identity';
export const STAFF_TOKEN_AUDIENCE = 'kartoteka';

/** The longest access token the service issues: a revoked session's last access token dies within it. */
export const MAX_ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

export type SessionSettings = {
  jwtSecret: string;
  /** Lifetime of an access token (the `token` of login and refreshSession). */
  jwtTtlSeconds: number;
  /** A refresh token unused for this long lapses (idle end of a session). */
  refreshTtlSeconds: number;
  /** No refresh extends a session beyond this age (absolute end). */
  sessionMaxSeconds: number;
};

export const DEFAULT_REFRESH_TTL_SECONDS = 12 * 3600;
export const DEFAULT_SESSION_MAX_SECONDS = 7 * 24 * 3600;

export type IssuedSession = { token: string; expiresAt: Date; refreshToken: string; refreshExpiresAt: Date; user: User };

const FORGET_AFTER_MS = 24 * 3600 * 1000;
const REFRESH_TOKEN_PATTERN = /^ktr_[A-Za-z0-9_-]{43}$/;
const INVALID_REFRESH = 'The session has ended; log in again';

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Ends every live session of a user (deactivation, a change of roles, a password reset): their refresh tokens
 * stop working at once; an access token already issued lives out its short lifetime (≤ 15 minutes).
 * Run it in the transaction of the change.
 */
export async function revokeSessionsOf(em: EntityManager, userId: string, reason: SessionRevokeReason, exceptSessionId?: string): Promise<number> {
  const keep = exceptSessionId && isUuid(exceptSessionId) ? { id: { $ne: exceptSessionId } } : {};
  return em.nativeUpdate(Session, { userId, revokedAt: null, ...keep }, { revokedAt: new Date(), revokeReason: reason });
}

type RefreshOutcome = { kind: 'issued'; session: IssuedSession } | { kind: 'refused'; reason: 'unknown' | 'ended' | 'reuse' | 'inactive'; sessionId?: string };

/**
 * Staff sessions: a short-lived signed access token plus a refresh token that is rotated on every use. A
 * refresh token presented a second time means it was copied: the whole session (every token of the family)
 * is revoked, so the thief and the user both have to log in again, and only the user can.
 */
export class SessionService {
  constructor(
    private readonly context: Pick<SubgraphContext, 'em' | 'logger' | 'clientAddress'>,
    private readonly settings: SessionSettings,
  ) {}

  /** Opens a session for a user who has just proven their password, and forgets their long-ended ones. */
  async open(user: User): Promise<IssuedSession> {
    const now = new Date();
    await this.forgetEnded(user.id, now);
    const session = this.context.em.create(Session, {
      userId: user.id,
      expiresAt: new Date(now.getTime() + this.settings.sessionMaxSeconds * 1000),
      clientAddress: this.context.clientAddress?.slice(0, 64) ?? null,
    });
    const refresh = this.newRefreshToken(session, now);
    await this.context.em.flush();
    return this.issue(user, session, refresh.secret, refresh.token.expiresAt, now);
  }

  /** Exchanges a refresh token for a new access token and a new refresh token; the presented one is spent. */
  async refresh(secret: string): Promise<IssuedSession> {
    const outcome = await this.context.em.transactional(async (em): Promise<RefreshOutcome> => {
      if (!REFRESH_TOKEN_PATTERN.test(secret)) return { kind: 'refused', reason: 'unknown' };
      const token = await em.findOne(RefreshToken, { tokenHash: sha256(secret) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!token) return { kind: 'refused', reason: 'unknown' };
      const session = await em.findOne(Session, { id: token.sessionId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const now = new Date();
      if (!session || session.revokedAt || session.expiresAt <= now) return { kind: 'refused', reason: 'ended', sessionId: token.sessionId };
      if (token.usedAt) {
        session.revokedAt = now;
        session.revokeReason = 'reuse';
        return { kind: 'refused', reason: 'reuse', sessionId: session.id };
      }
      if (token.expiresAt <= now) return { kind: 'refused', reason: 'ended', sessionId: session.id };
      const user = await em.findOne(User, { id: session.userId });
      if (!user || !user.active) {
        session.revokedAt = now;
        session.revokeReason = 'deactivated';
        return { kind: 'refused', reason: 'inactive', sessionId: session.id };
      }
      token.usedAt = now;
      const next = this.newRefreshToken(session, now, em);
      return { kind: 'issued', session: await this.issue(user, session, next.secret, next.token.expiresAt, now) };
    });
    if (outcome.kind === 'issued') return outcome.session;
    // the revocation above is committed by now; only then the caller hears no
    if (outcome.reason === 'reuse') this.context.logger.warn({ sessionId: outcome.sessionId, clientAddress: this.context.clientAddress }, 'refresh token reused: session revoked');
    else this.context.logger.info({ sessionId: outcome.sessionId, reason: outcome.reason }, 'refresh refused');
    throw new UnauthenticatedError(INVALID_REFRESH);
  }

  /** Ends the session the refresh token belongs to (any token of the family, spent or not). */
  async logout(secret: string): Promise<boolean> {
    if (!REFRESH_TOKEN_PATTERN.test(secret)) return false;
    const token = await this.context.em.findOne(RefreshToken, { tokenHash: sha256(secret) });
    if (!token) return false;
    const ended = await this.context.em.nativeUpdate(Session, { id: token.sessionId, revokedAt: null }, { revokedAt: new Date(), revokeReason: 'logout' });
    return ended > 0;
  }

  /**
   * Sessions that ended (expired or revoked) more than a day ago, and lapsed refresh tokens, are deleted: a
   * lapsed token presented again is refused all the same, just not as reuse (it could not be used anyway).
   */
  private async forgetEnded(userId: string, now: Date): Promise<void> {
    const cutoff = new Date(now.getTime() - FORGET_AFTER_MS);
    await this.context.em.transactional(async (em) => {
      await em.execute(
        `delete from refresh_tokens t using sessions s
          where t.session_id = s.id and s.user_id = ? and (t.expires_at < ? or s.expires_at < ? or s.revoked_at < ?)`,
        [userId, cutoff, cutoff, cutoff],
      );
      await em.nativeDelete(Session, { userId, $or: [{ expiresAt: { $lt: cutoff } }, { revokedAt: { $lt: cutoff } }] });
    });
  }

  private newRefreshToken(session: Session, now: Date, em: EntityManager = this.context.em): { secret: string; token: RefreshToken } {
    const secret = `ktr_${randomBytes(32).toString('base64url')}`;
    const idleEnd = now.getTime() + this.settings.refreshTtlSeconds * 1000;
    const token = em.create(RefreshToken, { sessionId: session.id, tokenHash: sha256(secret), expiresAt: new Date(Math.min(idleEnd, session.expiresAt.getTime())) });
    return { secret, token };
  }

  private async issue(user: User, session: Session, refreshToken: string, refreshExpiresAt: Date, now: Date): Promise<IssuedSession> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = new Date(Math.min(issuedAt + this.settings.jwtTtlSeconds, Math.floor(session.expiresAt.getTime() / 1000)) * 1000);
    const token = await new SignJWT({ name: user.name, roles: user.roles, sid: session.id })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setJti(randomUUID())
      .setIssuer(STAFF_TOKEN_ISSUER)
      .setAudience(STAFF_TOKEN_AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt.getTime() / 1000)
      .sign(hmacSecretKey(this.settings.jwtSecret));
    return { token, expiresAt, refreshToken, refreshExpiresAt, user };
  }
}
