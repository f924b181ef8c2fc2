import { Entity, Index, Property, Unique } from '@mikro-orm/core';
import { BaseEntity, ROLES, type RoleCode } from '@kartoteka/kit';
import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';

export const Role = Object.fromEntries(ROLES.map((role) => [role, role])) as { [K in RoleCode]: K };
registerEnumType(Role, { name: 'Role', description: 'Staff role: a named set of permissions' });

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A member of staff' })
@Entity({ tableName: 'users' })
export class User extends BaseEntity {
  @Field()
  @Unique()
  @Property({ type: 'string', length: 254 })
  email!: string;

  /** Shareable: the subgraphs that keep a read model of users (kit's UserRef, documents' staff) resolve it too, so display names need no fetch here. */
  @Directive('@shareable')
  @Field()
  @Index()
  @Property({ type: 'string', length: 200 })
  name!: string;

  /** argon2id hash; null means the account cannot log in with a password. */
  @Property({ type: 'string', nullable: true, hidden: true, lazy: true })
  passwordHash: string | null = null;

  @Field(() => [Role])
  @Property({ type: 'text[]' })
  roles: RoleCode[] = [];

  @Field()
  @Property({ type: 'boolean', default: true })
  active: boolean = true;
}
