import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 12: imports of counterparties from spreadsheets — the jobs and the rows of their files (kept until the job is
 * done, so a preview can be repeated and a run resumed). Generated; the generator's drops of objects the earlier
 * migrations make with raw SQL (the hash-chain columns, two indexes) are left out.
 */
export class Migration20261206115837 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "import_jobs" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "file_name" varchar(300) not null, "status" text check ("status" in ('UPLOADED', 'MAPPED', 'PREVIEWED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')) not null default 'UPLOADED', "headers" jsonb not null, "row_count" int not null default 0, "mapping" jsonb not null, "duplicate_policy" text check ("duplicate_policy" in ('SKIP', 'UPDATE')) not null default 'SKIP', "created_by_id" uuid null, "created_by_kind" varchar(10) not null default 'user', "created_by_name" varchar(200) not null default '', "last_row" int not null default 0, "processed" int not null default 0, "valid_count" int not null default 0, "invalid_count" int not null default 0, "duplicate_count" int not null default 0, "created_count" int not null default 0, "updated_count" int not null default 0, "skipped_count" int not null default 0, "refused_count" int not null default 0, "failure" text null, constraint "import_jobs_pkey" primary key ("id"));`);
    this.addSql(`create index "import_jobs_status_index" on "import_jobs" ("status", "created_at");`);

    this.addSql(`create table "import_rows" ("job_id" uuid not null, "row_number" int not null, "cells" jsonb not null, "status" text check ("status" in ('PENDING', 'VALID', 'INVALID', 'DUPLICATE')) not null default 'PENDING', "errors" jsonb null, "existing_id" uuid null, "dup_key" varchar(30) null, "outcome" text check ("outcome" in ('CREATED', 'UPDATED', 'SKIPPED', 'REFUSED')) null, "counterparty_id" uuid null, constraint "import_rows_pkey" primary key ("job_id", "row_number"));`);
    this.addSql(`create index "import_rows_dup_key_index" on "import_rows" ("job_id", "dup_key");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "import_rows" cascade;`);
    this.addSql(`drop table if exists "import_jobs" cascade;`);
  }

}
