import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Key-only stub of the identity subgraph's User: the gateway resolves every other field there. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class User {
  @Field(() => ID)
  id!: string;
}

export function userStub(id: string | null): User | null {
  return id ? Object.assign(new User(), { id }) : null;
}
