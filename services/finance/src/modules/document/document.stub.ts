import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * Key-only stub of the documents subgraph's entity. This subgraph adds `execution` to it (see
 * execution.resolver.ts) and refers to documents from payments, invoices and acts; every other field comes from the owner.
 */
@Directive('@key(fields: "id")')
@ObjectType()
export class Document {
  @Field(() => ID)
  id!: string;
}

export function documentStub(id: string): Document;
export function documentStub(id: string | null): Document | null;
export function documentStub(id: string | null): Document | null {
  return id ? Object.assign(new Document(), { id }) : null;
}
