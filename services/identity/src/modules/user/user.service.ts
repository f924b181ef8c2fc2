import { hash } from '@node-rs/argon2';
import { decodeCursor, encodeCursor, toConnection, UserInputError, type ConnectionShape, type RoleCode, type SubgraphContext } from '@kartoteka/kit';
import type { FilterQuery } from '@mikro-orm/core';
import { User } from './user.entity';

export type NewUser = { email: string; name: string; password: string | null; roles: RoleCode[] };

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export class UserService {
  constructor(private readonly context: Pick<SubgraphContext, 'em'>) {}

  async create(input: NewUser): Promise<User> {
    const em = this.context.em;
    const email = normalizeEmail(input.email);
    if (await em.count(User, { email })) throw new UserInputError('email', `A user with e-mail ${email} already exists`);
    const user = em.create(User, {
      email,
      name: input.name.trim(),
      roles: [...new Set(input.roles)],
      passwordHash: input.password ? await hash(input.password) : null,
      active: true,
    });
    await em.flush();
    return user;
  }

  async list(args: { search?: string | null; first: number; after?: string | null }): Promise<ConnectionShape<User>> {
    const where: FilterQuery<User> = {};
    const search = args.search?.trim();
    if (search) where.$or = [{ name: { $ilike: `%${search}%` } }, { email: { $ilike: `%${search}%` } }];
    const page: FilterQuery<User> = { ...where };
    if (args.after) {
      const [name, id] = decodeCursor(args.after, 2) as [string, string];
      page.$and = [{ $or: [{ name: { $gt: name } }, { name, id: { $gt: id } }] }];
    }
    const [rows, total] = await Promise.all([
      this.context.em.find(User, page, { orderBy: { name: 'asc', id: 'asc' }, limit: args.first + 1 }),
      this.context.em.count(User, where),
    ]);
    return toConnection(rows, args.first, total, (user) => encodeCursor([user.name, user.id]));
  }

  findByIds(ids: readonly string[]): Promise<User[]> {
    return this.context.em.find(User, { id: { $in: [...ids] } });
  }

  findById(id: string): Promise<User | null> {
    return this.context.em.findOne(User, { id });
  }
}
