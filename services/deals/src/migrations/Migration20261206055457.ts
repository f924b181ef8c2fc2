import { Migration } from '@mikro-orm/migrations';

/**
 * Projects (with their history) and general tasks (with comments and the reminder job's markers), issue 11.
 * Counterparties, deals and documents of a project are uuid arrays and its team a jsonb list, GIN-indexed for the
 * card's panel and "projects of a member".
 */
export class Migration20261206055457 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "projects" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(300) not null, "code" varchar(50) null, "status" text check ("status" in ('PLANNED', 'ACTIVE', 'ON_HOLD', 'COMPLETED', 'CANCELLED')) not null default 'PLANNED', "start_date" date null, "end_date" date null, "description" text null, "counterparty_ids" uuid[] not null, "team" jsonb not null default '[]', "deal_ids" uuid[] not null default '{}', "document_ids" uuid[] not null default '{}', "budget_minor" bigint null, "budget_currency" char(3) null, "created_by_id" uuid null, "version" int not null default 1, constraint "projects_pkey" primary key ("id"));`);
    this.addSql(`create index "projects_team_index" on "projects" using gin ("team" jsonb_path_ops);`);
    this.addSql(`create index "projects_counterparty_ids_index" on "projects" using gin ("counterparty_ids");`);
    this.addSql(`create index "projects_order_index" on "projects" ("created_at", "id");`);

    this.addSql(`create table "project_changes" ("id" uuid not null, "project_id" uuid not null, "at" timestamptz not null default now(), "kind" text check ("kind" in ('CREATED', 'UPDATED')) not null, "actor_id" uuid null, "actor_kind" text check ("actor_kind" in ('user', 'apiKey', 'system')) not null, "changes" jsonb not null default '[]', constraint "project_changes_pkey" primary key ("id"));`);
    this.addSql(`create index "project_changes_project_order_index" on "project_changes" ("project_id", "at", "id");`);

    this.addSql(`create table "tasks" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "title" varchar(500) not null, "description" text null, "assignee_id" uuid null, "author_id" uuid null, "due_at" timestamptz null, "priority" text check ("priority" in ('LOW', 'NORMAL', 'HIGH', 'URGENT')) not null default 'NORMAL', "status" text check ("status" in ('OPEN', 'IN_PROGRESS', 'DONE', 'CANCELLED')) not null default 'OPEN', "counterparty_id" uuid null, "document_id" uuid null, "deal_id" uuid null, "project_id" uuid null, "completed_at" timestamptz null, "completed_by_id" uuid null, "due_soon_notified_for" timestamptz null, "overdue_notified_for" timestamptz null, "version" int not null default 1, constraint "tasks_pkey" primary key ("id"));`);
    this.addSql(`create index "tasks_open_due_index" on "tasks" ("due_at") where "status" in ('OPEN', 'IN_PROGRESS') and "due_at" is not null;`);
    this.addSql(`create index "tasks_due_order_index" on "tasks" ((coalesce("due_at", 'infinity'::timestamptz)), "id");`);
    this.addSql(`create index "tasks_document_index" on "tasks" ("document_id");`);
    this.addSql(`create index "tasks_project_index" on "tasks" ("project_id");`);
    this.addSql(`create index "tasks_deal_index" on "tasks" ("deal_id");`);
    this.addSql(`create index "tasks_counterparty_index" on "tasks" ("counterparty_id");`);
    this.addSql(`create index "tasks_assignee_index" on "tasks" ("assignee_id", "status", "due_at");`);

    this.addSql(`create table "task_comments" ("id" uuid not null, "task_id" uuid not null, "author_id" uuid null, "author_kind" varchar(10) not null, "text" text not null, "created_at" timestamptz not null default now(), constraint "task_comments_pkey" primary key ("id"));`);
    this.addSql(`create index "task_comments_task_order_index" on "task_comments" ("task_id", "created_at", "id");`);

    this.addSql(`alter table "project_changes" add constraint "project_changes_project_id_foreign" foreign key ("project_id") references "projects" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "task_comments" add constraint "task_comments_task_id_foreign" foreign key ("task_id") references "tasks" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "project_changes" drop constraint "project_changes_project_id_foreign";`);

    this.addSql(`alter table "task_comments" drop constraint "task_comments_task_id_foreign";`);

    this.addSql(`drop table if exists "projects" cascade;`);

    this.addSql(`drop table if exists "project_changes" cascade;`);

    this.addSql(`drop table if exists "tasks" cascade;`);

    this.addSql(`drop table if exists "task_comments" cascade;`);
  }

}
