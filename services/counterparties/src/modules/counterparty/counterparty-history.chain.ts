import { chainTimestampSql, historyChainResolver, type HashChainSpec } from '@kartoteka/kit';

/**
 * The hash chain over `counterparty_changes` (issue 11): every history entry is chained to the one before it by a trigger
 * of the transaction of the change, at its COMMIT (kit's hashChainSql, then hashChainDeferredSql in Migration20261206190000, issue 10:
 * the chain's lock is held only for the chaining and the commit), and the table is append-only.
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

/** `verifyCounterpartyHistory` (audit:verify): walks the chain and reports its first broken link. */
export const CounterpartyHistoryChainResolver = historyChainResolver('verifyCounterpartyHistory', COUNTERPARTY_HISTORY_CHAIN, "Verifies the hash chain of every counterparty's history (administrators)");
