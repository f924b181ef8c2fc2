import { DEMO_USERS } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from '../modules/user/user.entity';
import { UserService } from '../modules/user/user.service';

export type IdentitySeedOptions = {
  demo: boolean;
  /** Outside demo mode the first admin comes from configuration; there is no default password. */
  bootstrapAdmin: { email: string; password: string; name: string } | null;
};

/** Idempotent: seeds only an empty user table. Returns what it did, for the start log. */
export async function seedIdentity(em: EntityManager, options: IdentitySeedOptions): Promise<string> {
  if (await em.count(User, {})) return 'identity: users exist, nothing seeded';
  const users = new UserService({ em });
  if (options.demo) {
    for (const demo of DEMO_USERS) {
      const user = await users.create({ email: demo.email, name: demo.name, password: demo.password, roles: demo.roles });
      // Fixed ids let the other services' demo data refer to these people.
      await em.nativeUpdate(User, { id: user.id }, { id: demo.id });
    }
    return `identity: ${DEMO_USERS.length} demo users`;
  }
  if (options.bootstrapAdmin) {
    await users.create({ ...options.bootstrapAdmin, roles: ['ADMIN'] });
    return `identity: admin ${options.bootstrapAdmin.email} created`;
  }
  return 'identity: no users and no ADMIN_EMAIL/ADMIN_PASSWORD configured: nobody can log in yet';
}
