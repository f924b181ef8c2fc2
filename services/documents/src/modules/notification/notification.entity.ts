import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Money, money } from '@kartoteka/kit';
import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export const NOTIFICATION_KINDS = [
  'APPROVAL_TASK',
  'REWORK_NEEDED',
  'ACKNOWLEDGEMENT_REQUESTED',
  'DEADLINE_PASSED',
  'DOCUMENT_SIGNED',
  'DECISION_MADE',
  'PAYMENT_OVERDUE',
  'TASK_DUE_SOON',
  'TASK_OVERDUE',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The GraphQL enum of kinds: names and values are the kind codes. */
export const NotificationKindEnum = Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, kind])) as { [K in NotificationKind]: K };

registerEnumType(NotificationKindEnum, {
  name: 'NotificationKind',
  description: 'What a notification is about; e-mail can be muted per kind',
  valuesConfig: {
    APPROVAL_TASK: { description: 'A document waits for your approval' },
    REWORK_NEEDED: { description: 'Your document was rejected and needs rework' },
    ACKNOWLEDGEMENT_REQUESTED: { description: 'You are asked to read a document and confirm it' },
    DEADLINE_PASSED: { description: 'A deadline of an approval or acknowledgement has passed' },
    DOCUMENT_SIGNED: { description: 'A document passed its final sign-off' },
    DECISION_MADE: { description: 'Someone decided on a document you follow' },
    PAYMENT_OVERDUE: { description: 'A payment under a contract or invoice you are responsible for is overdue (from finance)' },
    TASK_DUE_SOON: { description: 'A task assigned to you is due soon (from deals)' },
    TASK_OVERDUE: { description: 'A task assigned to you is overdue (from deals)' },
  },
});

export function isNotificationKind(value: string): value is NotificationKind {
  return (NOTIFICATION_KINDS as readonly string[]).includes(value);
}

/** What the notification says, copied at the time it was written (the document may change later). */
export type NotificationParams = {
  documentTitle: string;
  documentNumber: string | null;
  actorName: string | null;
  comment: string | null;
  /** ISO 8601 */
  dueAt: string | null;
  /** PAYMENT_OVERDUE: the overdue obligation as finance reported it. */
  payment?: PaymentOverdueParams | null;
  /** TASK_DUE_SOON, TASK_OVERDUE: the task as deals reported it. */
  task?: TaskReminderParams | null;
};

/** The task of a TASK_DUE_SOON / TASK_OVERDUE notification (deals.task.due-soon / deals.task.overdue). */
export type TaskReminderParams = {
  taskId: string;
  title: string;
  /** ISO 8601: the due time the reminder is for (one notification per task, kind and due time). */
  dueAt: string;
  priority: string;
  counterpartyId: string | null;
  dealId: string | null;
  projectId: string | null;
};

/** The overdue obligation of a PAYMENT_OVERDUE notification (finance.obligation.overdue). */
export type PaymentOverdueParams = {
  /** Finance's stable id of the obligation ("schedule:<uuid>", "invoice:<uuid>"): one notification per obligation and due date. */
  obligationKey: string;
  counterpartyId: string;
  counterpartyName: string;
  /** RECEIVABLE: the counterparty owes us; PAYABLE: we owe the counterparty. */
  direction: 'RECEIVABLE' | 'PAYABLE';
  amountMinor: number;
  currency: string;
  /** YYYY-MM-DD */
  dueDate: string;
  daysOverdue: number;
};

/**
 * One in-app notification of one staff member. The inbox is read newest first (`created_at desc, id desc`)
 * per user; unread ones have their own partial index for the badge count.
 */
@ObjectType({ description: 'An in-app notification of the current staff member' })
@Entity({ tableName: 'notifications' })
@Index({ name: 'notifications_inbox_index', properties: ['userId', 'createdAt', 'id'] })
@Index({ name: 'notifications_task_index', expression: 'create index "notifications_task_index" on "notifications" ("task_id") where "task_id" is not null' })
@Index({
  name: 'notifications_unread_index',
  expression: 'create index "notifications_unread_index" on "notifications" ("user_id", "created_at") where "read_at" is null',
})
export class Notification {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  /** The recipient (a staff member of the identity subgraph): a plain uuid. */
  @Property({ type: 'uuid' })
  userId!: string;

  @Field(() => NotificationKindEnum)
  @Enum({ items: () => [...NOTIFICATION_KINDS] })
  kind!: NotificationKind;

  /** The document it is about; null for a task's reminder without a document. */
  @Field(() => ID, { nullable: true, description: 'The document it is about; null for a reminder of a task not linked to a document' })
  @Property({ type: 'uuid', nullable: true })
  documentId: string | null = null;

  /** TASK_DUE_SOON, TASK_OVERDUE: the task of the deals subgraph it reminds of. */
  @Field(() => ID, { nullable: true, description: 'The task (deals subgraph) a TASK_DUE_SOON / TASK_OVERDUE notification reminds of' })
  @Property({ type: 'uuid', nullable: true })
  taskId: string | null = null;

  @Property({ type: 'jsonb' })
  params!: NotificationParams;

  @Field(() => GraphQLISODateTime)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the recipient marked it read; null while unread' })
  @Property({ type: 'timestamptz', nullable: true })
  readAt: Date | null = null;

  /**
   * When the work behind it was done (a reminded task completed or cancelled): a handled notification is read too,
   * so the bell stops counting it.
   */
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the work it is about was done (e.g. its task completed); it then counts as read' })
  @Property({ type: 'timestamptz', nullable: true })
  handledAt: Date | null = null;

  @Field(() => String, { description: 'Title of the document (of the task, for a task reminder) when the notification was written' })
  get documentTitle(): Opt<string> {
    return this.params.documentTitle;
  }

  @Field(() => String, { nullable: true, description: 'Registration number of the document, if it had one' })
  get documentNumber(): string | null {
    return this.params.documentNumber ?? null;
  }

  @Field(() => String, { nullable: true, description: 'Who caused the notification (e.g. the approver who rejected)' })
  get actorName(): string | null {
    return this.params.actorName ?? null;
  }

  @Field(() => String, { nullable: true })
  get comment(): string | null {
    return this.params.comment ?? null;
  }

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Deadline of the task (approval step or general task), if any' })
  get dueAt(): Date | null {
    return this.params.dueAt ? new Date(this.params.dueAt) : null;
  }

  @Field(() => String, { nullable: true, description: 'PAYMENT_OVERDUE: the counterparty of the overdue obligation' })
  get counterpartyName(): string | null {
    return this.params.payment?.counterpartyName ?? null;
  }

  @Field(() => Money, { nullable: true, description: 'PAYMENT_OVERDUE: the overdue amount' })
  get overdueAmount(): Money | null {
    const payment = this.params.payment;
    return payment ? money(payment.amountMinor, payment.currency) : null;
  }

  @Field(() => Int, { nullable: true, description: 'PAYMENT_OVERDUE: days past the due date when it was reported' })
  get daysOverdue(): number | null {
    return this.params.payment?.daysOverdue ?? null;
  }

  @Field(() => String, { nullable: true, description: 'PAYMENT_OVERDUE: the payment due date, YYYY-MM-DD' })
  get paymentDueDate(): string | null {
    return this.params.payment?.dueDate ?? null;
  }

  @Field(() => String, { nullable: true, description: 'PAYMENT_OVERDUE: RECEIVABLE (the counterparty owes us) or PAYABLE (we owe the counterparty)' })
  get paymentDirection(): string | null {
    return this.params.payment?.direction ?? null;
  }
}
