import { Migration } from '@mikro-orm/migrations';

/**
 * Deals at scale (issue 10, 300k deals): the list filtered by status walks an index in the list's order
 * (created_at, id), and the board's per-stage totals (count and sum) are read from an index alone.
 */
export class Migration20261206061100 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index if not exists "deals_status_order_index" on "deals" ("status", "created_at", "id");`);
    this.addSql(`create index if not exists "deals_template_stage_totals_index" on "deals" ("template_id", "stage") include ("currency", "amount_minor");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "deals_template_stage_totals_index";`);
    this.addSql(`drop index if exists "deals_status_order_index";`);
  }

}
