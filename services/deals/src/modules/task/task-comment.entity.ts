import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, GraphQLISODateTime, ID, ObjectType } from 'type-graphql';
import { Task } from './task.entity';

/** Longest comment, in characters: plain text, a few paragraphs. */
export const TASK_COMMENT_MAX = 4000;
/** Most comments a task keeps: a conversation, not a chat log. */
export const TASK_COMMENTS_MAX = 500;

/** A comment on a task (append-only), oldest first: `created_at, id`. */
@ObjectType({ description: 'A comment on a task (plain text)' })
@Entity({ tableName: 'task_comments' })
@Index({ name: 'task_comments_task_order_index', properties: ['taskId', 'createdAt', 'id'] })
export class TaskComment {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @ManyToOne(() => Task, { mapToPk: true, fieldName: 'task_id', deleteRule: 'cascade' })
  taskId!: string;

  /** A staff member or an API key. */
  @Property({ type: 'uuid', nullable: true })
  authorId: string | null = null;

  @Field(() => String, { description: 'user, apiKey or system' })
  @Property({ type: 'string', length: 10 })
  authorKind!: string;

  @Field()
  @Property({ type: 'text' })
  text!: string;

  @Field(() => GraphQLISODateTime)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();
}
