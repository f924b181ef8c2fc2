import { chainTimestampSql, verifyHashChain, type HashChainBreak, type HashChainSpec, type HashChainVerification, type SubgraphContext } from '@kartoteka/kit';
import { Authorized, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';

/**
 * The hash chain over `counterparty_changes` (issue 11): every history entry is chained to the one before it by a
 * trigger in the transaction of the change (kit's hashChainSql), and the table is append-only.
 */
export const COUNTERPARTY_HISTORY_CHAIN: HashChainSpec = {
  table: 'counterparty_changes',
  format: 'kartoteka-counterparty-history-v1',
  lockKey: 0x63_70_68_69_73, // "cphis"
  columns: [
    { sql: 'r.id::text' },
    { sql: 'r.counterparty_id::text' },
    { sql: 'r.version', kind: 'int' },
    { sql: chainTimestampSql('r.at') },
    { sql: 'r.action' },
    { sql: 'r.actor_id::text' },
    { sql: 'r.actor_kind' },
    { sql: 'r.actor_name' },
  ],
  jsonColumn: 'changes',
  backfillOrder: 'at, version, id',
};

@ObjectType('CounterpartyHistoryVerification', { description: 'Result of walking the whole hash-chained history of counterparties' })
export class HistoryChainVerificationType implements HashChainVerification {
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

export function verifyCounterpartyHistoryChain(context: Pick<SubgraphContext, 'em'>): Promise<HashChainVerification> {
  return verifyHashChain(context.em, COUNTERPARTY_HISTORY_CHAIN);
}

@Resolver()
export class CounterpartyHistoryChainResolver {
  @Authorized('audit:verify')
  @Query(() => HistoryChainVerificationType, { description: 'Verifies the hash chain of every counterparty\'s history (administrators)' })
  verifyCounterpartyHistory(@Ctx() context: SubgraphContext): Promise<HashChainVerification> {
    return verifyCounterpartyHistoryChain(context);
  }
}
