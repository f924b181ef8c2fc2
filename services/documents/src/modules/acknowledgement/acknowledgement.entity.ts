import { Entity, Index, Property, Unique, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '@kartoteka/kit';
import { Field, ID, Int, ObjectType } from 'type-graphql';

/** A request to one staff member to confirm they have read one version of a document; confirmed once. */
@ObjectType({ description: 'Acknowledgement of a document version by one staff member' })
@Entity({ tableName: 'acknowledgements' })
@Unique({ name: 'acknowledgements_version_user_unique', properties: ['versionId', 'userId'] })
@Index({ name: 'acknowledgements_user_pending_index', properties: ['userId', 'acknowledgedAt'] })
export class Acknowledgement extends BaseEntity {
  @Field(() => ID)
  @Index()
  @Property({ type: 'uuid' })
  documentId!: string;

  @Property({ type: 'uuid' })
  versionId!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  versionNumber!: number;

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'uuid', nullable: true })
  requestedById: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  deadline: Date | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  comment: string | null = null;

  @Field(() => Date, { nullable: true, description: 'When the staff member confirmed; null while not yet read' })
  @Property({ type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  overdueNotifiedAt: Date | null = null;

  @Field(() => Boolean)
  get overdue(): Opt<boolean> {
    return this.acknowledgedAt === null && this.deadline !== null && this.deadline.getTime() < Date.now();
  }
}
