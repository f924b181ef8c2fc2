import { type SubgraphContext } from '@kartoteka/kit';
import { Arg, Ctx, Field, GraphQLISODateTime, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { User } from '../user/user.entity';
import { UserService } from '../user/user.service';
import { AuthService, type TokenSettings } from './auth.service';

@ObjectType()
export class LoginResult {
  @Field({ description: 'Send as `Authorization: Bearer <token>`' })
  token!: string;

  @Field(() => GraphQLISODateTime)
  expiresAt!: Date;

  @Field(() => User)
  user!: User;
}

export function createAuthResolver(settings: TokenSettings) {
  @Resolver()
  class AuthResolver {
    @Mutation(() => LoginResult, { description: 'Staff login with e-mail and password' })
    login(@Arg('email') email: string, @Arg('password') password: string, @Ctx() context: SubgraphContext): Promise<LoginResult> {
      return new AuthService(context, settings).login(email, password);
    }

    @Query(() => User, { nullable: true, description: 'The logged-in staff member; null for anonymous and API-key callers' })
    async me(@Ctx() context: SubgraphContext): Promise<User | null> {
      if (context.identity.kind !== 'user') return null;
      return new UserService(context).findById(context.identity.id);
    }
  }
  return AuthResolver;
}
