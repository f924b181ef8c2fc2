import { hashChainDeferredSql } from '@kartoteka/kit';
import { Migration } from '@mikro-orm/migrations';
import { DEAL_HISTORY_CHAIN } from '../modules/deal/deal-history.chain';

/**
 * Issue 10: `deal_changes` is chained at COMMIT (kit's hashChainDeferredSql) instead of at the INSERT, so the
 * chain's advisory lock is held only for the chaining and the commit, not for the rest of every writer's
 * transaction. The existing rows keep their chain (same canonical form and format tag); the chain columns become
 * nullable (filled at commit), the append-only guard lets only that fill through. Down restores the BEFORE INSERT
 * chaining of Migration20261206085200.
 */
export class Migration20261206190100 extends Migration {

  override async up(): Promise<void> {
    for (const sql of hashChainDeferredSql(DEAL_HISTORY_CHAIN).up) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const sql of hashChainDeferredSql(DEAL_HISTORY_CHAIN).down) this.addSql(sql);
  }

}
