import { UserDirectory, userNameFromReadModel, type KnownUsersLoader, type SubgraphContext } from '@kartoteka/kit';
import { Authorized, Ctx, Directive, Field, ID, ObjectType } from 'type-graphql';

/** This subgraph's read model of identity's users (UserRef), one query for many ids: `User.name` and the subgraph definition's `knownUsers`. */
export const knownUsers: KnownUsersLoader = (ids, { em }) => new UserDirectory(em).findByIds(ids);

/**
 * Stub of the identity subgraph's User: this subgraph stores user ids and resolves only `name`, from its own read
 * model of identity's users (kit's UserRef, fed by `identity.user.upserted`), so a display name costs the gateway no fetch to identity. `name` is
 * `@shareable` here and in identity; every other field (email, roles…) is resolved by identity.
 */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class User {
  @Field(() => ID)
  id!: string;

  /** Batched per request (one query for all users of a response); see kit's userNameFromReadModel for a user not known here. */
  @Authorized('users:read')
  @Directive('@shareable')
  @Field(() => String)
  name(@Ctx() context: SubgraphContext): Promise<string> {
    return userNameFromReadModel(this.id, context, knownUsers);
  }
}

export function userStub(id: string | null): User | null {
  return id ? Object.assign(new User(), { id }) : null;
}
