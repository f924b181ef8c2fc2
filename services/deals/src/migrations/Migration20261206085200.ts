import { hashChainSql } from '@kartoteka/kit';
import { Migration } from '@mikro-orm/migrations';
import { DEAL_HISTORY_CHAIN } from '../modules/deal/deal-history.chain';

/**
 * Issue 11: the hash chain over `deal_changes` — existing entries chained in the order of the history (at, id),
 * then the trigger that chains every new entry in its transaction and the append-only triggers.
 */
export class Migration20261206085200 extends Migration {

  override async up(): Promise<void> {
    for (const sql of hashChainSql(DEAL_HISTORY_CHAIN).up) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const sql of hashChainSql(DEAL_HISTORY_CHAIN).down) this.addSql(sql);
  }

}
