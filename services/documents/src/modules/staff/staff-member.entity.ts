import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';

/**
 * A member of staff in the documents service's own directory, kept up to date by identity's
 * `identity.user.upserted` events (never read from identity's database). Feeds role resolution when a route
 * starts, e-mail addresses of notifications and the portal's user pickers.
 */
@ObjectType('StaffMember', { description: 'A member of staff as the documents service knows them (for pickers of approvers and readers)' })
@Entity({ tableName: 'staff_members' })
export class StaffMemberEntity {
  /** The identity user id. */
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Field()
  @Property({ type: 'string', length: 254 })
  email!: string;

  @Field()
  @Index()
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => [String], { description: 'Role codes, e.g. LAWYER' })
  @Property({ type: 'text[]' })
  roles: string[] = [];

  @Field()
  @Property({ type: 'boolean' })
  active: boolean = true;

  /** Version of this state: when identity made the change. An older event arriving late never overwrites it. */
  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
