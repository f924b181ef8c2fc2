import { Migration } from '@mikro-orm/migrations';

/**
 * The local read models of counterparties and staff (kit's CounterpartyRef and UserRef), filled by their owners'
 * events: a new subscription is backfilled with the bus's whole history, so they are complete on an existing install.
 */
export class Migration20261206010632 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "counterparty_refs" ("id" uuid not null, "name" varchar(500) not null, "short_name" varchar(200) null, "inn" varchar(12) not null, "kpp" varchar(9) null, "status" varchar(30) not null, "updated_at" timestamptz not null, constraint "counterparty_refs_pkey" primary key ("id"));`);
    this.addSql(`create index "counterparty_refs_inn_index" on "counterparty_refs" ("inn");`);

    this.addSql(`create table "user_refs" ("id" uuid not null, "email" varchar(254) not null, "name" varchar(200) not null, "roles" text[] not null, "active" boolean not null default true, "updated_at" timestamptz not null, constraint "user_refs_pkey" primary key ("id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "counterparty_refs" cascade;`);

    this.addSql(`drop table if exists "user_refs" cascade;`);
  }

}
