import type { SubgraphContext } from '../server/context';
import { primeKnownUsers, type KnownUserName } from './define-reference';

/**
 * The rows of a "first N per parent" query that reads pages of many parents at once (a LATERAL page per parent,
 * left-joined so a parent without rows still comes, as one row of nulls), where every row also carries:
 * `page_parent_id` (the parent), `page_total` (the parent's total), and `page_user_id` / `page_user_name` (the user
 * the row refers to, left-joined from this subgraph's read model of identity's users).
 *
 * Gives the entities grouped by parent and the totals, and hands the users to the per-request batch of `User.name`
 * (primeKnownUsers): a page's users then cost no query of their own.
 */
export function readPageRows<T>(
  context: Pick<SubgraphContext, 'loaders'>,
  rows: readonly Record<string, unknown>[],
  options: { map: (row: Record<string, unknown>) => T; userIdOf: (item: T) => string | null },
): { groups: Map<string, T[]>; totals: Map<string, number> } {
  const groups = new Map<string, T[]>();
  const totals = new Map<string, number>();
  const userIds: string[] = [];
  const users: KnownUserName[] = [];
  for (const { page_parent_id: parentId, page_total: total, page_user_id: userId, page_user_name: userName, ...row } of rows) {
    const parent = String(parentId);
    totals.set(parent, Number(total));
    if (row.id === null || row.id === undefined) continue;
    const item = options.map(row);
    const group = groups.get(parent);
    if (group) group.push(item);
    else groups.set(parent, [item]);
    const referred = options.userIdOf(item);
    if (referred) userIds.push(referred);
    if (userId) users.push({ id: String(userId), name: String(userName) });
  }
  primeKnownUsers(context, userIds, users);
  return { groups, totals };
}
