import { decodeCursor, encodeCursor, toConnection, UserInputError, type ConnectionShape, type SubgraphContext } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Suppression, SuppressionReason } from './suppression.entity';

/** A plausible single address: local@domain, no spaces or angle brackets (what a mail client would accept as one To). */
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Puts an address on the suppression list, once: a second call (a repeated unsubscribe, a third hard bounce) keeps
 * the first row and its reason. Runs in the caller's transaction.
 */
export async function suppressAddress(em: EntityManager, email: string, reason: SuppressionReason, mailingId: string | null): Promise<void> {
  await em.execute('insert into suppressions (id, email, reason, mailing_id, created_at) values (gen_random_uuid(), ?, ?, ?, now()) on conflict (email) do nothing', [normalizeEmail(email), reason, mailingId]);
}

/** Whether no mailing may go to `email`. */
export async function isSuppressed(em: EntityManager, email: string): Promise<boolean> {
  const rows = await em.execute<{ found: number }[]>('select 1 as found from suppressions where email = ? limit 1', [normalizeEmail(email)]);
  return rows.length > 0;
}

/** The suppression list: read and added to by hand (unsubscribes and bounces add to it by themselves). */
export class SuppressionService {
  constructor(private readonly context: SubgraphContext) {}

  private get em(): EntityManager {
    return this.context.em as EntityManager;
  }

  /** Newest first; `q` finds addresses containing it. */
  async list(args: { first: number; after?: string | null; q?: string | null }): Promise<ConnectionShape<Suppression>> {
    const after = args.after ? decodeCursor(args.after, ['timestamp', 'uuid'] as const) : null;
    const q = args.q?.trim().toLowerCase() ?? '';
    if (q.length > 254) throw new UserInputError('q', 'The search text must be at most 254 characters long');
    const where: string[] = [];
    const params: unknown[] = [];
    if (q) {
      where.push(`email like ? escape '\\'`);
      params.push(`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    const filter = where.length ? `where ${where.join(' and ')}` : '';
    const [{ total }] = await this.em.execute<{ total: string }[]>(`select count(*) as total from suppressions ${filter}`, params);
    const page = after ? `${filter ? `${filter} and` : 'where'} (created_at, id) < (?::timestamptz, ?::uuid)` : filter;
    const rows = await this.em.execute<Record<string, unknown>[]>(
      `select * from suppressions ${page} order by created_at desc, id desc limit ?`,
      [...params, ...(after ? [after[0], after[1]] : []), args.first + 1],
    );
    const items = rows.map((row) => this.em.map(Suppression, row));
    return toConnection(items, args.first, Number(total), (item) => encodeCursor([item.createdAt.toISOString(), item.id]));
  }

  /** MANUAL: staff put an address on the list; an address already there stays as it was (and is returned). */
  async add(email: string): Promise<Suppression> {
    const address = normalizeEmail(email);
    if (!EMAIL.test(address)) throw new UserInputError('email', 'Enter one e-mail address, e.g. name@example.com');
    return this.em.transactional(async (em) => {
      await suppressAddress(em, address, SuppressionReason.MANUAL, null);
      return em.findOneOrFail(Suppression, { email: address });
    });
  }
}
