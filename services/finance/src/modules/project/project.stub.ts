import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * Key-only stub of the deals subgraph's entity. This subgraph adds `finance` to it (project-finance.resolver.ts):
 * the budget stays with the project in deals, what was contracted, invoiced and paid is computed here from
 * finance's own facts; every other field comes from the owner.
 */
@Directive('@key(fields: "id")')
@ObjectType()
export class Project {
  @Field(() => ID)
  id!: string;
}
