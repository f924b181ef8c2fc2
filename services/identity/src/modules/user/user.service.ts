import { hash, verify } from '@node-rs/argon2';
import { decodeCursor, encodeCursor, isUuid, NotFoundError, publishEvent, toConnection, UnauthenticatedError, USER_UPSERTED, UserInputError, type ConnectionShape, type RoleCode, type SubgraphContext, type UserUpserted } from '@kartoteka/kit';
import { LockMode, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { revokeSessionsOf } from '../session/session.service';
import { User } from './user.entity';

/** `id` only for users with fixed ids (the demo staff); otherwise a new one is generated. */
export type NewUser = { id?: string; email: string; name: string; password: string | null; roles: RoleCode[] };
export type UserChanges = { id: string; name?: string | null; roles?: RoleCode[] | null; active?: boolean | null };

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Tells the other services (`identity.user.upserted`) the user's current state, in the transaction of the
 * change. Call it after the change is flushed: `updatedAt` is then the stored one, the version consumers use to
 * ignore an older state arriving late.
 */
export async function publishUserUpserted(em: EntityManager, user: User): Promise<void> {
  const payload: UserUpserted = { id: user.id, email: user.email, name: user.name, roles: [...user.roles], active: user.active, updatedAt: user.updatedAt.toISOString() };
  await publishEvent(em, USER_UPSERTED, payload);
}

export class UserService {
  constructor(private readonly context: Pick<SubgraphContext, 'em'>) {}

  async create(input: NewUser): Promise<User> {
    const passwordHash = input.password ? await hash(input.password) : null;
    return this.context.em.transactional(async (em) => {
      const email = normalizeEmail(input.email);
      if (await em.count(User, { email })) throw new UserInputError('email', `A user with e-mail ${email} already exists`, { reason: 'user.email-taken' });
      const user = em.create(User, {
        ...(input.id ? { id: input.id } : {}),
        email,
        name: input.name.trim(),
        roles: [...new Set(input.roles)],
        passwordHash,
        active: true,
      });
      await em.flush();
      await publishUserUpserted(em, user);
      return user;
    });
  }

  /**
   * Name, roles, deactivation. The last active administrator can be neither demoted nor deactivated, so the
   * installation never locks itself out. Deactivation or a change of roles ends the user's sessions: refresh
   * tokens stop at once, an access token already issued lives out its short lifetime (≤ 15 minutes).
   */
  async update(changes: UserChanges): Promise<User> {
    return this.context.em.transactional(async (em) => {
      const user = isUuid(changes.id) ? await em.findOne(User, { id: changes.id }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
      if (!user) throw new NotFoundError('User', changes.id);
      const roles = changes.roles ? [...new Set(changes.roles)] : user.roles;
      const active = changes.active ?? user.active;
      if (user.roles.includes('ADMIN') && user.active && (!roles.includes('ADMIN') || !active)) {
        // serialize concurrent demotions of different admins
        await em.getConnection().execute(`select pg_advisory_xact_lock(hashtext('kartoteka:identity:admins'))`);
        const otherAdmins = await em.count(User, { id: { $ne: user.id }, active: true, roles: { $contains: ['ADMIN'] } });
        if (otherAdmins === 0) throw new UserInputError(changes.active === false ? 'active' : 'roles', 'The last active administrator cannot be demoted or deactivated', { reason: 'user.last-admin' });
      }
      if (changes.name !== undefined && changes.name !== null) user.name = changes.name.trim();
      const rolesChanged = roles.length !== user.roles.length || roles.some((role) => !user.roles.includes(role));
      const deactivated = user.active && !active;
      user.roles = roles;
      user.active = active;
      await em.flush();
      // A session must not outlive the rights it was opened with: the user logs in again.
      if (deactivated || rolesChanged) await revokeSessionsOf(em, user.id, deactivated ? 'deactivated' : 'roles-changed');
      await publishUserUpserted(em, user);
      return user;
    });
  }

  /**
   * An administrator sets a new password (e.g. a forgotten one, or a suspected leak): the user's sessions end.
   * Failed-login throttling is unaffected.
   */
  async setPassword(id: string, password: string): Promise<User> {
    const passwordHash = await hash(password);
    return this.context.em.transactional(async (em) => {
      const user = isUuid(id) ? await em.findOne(User, { id }) : null;
      if (!user) throw new NotFoundError('User', id);
      user.passwordHash = passwordHash;
      await em.flush();
      await revokeSessionsOf(em, user.id, 'password-reset');
      return user;
    });
  }

  /**
   * The logged-in user changes their own password, proving the current one. Every other session of theirs ends
   * (the usual reason to change a password is that it may be known elsewhere); the session it is changed from,
   * `sessionId` of the access token, goes on.
   */
  async changeOwnPassword(id: string, currentPassword: string, newPassword: string, sessionId?: string): Promise<User> {
    const user = await this.context.em.findOne(User, { id }, { populate: ['passwordHash'] });
    if (!user) throw new UnauthenticatedError();
    const valid = user.passwordHash ? await verify(user.passwordHash, currentPassword).catch(() => false) : false;
    if (!valid) throw new UserInputError('currentPassword', 'The current password is not correct');
    if (currentPassword === newPassword) throw new UserInputError('newPassword', 'Choose a password different from the current one');
    const passwordHash = await hash(newPassword);
    return this.context.em.transactional(async (em) => {
      const changed = await em.findOneOrFail(User, { id: user.id });
      changed.passwordHash = passwordHash;
      await em.flush();
      await revokeSessionsOf(em, user.id, 'password-changed', sessionId);
      return changed;
    });
  }

  async list(args: { search?: string | null; first: number; after?: string | null }): Promise<ConnectionShape<User>> {
    const where: FilterQuery<User> = {};
    const search = args.search?.trim();
    if (search) where.$or = [{ name: { $ilike: `%${search}%` } }, { email: { $ilike: `%${search}%` } }];
    const page: FilterQuery<User> = { ...where };
    if (args.after) {
      const [name, id] = decodeCursor(args.after, ['string', 'uuid']);
      page.$and = [{ $or: [{ name: { $gt: name } }, { name, id: { $gt: id } }] }];
    }
    const [rows, total] = await Promise.all([
      this.context.em.find(User, page, { orderBy: { name: 'asc', id: 'asc' }, limit: args.first + 1 }),
      this.context.em.count(User, where),
    ]);
    return toConnection(rows, args.first, total, (user) => encodeCursor([user.name, user.id]));
  }

  findByIds(ids: readonly string[]): Promise<User[]> {
    return this.context.em.find(User, { id: { $in: ids.filter(isUuid) } });
  }

  findById(id: string): Promise<User | null> {
    return isUuid(id) ? this.context.em.findOne(User, { id }) : Promise.resolve(null);
  }
}
