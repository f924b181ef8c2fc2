import { Migration } from '@mikro-orm/migrations';

/**
 * The counterparty list at scale (issue 10, 100k counterparties): a status filter walks an index in the list's
 * order (name, id), and the rating order and rating filters walk the ratings best first.
 */
export class Migration20261206061300 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index if not exists "counterparties_status_name_index" on "counterparties" ("status", "name", "id");`);
    this.addSql(`create index if not exists "counterparty_ratings_score_index" on "counterparty_ratings" ("score" desc nulls last, "counterparty_id") include ("grade");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "counterparty_ratings_score_index";`);
    this.addSql(`drop index if exists "counterparties_status_name_index";`);
  }

}
