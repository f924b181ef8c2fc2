import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A service's local copy of a staff member (owned by identity), kept by `identity.user.upserted`: enough to
 * check user references (known, active) without calling identity at write time.
 */
@Entity({ tableName: 'user_refs' })
export class UserRef {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'string', length: 254 })
  email!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'text[]' })
  roles: string[] = [];

  @Property({ type: 'boolean' })
  active: boolean = true;

  /** Version of this state: when identity made the change. */
  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
