import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * Key-only stub of the documents subgraph's Document: this subgraph stores document ids (a project's documents)
 * and hands them to the gateway, which resolves every field from the documents service in one batch.
 */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Document {
  @Field(() => ID)
  id!: string;
}

export function documentStub(id: string): Document {
  return Object.assign(new Document(), { id });
}
