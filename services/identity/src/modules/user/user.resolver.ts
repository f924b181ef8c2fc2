import { ConnectionType, NotFoundError, UnauthenticatedError, type SubgraphContext } from '@kartoteka/kit';
import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
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

  @Mutation(() => User, { description: 'The logged-in staff member changes their own password' })
  changePassword(@Arg('input') input: ChangePasswordInput, @Ctx() context: SubgraphContext): Promise<User> {
    if (context.identity.kind !== 'user') throw new UnauthenticatedError('Only a logged-in staff member can change a password');
    return new UserService(context).changeOwnPassword(context.identity.id, input.currentPassword, input.newPassword, context.identity.sessionId);
  }
}
