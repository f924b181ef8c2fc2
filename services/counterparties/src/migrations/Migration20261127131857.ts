import { Migration } from '@mikro-orm/migrations';

export class Migration20261127131857 extends Migration {

  override async up(): Promise<void> {
    // Added by hand (the generator cannot express it): trigram search on names needs pg_trgm.
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create table "counterparties" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(500) not null, "short_name" varchar(200) null, "kind" text check ("kind" in ('LEGAL_ENTITY', 'SOLE_PROPRIETOR', 'INDIVIDUAL')) not null, "status" text check ("status" in ('PROSPECT', 'CLIENT', 'SUPPLIER', 'PARTNER', 'ARCHIVED')) not null default 'PROSPECT', "status_before_archive" text check ("status_before_archive" in ('PROSPECT', 'CLIENT', 'SUPPLIER', 'PARTNER', 'ARCHIVED')) null, "inn" varchar(12) not null, "kpp" varchar(9) null, "ogrn" varchar(15) null, "legal_address" varchar(1000) null, "postal_address" varchar(1000) null, "tags" text[] not null, "responsible_manager_id" uuid null, "version" int not null default 1, "archived_at" timestamptz null, constraint "counterparties_pkey" primary key ("id"));`);
    this.addSql(`create index "counterparties_responsible_manager_id_index" on "counterparties" ("responsible_manager_id");`);
    this.addSql(`create index "counterparties_name_id_index" on "counterparties" ("name", "id");`);
    this.addSql(`create index "counterparties_ogrn_prefix_index" on "counterparties" ("ogrn" varchar_pattern_ops);`);
    this.addSql(`create index "counterparties_inn_prefix_index" on "counterparties" ("inn" varchar_pattern_ops);`);
    this.addSql(`create index "counterparties_short_name_trgm_index" on "counterparties" using gin (lower("short_name") gin_trgm_ops);`);
    this.addSql(`create index "counterparties_name_trgm_index" on "counterparties" using gin (lower("name") gin_trgm_ops);`);
    this.addSql(`create unique index "counterparties_active_inn_kpp_unique" on "counterparties" ("inn", coalesce("kpp", '')) where "status" <> 'ARCHIVED';`);

    this.addSql(`create table "counterparty_bank_accounts" ("id" uuid not null, "counterparty_id" uuid not null, "sort_order" smallint not null, "bank_name" varchar(300) not null, "bik" varchar(9) not null, "account" varchar(20) not null, "correspondent_account" varchar(20) null, constraint "counterparty_bank_accounts_pkey" primary key ("id"));`);
    this.addSql(`create index "counterparty_bank_accounts_counterparty_id_index" on "counterparty_bank_accounts" ("counterparty_id");`);
    this.addSql(`create index "counterparty_bank_accounts_account_index" on "counterparty_bank_accounts" ("account");`);

    this.addSql(`create table "counterparty_changes" ("id" uuid not null, "counterparty_id" uuid not null, "version" int not null, "at" timestamptz not null default now(), "action" text check ("action" in ('CREATED', 'UPDATED', 'ARCHIVED', 'RESTORED')) not null, "actor_id" uuid null, "actor_kind" text check ("actor_kind" in ('user', 'apiKey')) null, "actor_name" varchar(200) null, "changes" jsonb not null, constraint "counterparty_changes_pkey" primary key ("id"));`);
    this.addSql(`alter table "counterparty_changes" add constraint "counterparty_changes_counterparty_id_version_unique" unique ("counterparty_id", "version");`);

    this.addSql(`create table "counterparty_contacts" ("id" uuid not null, "counterparty_id" uuid not null, "sort_order" smallint not null, "name" varchar(200) not null, "position" varchar(200) null, "email" varchar(254) null, "phone" varchar(50) null, constraint "counterparty_contacts_pkey" primary key ("id"));`);
    this.addSql(`create index "counterparty_contacts_counterparty_id_index" on "counterparty_contacts" ("counterparty_id");`);

    this.addSql(`alter table "counterparty_bank_accounts" add constraint "counterparty_bank_accounts_counterparty_id_foreign" foreign key ("counterparty_id") references "counterparties" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "counterparty_changes" add constraint "counterparty_changes_counterparty_id_foreign" foreign key ("counterparty_id") references "counterparties" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "counterparty_contacts" add constraint "counterparty_contacts_counterparty_id_foreign" foreign key ("counterparty_id") references "counterparties" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    // pg_trgm stays installed: other objects of the database may use it.
    this.addSql(`alter table "counterparty_bank_accounts" drop constraint "counterparty_bank_accounts_counterparty_id_foreign";`);

    this.addSql(`alter table "counterparty_changes" drop constraint "counterparty_changes_counterparty_id_foreign";`);

    this.addSql(`alter table "counterparty_contacts" drop constraint "counterparty_contacts_counterparty_id_foreign";`);

    this.addSql(`drop table if exists "counterparties" cascade;`);

    this.addSql(`drop table if exists "counterparty_bank_accounts" cascade;`);

    this.addSql(`drop table if exists "counterparty_changes" cascade;`);

    this.addSql(`drop table if exists "counterparty_contacts" cascade;`);
  }

}
