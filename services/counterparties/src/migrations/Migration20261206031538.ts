import { Migration } from '@mikro-orm/migrations';

/** counterparties' copy of finance's reliability ratings (event `finance.rating.changed`), to filter and sort the list by. */
export class Migration20261206031538 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "counterparty_ratings" ("counterparty_id" uuid not null, "score" numeric(5,1) null, "grade" text check ("grade" in ('A', 'B', 'C', 'D')) null, "method_version" int not null, "computed_at" timestamptz not null, constraint "counterparty_ratings_pkey" primary key ("counterparty_id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "counterparty_ratings" cascade;`);
  }

}
