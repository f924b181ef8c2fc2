import { Migration } from '@mikro-orm/migrations';

/**
 * Payments at scale (issue 10, 1M payments): the registry filtered by match status (the review queue, "unmatched
 * incoming") walks an index in the registry's order (date, id) instead of sorting every payment of that status, and
 * its total (with a direction too) is counted from that index alone; and the re-matching of a counterparty's pending
 * payments finds them by the INN of the counterparty's side.
 */
export class Migration20261206061200 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index if not exists "payments_match_status_order_index" on "payments" ("match_status", "date", "id") include ("direction");`);
    // the counterparty's side of a payment (rematchPending: payments of a counterparty that arrived or changed)
    this.addSql(`create index if not exists "payments_party_inn_index" on "payments" ((case when "direction" = 'INCOMING' then "payer_inn" else "payee_inn" end));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "payments_party_inn_index";`);
    this.addSql(`drop index if exists "payments_match_status_order_index";`);
  }

}
