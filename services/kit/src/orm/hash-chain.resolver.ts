import { Authorized, Ctx, Directive, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../server/context';
import { verifyHashChain, type HashChainBreak, type HashChainSpec, type HashChainVerification } from './hash-chain';

/**
 * The answer of every history verification (counterparties, deals): the same type in each subgraph that verifies
 * a hash-chained history (`@shareable`), defined once here.
 */
@Directive('@shareable')
@ObjectType({ description: 'Result of walking a whole hash-chained history' })
export class HistoryChainVerification implements HashChainVerification {
  @Field({ description: 'True when every entry verifies' })
  valid!: boolean;

  @Field(() => Int, { description: 'Entries examined: all of them when valid, up to and including the first broken one otherwise' })
  checkedCount!: number;

  @Field(() => Int, { nullable: true, description: 'The first entry that does not verify (for a deleted entry: the one after the gap)' })
  firstBrokenSeq!: number | null;

  @Field(() => ID, { nullable: true, description: 'Id of that entry' })
  firstBrokenId!: string | null;

  @Field(() => String, { nullable: true, description: 'hash-mismatch (edited), sequence-gap (deleted), link-mismatch (reordered, inserted or re-hashed)' })
  reason!: HashChainBreak | null;

  @Field(() => Int, { nullable: true, description: 'seq of the last entry of a valid chain; keep it elsewhere to notice a cut-off tail later' })
  headSeq!: number | null;

  @Field(() => String, { nullable: true, description: 'hash of the last entry of a valid chain' })
  headHash!: string | null;
}

/** A query `<field>` that verifies the chain `spec` for callers with `audit:verify` (administrators). */
export function historyChainResolver(field: string, spec: HashChainSpec, description: string) {
  @Resolver()
  class HistoryChainResolver {
    @Authorized('audit:verify')
    @Query(() => HistoryChainVerification, { name: field, description })
    verify(@Ctx() context: SubgraphContext): Promise<HashChainVerification> {
      return verifyHashChain(context.em, spec);
    }
  }
  return HistoryChainResolver;
}
