import { Migration } from '@mikro-orm/migrations';

export class Migration20261127164555 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "case_templates" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(200) not null, "description" text null, "status" text check ("status" in ('DRAFT', 'PUBLISHED', 'ARCHIVED')) not null default 'DRAFT', "draft" jsonb not null, "draft_version" int not null default 1, "created_by_id" uuid null, constraint "case_templates_pkey" primary key ("id"));`);
    this.addSql(`create index "case_templates_status_name_index" on "case_templates" ("status", "name");`);

    this.addSql(`create table "case_template_versions" ("id" uuid not null, "template_id" uuid not null, "number" int not null, "definition" jsonb not null, "published_at" timestamptz not null default now(), "published_by_id" uuid null, constraint "case_template_versions_pkey" primary key ("id"));`);
    this.addSql(`alter table "case_template_versions" add constraint "case_template_versions_template_number_unique" unique ("template_id", "number");`);

    this.addSql(`create table "deal_actions" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deal_id" uuid not null, "stage_key" varchar(50) not null, "action_key" varchar(50) not null, "kind" varchar(30) not null, "title" varchar(300) not null, "position" int not null default 0, "assignee_id" uuid null, "due_at" timestamptz null, "required" boolean not null default false, "status" text check ("status" in ('TODO', 'REQUESTED', 'DONE', 'FAILED')) not null default 'TODO', "done_at" timestamptz null, "done_by_id" uuid null, "comment" text null, "document_id" uuid null, "failure_reason" text null, constraint "deal_actions_pkey" primary key ("id"));`);
    this.addSql(`create index "deal_actions_document_index" on "deal_actions" ("document_id");`);
    this.addSql(`alter table "deal_actions" add constraint "deal_actions_deal_stage_action_unique" unique ("deal_id", "stage_key", "action_key");`);

    this.addSql(`create table "deal_changes" ("id" uuid not null, "deal_id" uuid not null, "at" timestamptz not null default now(), "kind" text check ("kind" in ('CREATED', 'UPDATED', 'STAGE_CHANGED', 'WON', 'LOST', 'REOPENED', 'ACTION_DONE', 'ACTION_REQUESTED', 'ACTION_FAILED', 'DOCUMENT_CREATED')) not null, "actor_id" uuid null, "actor_kind" text check ("actor_kind" in ('user', 'apiKey', 'system')) not null, "details" jsonb not null, constraint "deal_changes_pkey" primary key ("id"));`);
    this.addSql(`create index "deal_changes_deal_order_index" on "deal_changes" ("deal_id", "at", "id");`);

    this.addSql(`create table "deal_stage_visits" ("id" uuid not null, "deal_id" uuid not null, "stage_key" varchar(50) not null, "entered_at" timestamptz not null, "left_at" timestamptz null, constraint "deal_stage_visits_pkey" primary key ("id"));`);
    this.addSql(`create index "deal_stage_visits_stage_index" on "deal_stage_visits" ("stage_key", "deal_id");`);
    this.addSql(`create index "deal_stage_visits_deal_index" on "deal_stage_visits" ("deal_id", "entered_at");`);

    this.addSql(`create table "inbox_events" ("event_id" uuid not null, "consumer" varchar(100) not null, "processed_at" timestamptz not null default now(), constraint "inbox_events_pkey" primary key ("event_id", "consumer"));`);

    this.addSql(`create table "outbox_events" ("id" uuid not null, "topic" varchar(200) not null, "payload" jsonb not null, "created_at" timestamptz not null default now(), "published_at" timestamptz null, constraint "outbox_events_pkey" primary key ("id"));`);
    this.addSql(`create index "outbox_events_unpublished_index" on "outbox_events" ("created_at", "id") where "published_at" is null;`);

    this.addSql(`alter table "case_template_versions" add constraint "case_template_versions_template_id_foreign" foreign key ("template_id") references "case_templates" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "deal_actions" add constraint "deal_actions_deal_id_foreign" foreign key ("deal_id") references "deals" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "deal_changes" add constraint "deal_changes_deal_id_foreign" foreign key ("deal_id") references "deals" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "deal_stage_visits" add constraint "deal_stage_visits_deal_id_foreign" foreign key ("deal_id") references "deals" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "deals" add column "template_id" uuid null, add column "template_version_id" uuid null, add column "status" text check ("status" in ('OPEN', 'WON', 'LOST')) not null default 'OPEN', add column "close_reason" text null, add column "form_data" jsonb not null default '{}', add column "stage_entered_at" timestamptz not null default now();`);
    this.addSql(`alter table "deals" add constraint "deals_template_id_foreign" foreign key ("template_id") references "case_templates" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "deals" add constraint "deals_template_version_id_foreign" foreign key ("template_version_id") references "case_template_versions" ("id") on update cascade on delete restrict;`);
    this.addSql(`create index "deals_template_version_id_index" on "deals" ("template_version_id");`);
    this.addSql(`create index "deals_template_stage_index" on "deals" ("template_id", "stage", "stage_entered_at", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "case_template_versions" drop constraint "case_template_versions_template_id_foreign";`);

    this.addSql(`alter table "deals" drop constraint "deals_template_id_foreign";`);

    this.addSql(`alter table "deals" drop constraint "deals_template_version_id_foreign";`);

    this.addSql(`drop table if exists "case_templates" cascade;`);

    this.addSql(`drop table if exists "case_template_versions" cascade;`);

    this.addSql(`drop table if exists "deal_actions" cascade;`);

    this.addSql(`drop table if exists "deal_changes" cascade;`);

    this.addSql(`drop table if exists "deal_stage_visits" cascade;`);

    this.addSql(`drop table if exists "inbox_events" cascade;`);

    this.addSql(`drop table if exists "outbox_events" cascade;`);

    this.addSql(`drop index "deals_template_version_id_index";`);
    this.addSql(`drop index "deals_template_stage_index";`);
    this.addSql(`alter table "deals" drop column "template_id", drop column "template_version_id", drop column "status", drop column "close_reason", drop column "form_data", drop column "stage_entered_at";`);
  }

}
