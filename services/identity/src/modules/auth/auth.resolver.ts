import { type SubgraphContext } from '@kartoteka/kit';
import { Arg, Ctx, Field, GraphQLISODateTime, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { User } from '../user/user.entity';
import { UserService } from '../user/user.service';
import { SessionService } from '../session/session.service';
import { AuthService, type AuthSettings } from './auth.service';

@ObjectType()
export class LoginResult {
  @Field({ description: 'The access token: send as `Authorization: Bearer <token>`; short-lived (at most 15 minutes)' })
  token!: string;

  @Field(() => GraphQLISODateTime, { description: 'When the access token expires: refresh before' })
  expiresAt!: Date;

  @Field({ description: 'Exchange it with `refreshSession` for a new pair; usable once (a second use ends the session); `logout` ends the session' })
  refreshToken!: string;

  @Field(() => GraphQLISODateTime, { description: 'When the refresh token lapses unless used' })
  refreshExpiresAt!: Date;

  @Field(() => User)
  user!: User;
}

export function createAuthResolver(settings: AuthSettings) {
  @Resolver()
  class AuthResolver {
    @Mutation(() => LoginResult, { description: 'Staff login with e-mail and password; RATE_LIMITED (extensions.retryAfter seconds) after repeated failures from one address' })
    login(@Arg('email') email: string, @Arg('password') password: string, @Ctx() context: SubgraphContext): Promise<LoginResult> {
      return new AuthService(context, settings).login(email, password);
    }

    @Mutation(() => LoginResult, { description: 'A new access token and refresh token for a refresh token, which is spent; UNAUTHENTICATED once the session has ended' })
    refreshSession(@Arg('refreshToken') refreshToken: string, @Ctx() context: SubgraphContext): Promise<LoginResult> {
      return new SessionService(context, settings).refresh(refreshToken);
    }

    @Mutation(() => Boolean, { description: 'Ends the session of the refresh token; false when it had already ended' })
    logout(@Arg('refreshToken') refreshToken: string, @Ctx() context: SubgraphContext): Promise<boolean> {
      return new SessionService(context, settings).logout(refreshToken);
    }

    @Query(() => User, { nullable: true, description: 'The logged-in staff member; null for anonymous and API-key callers' })
    async me(@Ctx() context: SubgraphContext): Promise<User | null> {
      if (context.identity.kind !== 'user') return null;
      return new UserService(context).findById(context.identity.id);
    }
  }
  return AuthResolver;
}
