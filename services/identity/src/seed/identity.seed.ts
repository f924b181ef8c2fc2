import { DEMO_USERS, OutboxEvent } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from '../modules/user/user.entity';
import { publishUserUpserted, UserService } from '../modules/user/user.service';

export type IdentitySeedOptions = {
  demo: boolean;
  /** Outside demo mode the first admin comes from configuration; there is no default password. */
  bootstrapAdmin: { email: string; password: string; name: string } | null;
};

/** Idempotent: seeds only an empty user table. Returns what it did, for the start log. */
export async function seedIdentity(em: EntityManager, options: IdentitySeedOptions): Promise<string> {
  if (await em.count(User, {})) return `identity: users exist, nothing seeded${await announceExistingUsers(em)}`;
  const users = new UserService({ em });
  if (options.demo) {
    // Fixed ids let the other services' demo data refer to these people.
    for (const demo of DEMO_USERS) await users.create({ id: demo.id, email: demo.email, name: demo.name, password: demo.password, roles: demo.roles });
    return `identity: ${DEMO_USERS.length} demo users`;
  }
  if (options.bootstrapAdmin) {
    await users.create({ ...options.bootstrapAdmin, roles: ['ADMIN'] });
    return `identity: admin ${options.bootstrapAdmin.email} created`;
  }
  return 'identity: no users and no ADMIN_EMAIL/ADMIN_PASSWORD configured: nobody can log in yet';
}

/**
 * Users created before identity published events (an empty outbox next to existing users) are announced once,
 * so the other services' staff directories learn about them.
 */
async function announceExistingUsers(em: EntityManager): Promise<string> {
  if (await em.count(OutboxEvent, {})) return '';
  const existing = await em.find(User, {}, { orderBy: { id: 'asc' } });
  for (const user of existing) await publishUserUpserted(em, user);
  await em.flush();
  return `; ${existing.length} users announced to the other services`;
}
