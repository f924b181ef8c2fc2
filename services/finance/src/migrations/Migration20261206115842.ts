import { Migration } from '@mikro-orm/migrations';

/** The project → documents read model (from deals' project events) that a project's actuals are computed from. */
export class Migration20261206115842 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "project_documents" ("project_id" uuid not null, "document_ids" uuid[] not null default '{}', "updated_at" timestamptz not null, constraint "project_documents_pkey" primary key ("project_id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "project_documents" cascade;`);
  }

}
