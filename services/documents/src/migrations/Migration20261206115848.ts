import { Migration } from '@mikro-orm/migrations';

/** Document templates (DOCX, versioned) and the deal read model of their placeholders. */
export class Migration20261206115848 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "document_templates" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "code" varchar(50) not null, "name" varchar(200) not null, "document_type" text check ("document_type" in ('INCOMING_LETTER', 'OUTGOING_LETTER', 'CONTRACT', 'SUPPLEMENTARY_AGREEMENT', 'INVOICE', 'ACT', 'PAYMENT_ORDER', 'COMMERCIAL_OFFER', 'OTHER')) not null, "description" text null, "current_version_number" int not null default 0, "archived" boolean not null default false, "created_by_id" uuid null, "version" int not null default 1, constraint "document_templates_pkey" primary key ("id"));`);
    this.addSql(`create index "document_templates_type_index" on "document_templates" ("document_type", "archived");`);
    this.addSql(`alter table "document_templates" add constraint "document_templates_code_unique" unique ("code");`);

    this.addSql(`create table "document_template_versions" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "template_id" uuid not null, "number" int not null, "stored_file_id" uuid not null, "placeholders" jsonb not null, "uploaded_by_id" uuid null, "uploaded_at" timestamptz not null default now(), constraint "document_template_versions_pkey" primary key ("id"));`);
    this.addSql(`alter table "document_template_versions" add constraint "document_template_versions_number_unique" unique ("template_id", "number");`);

    this.addSql(`create table "template_deal_refs" ("id" uuid not null, "title" varchar(500) not null, "amount_minor" bigint null, "currency" char(3) null, "updated_at" timestamptz not null default now(), constraint "template_deal_refs_pkey" primary key ("id"));`);

  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "document_templates" cascade;`);

    this.addSql(`drop table if exists "document_template_versions" cascade;`);

    this.addSql(`drop table if exists "template_deal_refs" cascade;`);

  }

}
