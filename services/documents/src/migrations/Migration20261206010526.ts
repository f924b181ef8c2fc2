import { Migration } from '@mikro-orm/migrations';

/**
 * The local read model of counterparties (kit's CounterpartyRef), filled by counterparties' lifecycle events: a new
 * subscription is backfilled with the bus's whole history, so it is complete on an existing install too.
 */
export class Migration20261206010526 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "counterparty_refs" ("id" uuid not null, "name" varchar(500) not null, "short_name" varchar(200) null, "inn" varchar(12) not null, "kpp" varchar(9) null, "status" varchar(30) not null, "updated_at" timestamptz not null, constraint "counterparty_refs_pkey" primary key ("id"));`);
    this.addSql(`create index "counterparty_refs_inn_index" on "counterparty_refs" ("inn");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "counterparty_refs" cascade;`);
  }

}
