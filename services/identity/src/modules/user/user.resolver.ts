import { ConnectionType, ForbiddenError, NotFoundError, permissionsOfRoles, UnauthenticatedError, type SubgraphContext } from '@kartoteka/kit';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { User } from './user.entity';
import { ChangePasswordInput, CreateUserInput, SetUserPasswordInput, UpdateUserInput, UsersArgs } from './user.input';
import { UserService } from './user.service';

export const UserConnection = ConnectionType(User, 'User');

@Resolver(() => User)
export class UserResolver {
  @Authorized('users:read')
  @Query(() => UserConnection, { description: 'Staff, ordered by name' })
  users(@Args() args: UsersArgs, @Ctx() context: SubgraphContext) {
    return new UserService(context).list(args);
  }

  @Authorized('users:read')
  @Query(() => User)
  async user(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<User> {
    const user = await new UserService(context).findById(id);
    if (!user) throw new NotFoundError('User', id);
    return user;
  }

  @Authorized('users:manage')
  @Mutation(() => User, { description: 'Creates a staff account (admins only)' })
  createUser(@Arg('input') input: CreateUserInput, @Ctx() context: SubgraphContext): Promise<User> {
    return new UserService(context).create(input);
  }

  @Authorized('users:manage')
  @Mutation(() => User, { description: 'Changes name, roles or active (admins only); the last active admin stays an admin' })
  updateUser(@Arg('input') input: UpdateUserInput, @Ctx() context: SubgraphContext): Promise<User> {
    return new UserService(context).update(input);
  }

  @Authorized('users:manage')
  @Mutation(() => User, { description: 'Sets a new password for a user (admins only)' })
  setUserPassword(@Arg('input') input: SetUserPasswordInput, @Ctx() context: SubgraphContext): Promise<User> {
    return new UserService(context).setPassword(input.id, input.password);
  }

  /**
   * The user's permissions from their roles (kit's role→permission map, the one every subgraph authorizes with):
   * the portal shows only the actions the API allows. Visible to the user themself (`me`, and the user of the
   * `login` / `refreshSession` result, which is the caller) and to callers with `users:read`.
   */
  @FieldResolver(() => [String], { description: 'Permission codes from the roles, e.g. counterparties:write (the user themself, or users:read)' })
  permissions(@Root() user: User, @Ctx() context: SubgraphContext, @Info() info: GraphQLResolveInfo): string[] {
    const identity = context.identity;
    const self = (identity.kind === 'user' && identity.id === user.id) || info.path.prev?.typename === 'LoginResult';
    if (!self && !(identity.kind !== 'anonymous' && identity.permissions.includes('users:read'))) {
      throw new ForbiddenError('Only the user themself or a caller with users:read may see their permissions');
    }
    return permissionsOfRoles(user.roles);
  }

  @Mutation(() => User, { description: 'The logged-in staff member changes their own password' })
  changePassword(@Arg('input') input: ChangePasswordInput, @Ctx() context: SubgraphContext): Promise<User> {
    if (context.identity.kind !== 'user') throw new UnauthenticatedError('Only a logged-in staff member can change a password');
    return new UserService(context).changeOwnPassword(context.identity.id, input.currentPassword, input.newPassword, context.identity.sessionId);
  }
}
