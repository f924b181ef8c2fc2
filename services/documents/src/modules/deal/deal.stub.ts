import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Key-only stub of the deals subgraph's entity: this subgraph adds the documents of a deal. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Deal {
  @Field(() => ID)
  id!: string;
}
