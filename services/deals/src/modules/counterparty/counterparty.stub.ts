import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * Key-only stub of the counterparties subgraph's entity. This subgraph adds `deals` to it (see
 * counterparty.resolver.ts); every other field comes from the owner.
 */
@Directive('@key(fields: "id")')
@ObjectType()
export class Counterparty {
  @Field(() => ID)
  id!: string;
}

export function counterpartyStub(id: string): Counterparty {
  return Object.assign(new Counterparty(), { id });
}
