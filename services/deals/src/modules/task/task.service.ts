import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  actorId,
  byKeys,
  ConflictError,
  type ConnectionShape,
  CounterpartyDirectory,
  decodeCursor,
  encodeCursor,
  ForbiddenError,
  groupByKeys,
  hasPermission,
  type Identity,
  isUuid,
  NotFoundError,
  publishEvent,
  type SubgraphContext,
  TASK_COMPLETED,
  type TaskCompleted,
  toConnection,
  UserDirectory,
  UserInputError,
} from '@kartoteka/kit';
import { TASK_COMMENTS_MAX, TaskComment } from './task-comment.entity';
import { OPEN_TASK_STATUSES, Task, TaskPriority, TaskStatus } from './task.entity';
import { publishTaskCreated } from './task.events';

type Context = Pick<SubgraphContext, 'em' | 'identity' | 'loaders'>;

type Links = { counterpartyId?: string | null; documentId?: string | null; dealId?: string | null; projectId?: string | null };

export type NewTask = Links & {
  title: string;
  description?: string | null;
  assigneeId?: string | null;
  dueAt?: string | null;
  priority?: TaskPriority | null;
};

export type TaskEdit = Links & {
  id: string;
  version: number;
  title?: string | null;
  description?: string | null;
  assigneeId?: string | null;
  dueAt?: string | null;
  priority?: TaskPriority | null;
  status?: TaskStatus | null;
};

export type TaskTransition = { id: string; version?: number | null; comment?: string | null };

export type TaskFilter = Links & {
  assigneeId?: string | null;
  statuses?: readonly TaskStatus[] | null;
  dueBefore?: string | null;
  dueAfter?: string | null;
};

export type PageArgs = { first: number; after?: string | null };

/** Position in the list order: due time ascending (no due time last), then id. */
type DueCursor = { dueAt: string | null; id: string };

const LINK_FIELDS = ['counterpartyId', 'documentId', 'dealId', 'projectId'] as const;

function cursorOf(task: Task): string {
  return encodeCursor([task.dueAt ? task.dueAt.toISOString() : null, task.id]);
}

function parseCursor(after: string): DueCursor {
  const [dueAt, id] = decodeCursor(after, ['timestamp?', 'uuid']);
  if ((dueAt !== null && (typeof dueAt !== 'string' || Number.isNaN(Date.parse(dueAt)))) || typeof id !== 'string' || !isUuid(id)) {
    throw new UserInputError('after', 'The cursor is not valid for this list');
  }
  return { dueAt, id };
}

function optionalText(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function actorKindOf(identity: Identity): string {
  return identity.kind === 'anonymous' ? 'system' : identity.kind;
}

/** A staff member whose only role is VIEWER reads and never writes, even a task assigned to them. */
function readOnly(identity: Identity): boolean {
  return identity.kind === 'user' && identity.roles.every((role) => role === 'VIEWER');
}

/**
 * General tasks: their rules (references checked against this service's read models and its own deals and
 * projects), the `deals.task.completed` event, and the reads. Reminders are the reminder job's (task-reminder.job.ts).
 */
export class TaskService {
  constructor(private readonly context: Context) {}

  // ---- writes -------------------------------------------------------------------------------------------

  async create(input: NewTask): Promise<Task> {
    const title = input.title.trim();
    if (!title) throw new UserInputError('title', 'Enter a title');
    const identity = this.context.identity;
    const id = await this.context.em.transactional(async (em) => {
      let assigneeId: string | null = null;
      if (input.assigneeId) assigneeId = (await new UserDirectory(em).requireActive(input.assigneeId, 'assigneeId')).id;
      else if (identity.kind === 'user') {
        const [creator] = await new UserDirectory(em).findByIds([identity.id]);
        assigneeId = creator?.active ? creator.id : null;
      }
      const links = await this.checkLinks(em, input, null);
      const task = em.create(Task, {
        title,
        description: optionalText(input.description),
        assigneeId,
        authorId: actorId(identity),
        dueAt: input.dueAt ? new Date(input.dueAt) : null,
        priority: input.priority ?? TaskPriority.NORMAL,
        ...links,
      });
      await publishTaskCreated(em, task, identity, new Date());
      await em.flush();
      return task.id;
    });
    return this.context.em.findOneOrFail(Task, { id }, { refresh: true });
  }

  async update(input: TaskEdit): Promise<Task> {
    await this.context.em.transactional(async (em) => {
      const task = await this.lockForChange(em, input.id, input.version);
      if (input.title !== undefined && input.title !== null) {
        const title = input.title.trim();
        if (!title) throw new UserInputError('title', 'Enter a title');
        task.title = title;
      }
      if (input.description !== undefined) task.description = optionalText(input.description);
      if (input.assigneeId !== undefined) {
        const assigneeId = input.assigneeId?.toLowerCase() ?? null;
        if (assigneeId && assigneeId !== task.assigneeId) await new UserDirectory(em).requireActive(assigneeId, 'assigneeId');
        if (assigneeId !== task.assigneeId) {
          // a new assignee gets the reminders of the current due time again
          task.dueSoonNotifiedFor = null;
          task.overdueNotifiedFor = null;
        }
        task.assigneeId = assigneeId;
      }
      if (input.dueAt !== undefined) task.dueAt = input.dueAt ? new Date(input.dueAt) : null;
      if (input.priority) task.priority = input.priority;
      Object.assign(task, await this.checkLinks(em, input, task));
      if (input.status && input.status !== task.status) {
        if (input.status === TaskStatus.DONE) throw new UserInputError('status', 'Use completeTask to mark a task done');
        const wasOpen = OPEN_TASK_STATUSES.includes(task.status);
        if (!wasOpen && input.status !== TaskStatus.CANCELLED) this.reopenFields(task);
        task.status = input.status;
        if (input.status === TaskStatus.CANCELLED && wasOpen) await this.close(em, task, TaskStatus.CANCELLED);
      }
      await em.flush();
    });
    return this.context.em.findOneOrFail(Task, { id: input.id.toLowerCase() }, { refresh: true });
  }

  /** Marks the task done and publishes `deals.task.completed` (its reminders count as handled). */
  async complete(input: TaskTransition): Promise<Task> {
    await this.context.em.transactional(async (em) => {
      const task = await this.lockForChange(em, input.id, input.version ?? null);
      if (task.status === TaskStatus.DONE) throw new UserInputError('id', 'The task is already done');
      task.status = TaskStatus.DONE;
      await this.close(em, task, TaskStatus.DONE);
      if (optionalText(input.comment)) await this.comment(em, task.id, input.comment as string);
      await em.flush();
    });
    return this.context.em.findOneOrFail(Task, { id: input.id.toLowerCase() }, { refresh: true });
  }

  /** Opens a done or cancelled task again; its reminders are armed again for its due time. */
  async reopen(input: TaskTransition): Promise<Task> {
    await this.context.em.transactional(async (em) => {
      const task = await this.lockForChange(em, input.id, input.version ?? null);
      if (OPEN_TASK_STATUSES.includes(task.status)) throw new UserInputError('id', 'The task is not closed');
      task.status = TaskStatus.OPEN;
      this.reopenFields(task);
      if (optionalText(input.comment)) await this.comment(em, task.id, input.comment as string);
      await em.flush();
    });
    return this.context.em.findOneOrFail(Task, { id: input.id.toLowerCase() }, { refresh: true });
  }

  async addComment(input: { taskId: string; text: string }): Promise<TaskComment> {
    const text = input.text.trim();
    if (!text) throw new UserInputError('text', 'Write a comment');
    return this.context.em.transactional(async (em) => {
      const task = await this.lockForChange(em, input.taskId, null);
      const comment = await this.comment(em, task.id, text);
      await em.flush();
      return comment;
    });
  }

  // ---- reads --------------------------------------------------------------------------------------------

  findById(id: string): Promise<Task | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.context.em.findOne(Task, { id: id.toLowerCase() });
  }

  findByIds(ids: readonly string[]): Promise<Task[]> {
    const valid = ids.filter(isUuid).map((id) => id.toLowerCase());
    return valid.length ? this.context.em.find(Task, { id: { $in: valid } }) : Promise.resolve([]);
  }

  /** One page of tasks matching the filter, by due time (no due time last), plus the total: two statements. */
  async list(filter: TaskFilter, args: PageArgs): Promise<ConnectionShape<Task>> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (filter.assigneeId) {
      conditions.push('t.assignee_id = ?');
      params.push(filter.assigneeId.toLowerCase());
    }
    if (filter.statuses?.length) {
      conditions.push('t.status = any(array[?]::text[])');
      params.push([...filter.statuses]);
    }
    if (filter.dueBefore) {
      conditions.push('t.due_at < ?::timestamptz');
      params.push(new Date(filter.dueBefore).toISOString());
    }
    if (filter.dueAfter) {
      conditions.push('t.due_at >= ?::timestamptz');
      params.push(new Date(filter.dueAfter).toISOString());
    }
    for (const field of LINK_FIELDS) {
      const value = filter[field];
      if (!value) continue;
      conditions.push(`t.${field.replace(/[A-Z]/g, (char) => `_${char.toLowerCase()}`)} = ?`);
      params.push(value.toLowerCase());
    }
    const where = conditions.length ? conditions.join(' and ') : 'true';
    const cursor = args.after ? parseCursor(args.after) : null;
    const connection = this.context.em.getConnection();
    const order = `coalesce(t.due_at, 'infinity'::timestamptz)`;
    const [rows, counts] = await Promise.all([
      connection.execute<Record<string, unknown>[]>(
        `select t.* from tasks t where ${where}${cursor ? ` and (${order}, t.id) > (coalesce(?::timestamptz, 'infinity'::timestamptz), ?::uuid)` : ''} order by ${order}, t.id limit ?`,
        [...params, ...(cursor ? [cursor.dueAt, cursor.id] : []), args.first + 1],
      ),
      connection.execute<{ total: number }[]>(`select count(*)::int as total from tasks t where ${where}`, params),
    ]);
    return toConnection(rows.map((row) => this.context.em.map(Task, row)), args.first, counts[0]?.total ?? 0, cursorOf);
  }

  /** The caller's tasks (a staff member's own list): the open ones unless a status is asked for. */
  mine(status: TaskStatus | null | undefined, args: PageArgs, due: { dueBefore?: string | null; dueAfter?: string | null } = {}): Promise<ConnectionShape<Task>> {
    const identity = this.context.identity;
    if (identity.kind !== 'user') throw new ForbiddenError('Only a staff member has tasks of their own');
    return this.list({ assigneeId: identity.id, statuses: status ? [status] : OPEN_TASK_STATUSES, dueBefore: due.dueBefore, dueAfter: due.dueAfter }, args);
  }

  /** A task's comments, oldest first; batched across tasks (one statement per request). */
  async commentsOf(taskId: string): Promise<TaskComment[]> {
    const loader = this.context.loaders.get<TaskComment[]>('task-comments:of-task', async (ids) => {
      const rows = await this.context.em.find(TaskComment, { taskId: { $in: [...new Set(ids)] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      return groupByKeys(ids, rows, (row) => row.taskId);
    });
    return (await loader.load(taskId)) ?? [];
  }

  /** A task by id, batched per request. */
  taskById(id: string): Promise<Task | null> {
    const loader = this.context.loaders.get<Task>('tasks:by-id', async (ids) => byKeys(ids.map((key) => key.toLowerCase()), await this.findByIds(ids), (row) => row.id));
    return loader.load(id);
  }

  // ---- internals ----------------------------------------------------------------------------------------

  /**
   * Anyone with tasks:write changes any task; the task's author and assignee change it without (a read-only
   * VIEWER never does).
   */
  private assertMayChange(task: Task): void {
    const identity = this.context.identity;
    if (hasPermission(identity, 'tasks:write')) return;
    if (identity.kind === 'user' && !readOnly(identity) && (identity.id === task.assigneeId || identity.id === task.authorId)) return;
    throw new ForbiddenError('Only the task\'s author, its assignee or someone with tasks:write may change it');
  }

  private async lockForChange(em: EntityManager, id: string, version: number | null): Promise<Task> {
    const task = isUuid(id) ? await em.findOne(Task, { id: id.toLowerCase() }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true }) : null;
    if (!task) throw new NotFoundError('Task', id);
    this.assertMayChange(task);
    if (version !== null && task.version !== version) throw new ConflictError('The task was changed by someone else; reload it', { currentVersion: task.version });
    return task;
  }

  private reopenFields(task: Task): void {
    task.completedAt = null;
    task.completedById = null;
    task.dueSoonNotifiedFor = null;
    task.overdueNotifiedFor = null;
  }

  private async close(em: EntityManager, task: Task, status: TaskStatus.DONE | TaskStatus.CANCELLED): Promise<void> {
    const now = new Date();
    task.completedAt = now;
    task.completedById = actorId(this.context.identity);
    const payload: TaskCompleted = { taskId: task.id, status, completedAt: now.toISOString(), completedById: task.completedById };
    await publishEvent(em, TASK_COMPLETED, payload);
  }

  private async comment(em: EntityManager, taskId: string, text: string): Promise<TaskComment> {
    const [{ n }] = await em.execute<{ n: number }[]>('select count(*)::int as n from task_comments where task_id = ?', [taskId]);
    if (n >= TASK_COMMENTS_MAX) throw new UserInputError('text', `A task keeps at most ${TASK_COMMENTS_MAX} comments`);
    const identity = this.context.identity;
    return em.create(TaskComment, { taskId, text: text.trim(), authorId: actorId(identity), authorKind: actorKindOf(identity), createdAt: new Date() });
  }

  /**
   * The links a change asks for, each checked: a counterparty against the read model (a new link must not be
   * archived), a deal and a project as this service's own, a document against the documents this service knows
   * (those of its deals, from documents' events). A link left out stays; null removes it.
   */
  private async checkLinks(em: EntityManager, input: Links, current: Task | null): Promise<Links> {
    const links: Links = {};
    if (input.counterpartyId !== undefined) {
      const id = input.counterpartyId?.toLowerCase() ?? null;
      if (id && id !== current?.counterpartyId) await new CounterpartyDirectory(em).requireActive(id, 'counterpartyId');
      links.counterpartyId = id;
    }
    if (input.dealId !== undefined) {
      const id = input.dealId?.toLowerCase() ?? null;
      if (id && !(await em.execute('select 1 from deals where id = ?', [id])).length) throw new UserInputError('dealId', 'There is no such deal', { reason: 'deal.unknown' });
      links.dealId = id;
    }
    if (input.projectId !== undefined) {
      const id = input.projectId?.toLowerCase() ?? null;
      if (id && !(await em.execute('select 1 from projects where id = ?', [id])).length) throw new UserInputError('projectId', 'There is no such project', { reason: 'project.unknown' });
      links.projectId = id;
    }
    if (input.documentId !== undefined) {
      const id = input.documentId?.toLowerCase() ?? null;
      if (id && id !== current?.documentId && !(await em.execute('select 1 from deal_actions where document_id = ? limit 1', [id])).length) {
        throw new UserInputError('documentId', 'No such document is known to deals (only documents of deals can be linked for now)', { reason: 'document.unknown' });
      }
      links.documentId = id;
    }
    return links;
  }
}
