import { ROLE_PERMISSIONS, ROLES, type RoleCode, type SubgraphContext } from '@kartoteka/kit';
import { Authorized, Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { Role } from './user.entity';

@ObjectType({ description: 'What a role may do: the permissions authorization checks (e.g. documents:write)' })
export class RolePermissions {
  @Field(() => Role)
  role!: RoleCode;

  @Field(() => [String], { description: 'Permission codes, e.g. counterparties:write; the same ones every subgraph checks' })
  permissions!: string[];
}

/**
 * The role→permission map of kit (`ROLE_PERMISSIONS`), the one every subgraph authorizes with. The portal derives
 * its "may I edit" checks from it instead of keeping a copy that drifts from the API.
 */
@Resolver(() => RolePermissions)
export class RolePermissionsResolver {
  @Authorized()
  @Query(() => [RolePermissions], { description: 'Every staff role with its permissions, in role order (any logged-in caller)' })
  rolePermissions(@Ctx() _context: SubgraphContext): RolePermissions[] {
    return ROLES.map((role) => ({ role, permissions: [...ROLE_PERMISSIONS[role]] }));
  }
}
