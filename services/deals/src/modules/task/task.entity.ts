import { Entity, Enum, Index, Property, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '@kartoteka/kit';
import { Directive, Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

/*
 * General tasks live in the deals subgraph beside deal actions (DESIGN §1's default, kept): deals already owns
 * assigned work with due dates and keeps the read models of the staff, counterparties and documents a task refers
 * to; "my work" (tasks and deal actions) is then one query of one service.
 */

export enum TaskStatus {
  OPEN = 'OPEN',
  IN_PROGRESS = 'IN_PROGRESS',
  DONE = 'DONE',
  CANCELLED = 'CANCELLED',
}

registerEnumType(TaskStatus, { name: 'TaskStatus', description: 'Where a task stands; DONE and CANCELLED are closed' });

export enum TaskPriority {
  LOW = 'LOW',
  NORMAL = 'NORMAL',
  HIGH = 'HIGH',
  URGENT = 'URGENT',
}

registerEnumType(TaskPriority, { name: 'TaskPriority' });

/** Statuses of a task still to be done (reminders, "my tasks", counts). */
export const OPEN_TASK_STATUSES: readonly TaskStatus[] = [TaskStatus.OPEN, TaskStatus.IN_PROGRESS];

/**
 * A general task of a staff member. The due time is a date-time (`dueAt`, UTC) rather than a calendar date: deal
 * actions have the same `dueAt`, so "my work" sorts both by one key, a deadline may be a time of day ("by 15:00"),
 * and reminders and overdue notices are exact instants whatever the reader's time zone (a bare date would be
 * overdue at different moments in Moscow and Vladivostok). A client picking a day sends its end of day.
 *
 * `dueSoonNotifiedFor` / `overdueNotifiedFor` hold the due time the reminder job last announced: each reminder
 * goes out once per task and due time, and moving the due time arms them again.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A general task: assigned work with a due time, linked to a counterparty, document, deal or project' })
@Entity({ tableName: 'tasks' })
@Index({ name: 'tasks_assignee_index', properties: ['assigneeId', 'status', 'dueAt'] })
@Index({ name: 'tasks_counterparty_index', properties: ['counterpartyId'] })
@Index({ name: 'tasks_deal_index', properties: ['dealId'] })
@Index({ name: 'tasks_project_index', properties: ['projectId'] })
@Index({ name: 'tasks_document_index', properties: ['documentId'] })
@Index({ name: 'tasks_due_order_index', expression: `create index "tasks_due_order_index" on "tasks" ((coalesce("due_at", 'infinity'::timestamptz)), "id")` })
@Index({ name: 'tasks_open_due_index', expression: `create index "tasks_open_due_index" on "tasks" ("due_at") where "status" in ('OPEN', 'IN_PROGRESS') and "due_at" is not null` })
export class Task extends BaseEntity {
  @Field()
  @Property({ type: 'string', length: 500 })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Plain text' })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  /** A staff member (identity subgraph), checked against the user read model. */
  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  assigneeId: string | null = null;

  /** Who created it: a staff member or an API key (null for the system). */
  @Property({ type: 'uuid', nullable: true })
  authorId: string | null = null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the task is due (UTC)' })
  @Property({ type: 'timestamptz', nullable: true })
  dueAt: Date | null = null;

  @Field(() => TaskPriority)
  @Enum({ items: () => TaskPriority, default: TaskPriority.NORMAL })
  priority: Opt<TaskPriority> = TaskPriority.NORMAL;

  @Field(() => TaskStatus)
  @Enum({ items: () => TaskStatus, default: TaskStatus.OPEN })
  status: Opt<TaskStatus> = TaskStatus.OPEN;

  @Field(() => ID, { nullable: true, description: 'The linked counterparty' })
  @Property({ type: 'uuid', nullable: true })
  counterpartyId: string | null = null;

  @Field(() => ID, { nullable: true, description: 'The linked document (of the documents subgraph)' })
  @Property({ type: 'uuid', nullable: true })
  documentId: string | null = null;

  @Field(() => ID, { nullable: true, description: 'The linked deal' })
  @Property({ type: 'uuid', nullable: true })
  dealId: string | null = null;

  @Field(() => ID, { nullable: true, description: 'The linked project' })
  @Property({ type: 'uuid', nullable: true })
  projectId: string | null = null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  completedAt: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  completedById: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  dueSoonNotifiedFor: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  overdueNotifiedFor: Date | null = null;

  @Field(() => Int, { description: 'Optimistic lock: increases with every change' })
  @Property({ version: true, type: 'integer' })
  version!: Opt<number>;

  @Field(() => Boolean, { description: 'Still open and past its due time' })
  get overdue(): Opt<boolean> {
    return OPEN_TASK_STATUSES.includes(this.status) && this.dueAt !== null && this.dueAt.getTime() < Date.now();
  }
}
