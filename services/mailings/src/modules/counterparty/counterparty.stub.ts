import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * Key-only stub of the counterparties subgraph's entity. This subgraph adds `mailingRecipients` to it
 * (counterparty-mailings.resolver.ts); every other field comes from the owner.
 */
@Directive('@key(fields: "id")')
@ObjectType()
export class Counterparty {
  @Field(() => ID)
  id!: string;
}

export function counterpartyStub(id: string): Counterparty;
export function counterpartyStub(id: string | null): Counterparty | null;
export function counterpartyStub(id: string | null): Counterparty | null {
  return id ? Object.assign(new Counterparty(), { id }) : null;
}
