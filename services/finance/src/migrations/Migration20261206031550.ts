import { Migration } from '@mikro-orm/migrations';

export class Migration20261206031550 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "contract_terms" ("contract_id" uuid not null, "direction" text check ("direction" in ('RECEIVABLE', 'PAYABLE')) not null, "updated_at" timestamptz not null, "updated_by_id" uuid null, constraint "contract_terms_pkey" primary key ("contract_id"));`);

    this.addSql(`create table "counterparty_refs" ("id" uuid not null, "name" varchar(500) not null, "short_name" varchar(200) null, "inn" varchar(12) not null, "kpp" varchar(9) null, "status" varchar(30) not null, "updated_at" timestamptz not null, constraint "counterparty_refs_pkey" primary key ("id"));`);
    this.addSql(`create index "counterparty_refs_inn_index" on "counterparty_refs" ("inn");`);

    this.addSql(`create table "finance_documents" ("id" uuid not null, "type" varchar(50) not null, "counterparty_id" uuid not null, "contract_id" uuid null, "invoice_id" uuid null, "number" varchar(100) null, "title" varchar(500) null, "date" date not null, "amount_minor" bigint null, "currency" char(3) not null default 'RUB', "due_date" date null, "start_date" date null, "end_date" date null, "period_end" date null, "status" varchar(50) not null, "verified" boolean not null default true, "responsible_id" uuid null, "signed_at" timestamptz not null, "updated_at" timestamptz not null, constraint "finance_documents_pkey" primary key ("id"));`);
    this.addSql(`create index "finance_documents_counterparty_id_index" on "finance_documents" ("counterparty_id");`);
    this.addSql(`create index "finance_documents_contract_id_index" on "finance_documents" ("contract_id");`);
    this.addSql(`create index "finance_documents_invoice_id_index" on "finance_documents" ("invoice_id");`);
    this.addSql(`create index "finance_documents_counterparty_type_index" on "finance_documents" ("counterparty_id", "type");`);

    this.addSql(`create table "inbox_events" ("event_id" uuid not null, "consumer" varchar(100) not null, "processed_at" timestamptz not null default now(), constraint "inbox_events_pkey" primary key ("event_id", "consumer"));`);

    this.addSql(`create table "known_accounts" ("counterparty_id" uuid not null, "account" varchar(20) not null, "created_at" timestamptz not null default now(), constraint "known_accounts_pkey" primary key ("counterparty_id", "account"));`);

    this.addSql(`create table "outbox_events" ("id" uuid not null, "topic" varchar(200) not null, "payload" jsonb not null, "created_at" timestamptz not null default now(), "published_at" timestamptz null, constraint "outbox_events_pkey" primary key ("id"));`);
    this.addSql(`create index "outbox_events_unpublished_index" on "outbox_events" ("created_at", "id") where "published_at" is null;`);

    this.addSql(`create table "overdue_notices" ("obligation_key" varchar(100) not null, "due_date" date not null, "amount_minor" bigint not null, "notified_at" timestamptz not null default now(), constraint "overdue_notices_pkey" primary key ("obligation_key", "due_date"));`);

    this.addSql(`create table "payments" ("id" uuid not null, "fingerprint" varchar(64) not null, "direction" text check ("direction" in ('INCOMING', 'OUTGOING')) not null, "number" varchar(50) not null, "date" date not null, "amount_minor" bigint not null, "currency" char(3) not null default 'RUB', "payer_name" varchar(500) null, "payer_inn" varchar(12) null, "payer_kpp" varchar(9) null, "payer_account" varchar(20) null, "payer_bic" varchar(9) null, "payee_name" varchar(500) null, "payee_inn" varchar(12) null, "payee_kpp" varchar(9) null, "payee_account" varchar(20) null, "payee_bic" varchar(9) null, "purpose" text not null, "debited_at" date null, "credited_at" date null, "counterparty_id" uuid null, "contract_id" uuid null, "invoice_id" uuid null, "match_status" text check ("match_status" in ('MATCHED', 'AMBIGUOUS', 'UNMATCHED')) not null, "match_confidence" real not null default 0, "match_reasons" jsonb not null default '[]', "matched_by_id" uuid null, "matched_at" timestamptz null, "statement_import_id" uuid null, "created_at" timestamptz not null default now(), constraint "payments_pkey" primary key ("id"));`);
    this.addSql(`alter table "payments" add constraint "payments_fingerprint_unique" unique ("fingerprint");`);
    this.addSql(`create index "payments_payer_inn_index" on "payments" ("payer_inn");`);
    this.addSql(`create index "payments_payee_inn_index" on "payments" ("payee_inn");`);
    this.addSql(`create index "payments_counterparty_id_index" on "payments" ("counterparty_id");`);
    this.addSql(`create index "payments_contract_id_index" on "payments" ("contract_id");`);
    this.addSql(`create index "payments_invoice_id_index" on "payments" ("invoice_id");`);
    this.addSql(`create index "payments_match_status_index" on "payments" ("match_status");`);
    this.addSql(`create index "payments_statement_import_id_index" on "payments" ("statement_import_id");`);
    this.addSql(`create index "payments_date_order_index" on "payments" ("date", "id");`);

    this.addSql(`create table "ratings" ("counterparty_id" uuid not null, "score" numeric(5,1) null, "grade" varchar(1) null, "method_version" int not null, "computed_at" timestamptz not null, "factors" jsonb not null, constraint "ratings_pkey" primary key ("counterparty_id"));`);

    this.addSql(`create table "rating_methods" ("version" int not null, "weights" jsonb not null, "created_at" timestamptz not null default now(), "created_by_id" uuid null, constraint "rating_methods_pkey" primary key ("version"));`);

    this.addSql(`create table "rating_points" ("id" uuid not null, "counterparty_id" uuid not null, "score" numeric(5,1) null, "grade" varchar(1) null, "method_version" int not null, "computed_at" timestamptz not null, constraint "rating_points_pkey" primary key ("id"));`);
    this.addSql(`create index "rating_points_counterparty_order_index" on "rating_points" ("counterparty_id", "computed_at");`);

    this.addSql(`create table "schedule_items" ("id" uuid not null, "contract_id" uuid not null, "position" int not null, "kind" text check ("kind" in ('ADVANCE', 'PAYMENT', 'POSTPAYMENT', 'DELIVERY')) not null, "amount_minor" bigint not null, "currency" char(3) not null, "due_date" date null, "days_after_act" int null, "description" varchar(500) null, constraint "schedule_items_pkey" primary key ("id"));`);
    this.addSql(`create index "schedule_items_contract_position_index" on "schedule_items" ("contract_id", "position");`);

    this.addSql(`create table "statement_imports" ("id" uuid not null, "file_name" varchar(255) not null, "status" text check ("status" in ('PREVIEW', 'RUNNING', 'DONE', 'FAILED', 'DISCARDED')) not null, "encoding" varchar(20) not null, "accounts" jsonb not null default '[]', "date_from" date null, "date_to" date null, "total" int not null default 0, "processed" int not null default 0, "created" int not null default 0, "duplicates" int not null default 0, "matched" int not null default 0, "ambiguous" int not null default 0, "unmatched" int not null default 0, "error" text null, "staged" jsonb null, "report" jsonb null, "created_by_id" uuid null, "created_at" timestamptz not null default now(), "finished_at" timestamptz null, constraint "statement_imports_pkey" primary key ("id"));`);
    this.addSql(`create index "statement_imports_status_index" on "statement_imports" ("status");`);
    this.addSql(`create index "statement_imports_order_index" on "statement_imports" ("created_at", "id");`);

    this.addSql(`create table "user_refs" ("id" uuid not null, "email" varchar(254) not null, "name" varchar(200) not null, "roles" text[] not null, "active" boolean not null default true, "updated_at" timestamptz not null, constraint "user_refs_pkey" primary key ("id"));`);

    // The first version of the rating method (README: "The reliability rating"); later versions are added by administrators.
    this.addSql(`insert into "rating_methods" ("version", "weights", "created_at", "created_by_id") values (1, '{"PAYMENT_ON_TIME":35,"PAYMENT_DELAY":15,"OVERDUE_NOW":20,"DELIVERY_ON_TIME":10,"TERMINATIONS":10,"RELATIONSHIP":10}', now(), null);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "contract_terms" cascade;`);

    this.addSql(`drop table if exists "counterparty_refs" cascade;`);

    this.addSql(`drop table if exists "finance_documents" cascade;`);

    this.addSql(`drop table if exists "inbox_events" cascade;`);

    this.addSql(`drop table if exists "known_accounts" cascade;`);

    this.addSql(`drop table if exists "outbox_events" cascade;`);

    this.addSql(`drop table if exists "overdue_notices" cascade;`);

    this.addSql(`drop table if exists "payments" cascade;`);

    this.addSql(`drop table if exists "ratings" cascade;`);

    this.addSql(`drop table if exists "rating_methods" cascade;`);

    this.addSql(`drop table if exists "rating_points" cascade;`);

    this.addSql(`drop table if exists "schedule_items" cascade;`);

    this.addSql(`drop table if exists "statement_imports" cascade;`);

    this.addSql(`drop table if exists "user_refs" cascade;`);
  }

}
