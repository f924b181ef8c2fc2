import { ForbiddenError, type SubgraphContext } from '@kartoteka/kit';
import { DealAction } from '../deal/deal-action.entity';
import { MyWorkCounts } from './work.type';

type Context = Pick<SubgraphContext, 'em' | 'identity'>;

/**
 * "My work" across this service's modules (tasks and deal actions). It reads both tables in ONE statement for the
 * navigation badge, which is why it is raw SQL over the two modules' tables instead of two services' calls.
 */
export class WorkService {
  constructor(private readonly context: Context) {}

  async countsOfCaller(now = new Date()): Promise<MyWorkCounts> {
    const identity = this.context.identity;
    if (identity.kind !== 'user') throw new ForbiddenError('Only a staff member has work of their own');
    const [row] = await this.context.em.getConnection().execute<{ open_tasks: number; overdue_tasks: number; deal_actions: number; overdue_deal_actions: number }[]>(
      `select t.open_tasks, t.overdue_tasks, a.deal_actions, a.overdue_deal_actions
         from (select count(*)::int as open_tasks, (count(*) filter (where due_at < ?::timestamptz))::int as overdue_tasks
                 from tasks where assignee_id = ? and status in ('OPEN', 'IN_PROGRESS')) t,
              (select count(*)::int as deal_actions, (count(*) filter (where a.due_at < ?::timestamptz))::int as overdue_deal_actions
                 from deal_actions a join deals d on d.id = a.deal_id
                where a.assignee_id = ? and a.status in ('TODO', 'FAILED') and d.status = 'OPEN' and a.stage_key = d.stage) a`,
      [now, identity.id, now, identity.id],
    );
    return Object.assign(new MyWorkCounts(), {
      openTasks: row?.open_tasks ?? 0,
      overdueTasks: row?.overdue_tasks ?? 0,
      dealActions: row?.deal_actions ?? 0,
      overdueDealActions: row?.overdue_deal_actions ?? 0,
    });
  }

  /**
   * The deal actions waiting on the caller, the ones `dealActions` counts: actions of the current stage of open
   * deals assigned to them, to do or failed; by due time (none last), then oldest first. One statement.
   */
  async dealActionsOfCaller(first: number): Promise<DealAction[]> {
    const identity = this.context.identity;
    if (identity.kind !== 'user') throw new ForbiddenError('Only a staff member has work of their own');
    const rows = await this.context.em.getConnection().execute<Record<string, unknown>[]>(
      `select a.* from deal_actions a join deals d on d.id = a.deal_id
        where a.assignee_id = ? and a.status in ('TODO', 'FAILED') and d.status = 'OPEN' and a.stage_key = d.stage
        order by a.due_at asc nulls last, a.created_at asc, a.id asc limit ?`,
      [identity.id, first],
    );
    return rows.map((row) => this.context.em.map(DealAction, row));
  }
}
