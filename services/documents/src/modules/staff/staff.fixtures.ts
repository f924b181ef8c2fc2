import { DEMO_USERS } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { StaffService } from './staff.service';

/**
 * For tests that need the directory without the event bus: the demo staff (kit's DEMO_USERS), all active, at
 * the oldest version, so any real event about them still wins.
 */
export async function fillStaffFromDemoUsers(em: EntityManager): Promise<void> {
  const staff = new StaffService(em);
  for (const user of DEMO_USERS) await staff.upsert({ id: user.id, email: user.email, name: user.name, roles: [...user.roles], active: true, updatedAt: new Date(0) });
}
