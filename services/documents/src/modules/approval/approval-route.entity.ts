import { ArrayType, Entity, Enum, Index, Property, Unique, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '@kartoteka/kit';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { CompletionRule, RouteStatus, StageMode, StageStatus, StepStatus } from './approval.enums';

/** One submission of a document for approval (a round). A resubmission after rework is a new round. */
@ObjectType({ description: 'One round of approval of a document' })
@Entity({ tableName: 'approval_routes' })
@Unique({ name: 'approval_routes_round_unique', properties: ['documentId', 'round'] })
export class ApprovalRoute extends BaseEntity {
  @Field(() => ID)
  @Index()
  @Property({ type: 'uuid' })
  documentId!: string;

  @Field(() => Int, { description: '1 for the first submission, +1 for every resubmission' })
  @Property({ type: 'integer' })
  round!: number;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  templateId: string | null = null;

  @Field()
  @Property({ type: 'string', length: 200 })
  templateName!: string;

  @Field(() => RouteStatus)
  @Enum({ items: () => RouteStatus })
  status!: RouteStatus;

  @Property({ type: 'uuid', nullable: true })
  startedById: string | null = null;

  /** The version submitted in this round; every decision of the round is made on it. */
  @Property({ type: 'uuid' })
  versionId!: string;

  @Field(() => Int, { description: 'Number of the version submitted in this round' })
  @Property({ type: 'integer' })
  versionNumber!: number;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'Comment of a recall or stop' })
  @Property({ type: 'text', nullable: true })
  finishComment: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  finishedById: string | null = null;
}

@ObjectType({ description: 'A stage of an approval round' })
@Entity({ tableName: 'approval_stages' })
@Index({ name: 'approval_stages_route_index', properties: ['routeId', 'position'] })
export class ApprovalStage extends BaseEntity {
  @Property({ type: 'uuid' })
  routeId!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  position!: number;

  @Field()
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => StageMode)
  @Enum({ items: () => StageMode })
  mode!: StageMode;

  @Field(() => CompletionRule)
  @Enum({ items: () => CompletionRule })
  rule!: CompletionRule;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  quorum: number | null = null;

  @Field({ description: 'The final sign-off stage' })
  @Property({ type: 'boolean' })
  signOff!: boolean;

  @Field(() => StageStatus)
  @Enum({ items: () => StageStatus })
  status!: StageStatus;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  completedAt: Date | null = null;
}

@ObjectType({ description: 'One approver\'s task in a stage' })
@Entity({ tableName: 'approval_steps' })
@Index({ name: 'approval_steps_stage_index', properties: ['stageId', 'position'] })
@Index({ name: 'approval_steps_route_index', properties: ['routeId', 'position'] })
@Index({ name: 'approval_steps_document_index', properties: ['documentId'] })
@Index({ name: 'approval_steps_pending_due_index', properties: ['status', 'dueAt'] })
@Index({ name: 'approval_steps_assignees_index', expression: 'create index "approval_steps_assignees_index" on "approval_steps" using gin ("assignee_ids")' })
export class ApprovalStep extends BaseEntity {
  @Property({ type: 'uuid' })
  routeId!: string;

  @Property({ type: 'uuid' })
  stageId!: string;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  documentId!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  position!: number;

  @Field(() => String, { nullable: true, description: 'The role this step is addressed to, if any; null once it was delegated to a person (see delegatedFromRole)' })
  @Property({ type: 'string', length: 50, nullable: true })
  role: string | null = null;

  /** Who may decide: one user, or the members of `role` at start (any one of them decides). */
  @Property({ type: ArrayType, columnType: 'uuid[]' })
  assigneeIds!: string[];

  @Property({ type: 'uuid', nullable: true })
  delegatedById: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  delegatedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'The role the step was addressed to before it was delegated (kept across further delegations)' })
  @Property({ type: 'string', length: 50, nullable: true })
  delegatedFromRole: string | null = null;

  /** Who held the step just before its last delegation (exposed as `delegatedFrom`). */
  @Property({ type: ArrayType, columnType: 'uuid[]', default: '{}' })
  delegatedFromIds: Opt<string[]> = [];

  @Field(() => Int)
  @Property({ type: 'integer' })
  deadlineHours!: number;

  @Field(() => Date, { nullable: true, description: 'Deadline, set when the step becomes pending' })
  @Property({ type: 'timestamptz', nullable: true })
  dueAt: Date | null = null;

  @Field(() => StepStatus)
  @Enum({ items: () => StepStatus })
  status!: StepStatus;

  @Property({ type: 'uuid', nullable: true })
  decidedById: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  comment: string | null = null;

  /** The version the decision was made on (for a carried-over approval: the earlier version). */
  @Property({ type: 'uuid', nullable: true })
  decisionVersionId: string | null = null;

  @Field(() => Int, { nullable: true, description: 'Number of the version the decision was made on' })
  @Property({ type: 'integer', nullable: true })
  decisionVersionNumber: number | null = null;

  @Field(() => Boolean, { description: 'An approval from an earlier round, kept on a resubmission to those who had not approved' })
  @Property({ type: 'boolean', default: false })
  carriedOver: Opt<boolean> = false;

  @Property({ type: 'timestamptz', nullable: true })
  overdueNotifiedAt: Date | null = null;

  @Field(() => Boolean, { description: 'Pending past its deadline' })
  get overdue(): Opt<boolean> {
    return this.status === StepStatus.PENDING && this.dueAt !== null && this.dueAt.getTime() < Date.now();
  }
}
