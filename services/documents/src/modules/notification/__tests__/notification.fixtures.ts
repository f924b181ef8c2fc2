import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger, type Logger } from '@kartoteka/kit';
import { StaffService } from '../../staff/staff.service';
import { type NotifyInput, NotificationService } from '../notification.service';

export type StaffFixture = { id: string; email: string; name: string; roles: string[]; active: boolean };

export const silentLogger: Logger = createLogger('documents', process.env.TEST_LOG_LEVEL ?? 'silent');

/** A staff member of the directory with a unique address. */
export function staffMember(name: string, overrides: Partial<StaffFixture> = {}): StaffFixture {
  const id = randomUUID();
  return { id, email: `${name.toLowerCase()}.${id.slice(0, 8)}@example.test`, name, roles: ['VIEWER'], active: true, ...overrides };
}

/** Fills the staff directory the way identity's events do. */
export async function seedStaff(orm: MikroORM, members: StaffFixture[]): Promise<void> {
  await orm.em.fork().transactional(async (em) => {
    const staff = new StaffService(em);
    for (const member of members) await staff.upsert(member);
  });
}

/** Writes the notification in its own transaction and commits it, as a module's mutation does. */
export async function notifyCommitted(orm: MikroORM, input: NotifyInput): Promise<void> {
  await orm.em.fork().transactional((em) => new NotificationService(em).notify(input));
}

/** A notification of a document (its id always set). */
export function notifyInput(userIds: string[], overrides: Partial<NotifyInput> & { documentId?: string } = {}): NotifyInput & { documentId: string } {
  return {
    userIds,
    kind: 'APPROVAL_TASK',
    documentId: randomUUID(),
    documentTitle: 'Договор поставки № 15/25-П',
    documentNumber: 'Д-2026-00015',
    actorName: 'Ольга Смирнова',
    comment: null,
    dueAt: null,
    ...overrides,
  };
}

export async function outboxRows(orm: MikroORM, where = 'true'): Promise<{ id: string; user_id: string; to_address: string; status: string; attempts: number; message_id: string; subject: string; last_error: string | null }[]> {
  return orm.em.getConnection().execute(`select * from mail_outbox where ${where} order by created_at, id`);
}
