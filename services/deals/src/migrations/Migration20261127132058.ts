import { Migration } from '@mikro-orm/migrations';

export class Migration20261127132058 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "deals" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "title" varchar(500) not null, "amount_minor" bigint null, "currency" char(3) null, "stage" varchar(50) not null default 'lead', "counterparty_id" uuid not null, "owner_id" uuid null, "expected_close_date" date null, "version" int not null default 1, constraint "deals_pkey" primary key ("id"));`);
    this.addSql(`create index "deals_stage_index" on "deals" ("stage");`);
    this.addSql(`create index "deals_owner_id_index" on "deals" ("owner_id");`);
    this.addSql(`create index "deals_order_index" on "deals" ("created_at", "id");`);
    this.addSql(`create index "deals_counterparty_order_index" on "deals" ("counterparty_id", "created_at", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "deals" cascade;`);
  }

}
