import { ConnectionType, NotFoundError, type SubgraphContext } from '@kartoteka/kit';
import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { User } from './user.entity';
import { CreateUserInput, UsersArgs } from './user.input';
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
}
