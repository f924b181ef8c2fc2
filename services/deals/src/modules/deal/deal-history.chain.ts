import { chainTimestampSql, historyChainResolver, type HashChainSpec } from '@kartoteka/kit';

/**
 * The hash chain over `deal_changes` (issue 11): every history entry is chained to the one before it by a trigger
 * of the transaction of the change, at its COMMIT (kit's hashChainSql, then hashChainDeferredSql in Migration20261206190100, issue 10:
 * the chain's lock is held only for the chaining and the commit), and the table is append-only.
 */
export const DEAL_HISTORY_CHAIN: HashChainSpec = {
  table: 'deal_changes',
  format: 'kartoteka-deal-history-v1',
  lockKey: 0x64_6c_68_69_73, // "dlhis"
  columns: [{ sql: 'r.id::text' }, { sql: 'r.deal_id::text' }, { sql: chainTimestampSql('r.at') }, { sql: 'r.kind' }, { sql: 'r.actor_id::text' }, { sql: 'r.actor_kind' }],
  jsonColumn: 'details',
  backfillOrder: 'at, id',
};

/** `verifyDealHistory` (audit:verify): walks the chain and reports its first broken link. */
export const DealHistoryChainResolver = historyChainResolver('verifyDealHistory', DEAL_HISTORY_CHAIN, "Verifies the hash chain of every deal's history (administrators)");
