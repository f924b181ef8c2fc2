import { Migration } from '@mikro-orm/migrations';

export class Migration20261127131717 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "documents" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "type" text check ("type" in ('INCOMING_LETTER', 'OUTGOING_LETTER', 'CONTRACT', 'SUPPLEMENTARY_AGREEMENT', 'INVOICE', 'ACT', 'PAYMENT_ORDER', 'COMMERCIAL_OFFER', 'OTHER')) not null, "number" varchar(100) null, "date" date null, "title" varchar(500) not null, "amount_minor" bigint null, "currency" char(3) null, "status" text check ("status" in ('DRAFT', 'ON_APPROVAL', 'APPROVED', 'REJECTED', 'SIGNED', 'IN_FORCE', 'EXECUTED', 'TERMINATED', 'CANCELLED')) not null default 'DRAFT', "counterparty_id" uuid not null, "deal_id" uuid null, "author_id" uuid null, "version" int not null default 1, constraint "documents_pkey" primary key ("id"));`);
    this.addSql(`create index "documents_deal_id_index" on "documents" ("deal_id");`);
    this.addSql(`create index "documents_author_id_index" on "documents" ("author_id");`);
    this.addSql(`create index "documents_order_index" on "documents" ("date", "created_at", "id");`);
    this.addSql(`create index "documents_counterparty_order_index" on "documents" ("counterparty_id", "date", "created_at", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "documents" cascade;`);
  }

}
