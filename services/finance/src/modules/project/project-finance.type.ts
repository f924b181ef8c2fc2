import { SafeIntResolver } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The actuals of a project, from the signed contracts, invoices, acts and matched payments of its linked documents (finance\'s own facts); compare with the project\'s budget' })
export class ProjectFinance {
  @Field({ description: 'The currency of the figures (RUB; documents in other currencies are not summed here)' }) currency!: string;
  @Field(() => SafeIntResolver, { description: 'The amounts of the linked signed contracts, minor units' }) contractedMinor!: number;
  @Field(() => SafeIntResolver, { description: 'Signed invoices of those contracts and linked invoices, minor units' }) invoicedMinor!: number;
  @Field(() => SafeIntResolver, { description: 'Signed acts (delivered) of those contracts and linked acts, minor units' }) actsMinor!: number;
  @Field(() => SafeIntResolver, { description: 'Matched payments on those contracts and invoices, minor units' }) paidMinor!: number;
  @Field(() => SafeIntResolver, { description: 'Of what is due, what is past due and unpaid, minor units' }) overdueMinor!: number;
  @Field(() => Int, { description: 'How many linked contracts are signed facts finance counts' }) contractCount!: number;
}
