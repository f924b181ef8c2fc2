import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, GraphQLISODateTime, ID, Int, ObjectType } from 'type-graphql';
import { User, userStub } from '../user/user.stub';

export enum StatementImportStatus {
  PREVIEW = 'PREVIEW',
  RUNNING = 'RUNNING',
  DONE = 'DONE',
  FAILED = 'FAILED',
  DISCARDED = 'DISCARDED',
}

/**
 * One uploaded bank statement (`1CClientBankExchange`): parsed whole at upload (a malformed file is refused and
 * never stored), kept in PREVIEW with its payments and proposed matches staged, imported in chunks once confirmed
 * (RUNNING → DONE/FAILED; progress = processed / total), or DISCARDED.
 */
@ObjectType({ description: 'An uploaded bank statement: its preview, the progress of its import and the result report' })
@Entity({ tableName: 'statement_imports' })
@Index({ name: 'statement_imports_order_index', properties: ['createdAt', 'id'] })
export class StatementImport {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Field()
  @Property({ type: 'string', length: 255 })
  fileName!: string;

  @Field(() => String, { description: 'PREVIEW, RUNNING, DONE, FAILED or DISCARDED' })
  @Index()
  @Enum({ items: () => StatementImportStatus })
  status!: StatementImportStatus;

  @Field({ description: 'windows-1251 or utf-8' })
  @Property({ type: 'string', length: 20 })
  encoding!: string;

  @Field(() => [String], { description: 'Our settlement accounts the statement covers' })
  @Property({ type: 'jsonb', default: '[]' })
  accounts: Opt<string[]> = [];

  @Field(() => String, { nullable: true })
  @Property({ type: 'date', nullable: true })
  dateFrom: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'date', nullable: true })
  dateTo: string | null = null;

  @Field(() => Int, { description: 'Payments in the file' })
  @Property({ type: 'integer', default: 0 })
  total: Opt<number> = 0;

  @Field(() => Int, { description: 'Payments processed so far' })
  @Property({ type: 'integer', default: 0 })
  processed: Opt<number> = 0;

  @Field(() => Int, { description: 'New payments stored' })
  @Property({ type: 'integer', default: 0 })
  created: Opt<number> = 0;

  @Field(() => Int, { description: 'Payments already known (same fingerprint): not stored again' })
  @Property({ type: 'integer', default: 0 })
  duplicates: Opt<number> = 0;

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  matched: Opt<number> = 0;

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  ambiguous: Opt<number> = 0;

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  unmatched: Opt<number> = 0;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  /** PREVIEW/RUNNING: the parsed payments and their proposed matches (cleared once done or discarded). */
  @Property({ type: 'jsonb', nullable: true, lazy: true })
  staged: unknown = null;

  /** DONE/FAILED: the result report (counters and the refused/duplicate lines). */
  @Property({ type: 'jsonb', nullable: true })
  report: unknown = null;

  @Property({ type: 'uuid', nullable: true })
  createdById: string | null = null;

  @Field(() => GraphQLISODateTime)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;

  @Field(() => User, { nullable: true })
  get createdBy(): User | null {
    return userStub(this.createdById);
  }
}
