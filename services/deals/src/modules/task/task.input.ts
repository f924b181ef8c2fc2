import { ConnectionArgs, IsIsoDateTime, OptionalIsoDateTimeField } from '@kartoteka/kit';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { TASK_COMMENT_MAX } from './task-comment.entity';
import { TaskPriority, TaskStatus } from './task.entity';

export const TASK_DESCRIPTION_MAX = 10_000;

@InputType()
export class CreateTaskInput {
  @Field()
  @IsString()
  @MaxLength(500, { message: 'The title must be at most 500 characters long' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Plain text' })
  @IsOptional()
  @IsString()
  @MaxLength(TASK_DESCRIPTION_MAX, { message: `The description must be at most ${TASK_DESCRIPTION_MAX} characters long` })
  description?: string | null;

  @Field(() => ID, { nullable: true, description: 'The staff member to do it; the creator (a staff member) when omitted' })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid user id' })
  assigneeId?: string | null;

  @OptionalIsoDateTimeField('When the task is due, ISO 8601 with its offset, e.g. 2026-03-31T18:00:00+03:00')
  dueAt?: string | null;

  @Field(() => TaskPriority, { nullable: true, description: 'NORMAL when omitted' })
  @IsOptional()
  @IsEnum(TaskPriority)
  priority?: TaskPriority | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid counterparty id' })
  counterpartyId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A document this service knows of (a document of a deal)' })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid document id' })
  documentId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid deal id' })
  dealId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid project id' })
  projectId?: string | null;
}

@InputType({ description: 'Changes to a task: a field left out stays, null clears it. DONE is set by completeTask' })
export class UpdateTaskInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not a valid task id' })
  id!: string;

  @Field(() => Int, { description: 'The version you edited; a stale one fails with CONFLICT' })
  @IsInt()
  @Min(1)
  version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500, { message: 'The title must be at most 500 characters long' })
  title?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(TASK_DESCRIPTION_MAX, { message: `The description must be at most ${TASK_DESCRIPTION_MAX} characters long` })
  description?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid user id' })
  assigneeId?: string | null;

  @OptionalIsoDateTimeField('When the task is due, ISO 8601 with its offset; null clears it')
  dueAt?: string | null;

  @Field(() => TaskPriority, { nullable: true })
  @IsOptional()
  @IsEnum(TaskPriority)
  priority?: TaskPriority | null;

  @Field(() => TaskStatus, { nullable: true, description: 'OPEN, IN_PROGRESS or CANCELLED (DONE: completeTask)' })
  @IsOptional()
  @IsEnum(TaskStatus)
  status?: TaskStatus | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid counterparty id' })
  counterpartyId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid document id' })
  documentId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid deal id' })
  dealId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid project id' })
  projectId?: string | null;
}

@InputType({ description: 'Closes (completeTask) or reopens (reopenTask) a task' })
export class TaskTransitionInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not a valid task id' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'The version you saw; when given, a stale one fails with CONFLICT' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number | null;

  @Field(() => String, { nullable: true, description: 'A comment added with the change (plain text)' })
  @IsOptional()
  @IsString()
  @MaxLength(TASK_COMMENT_MAX, { message: `A comment must be at most ${TASK_COMMENT_MAX} characters long` })
  comment?: string | null;
}

@InputType()
export class AddTaskCommentInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not a valid task id' })
  taskId!: string;

  @Field({ description: `Plain text, at most ${TASK_COMMENT_MAX} characters` })
  @IsString()
  @Matches(/\S/, { message: 'Write a comment' })
  @MaxLength(TASK_COMMENT_MAX, { message: `A comment must be at most ${TASK_COMMENT_MAX} characters long` })
  text!: string;
}

@ArgsType()
export class TasksArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid user id' })
  assigneeId?: string | null;

  @Field(() => TaskStatus, { nullable: true, description: 'Only tasks in this status; every status when omitted' })
  @IsOptional()
  @IsEnum(TaskStatus)
  status?: TaskStatus | null;

  @Field(() => String, { nullable: true, description: 'Due before this instant (ISO 8601 with offset)' })
  @IsOptional()
  @IsIsoDateTime()
  dueBefore?: string | null;

  @Field(() => String, { nullable: true, description: 'Due at or after this instant (ISO 8601 with offset)' })
  @IsOptional()
  @IsIsoDateTime()
  dueAfter?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid counterparty id' })
  counterpartyId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid document id' })
  documentId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid deal id' })
  dealId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid project id' })
  projectId?: string | null;
}

@ArgsType()
export class MyTasksArgs extends ConnectionArgs {
  @Field(() => TaskStatus, { nullable: true, description: 'Only tasks in this status; the open ones (OPEN, IN_PROGRESS) when omitted' })
  @IsOptional()
  @IsEnum(TaskStatus)
  status?: TaskStatus | null;

  @Field(() => String, { nullable: true, description: 'Due before this instant (ISO 8601 with offset)' })
  @IsOptional()
  @IsIsoDateTime()
  dueBefore?: string | null;

  @Field(() => String, { nullable: true, description: 'Due at or after this instant (ISO 8601 with offset)' })
  @IsOptional()
  @IsIsoDateTime()
  dueAfter?: string | null;
}
