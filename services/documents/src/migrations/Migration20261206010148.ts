import { Migration } from '@mikro-orm/migrations';

export class Migration20261206010148 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "document_status_changes" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "document_id" uuid not null, "from_status" text check ("from_status" in ('DRAFT', 'ON_APPROVAL', 'APPROVED', 'REJECTED', 'SIGNED', 'IN_FORCE', 'EXECUTED', 'TERMINATED', 'CANCELLED')) null, "status" text check ("status" in ('DRAFT', 'ON_APPROVAL', 'APPROVED', 'REJECTED', 'SIGNED', 'IN_FORCE', 'EXECUTED', 'TERMINATED', 'CANCELLED')) not null, "at" timestamptz not null, "seq" bigint generated always as identity not null, "actor_id" uuid null, "actor_kind" text check ("actor_kind" in ('user', 'apiKey', 'system')) not null, "reason" text null, constraint "document_status_changes_pkey" primary key ("id"));`);
    this.addSql(`create index "document_status_changes_document_index" on "document_status_changes" ("document_id", "seq");`);

    this.addSql(`alter table "approval_steps" add column "delegated_from_role" varchar(50) null, add column "delegated_from_ids" uuid[] not null default '{}';`);

    this.addSql(`alter table "documents" add column "signed_by_id" uuid null;`);

    // Existing documents: the history begins with their current status; who signed comes from the audit trail.
    this.addSql(`insert into "document_status_changes" ("id", "document_id", "from_status", "status", "at", "actor_kind", "reason")
      select gen_random_uuid(), d."id", null, d."status", d."updated_at", 'system', 'status when the history began' from "documents" d order by d."created_at", d."id";`);
    this.addSql(`update "documents" d set "signed_by_id" = a."actor_id" from (
        select distinct on ("document_id") "document_id", "actor_id" from "audit_records" where "action" = 'DOCUMENT_SIGNED' and "actor_kind" = 'user' order by "document_id", "seq" desc
      ) a where a."document_id" = d."id" and d."signed_at" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "document_status_changes" cascade;`);

    this.addSql(`alter table "approval_steps" drop column "delegated_from_role", drop column "delegated_from_ids";`);

    this.addSql(`alter table "documents" drop column "signed_by_id";`);
  }

}
