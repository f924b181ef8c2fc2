import { Migration } from '@mikro-orm/migrations';

export class Migration20261127161855 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "acknowledgements" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "document_id" uuid not null, "version_id" uuid not null, "version_number" int not null, "user_id" uuid not null, "requested_by_id" uuid null, "deadline" timestamptz null, "comment" text null, "acknowledged_at" timestamptz null, "overdue_notified_at" timestamptz null, constraint "acknowledgements_pkey" primary key ("id"));`);
    this.addSql(`create index "acknowledgements_document_id_index" on "acknowledgements" ("document_id");`);
    this.addSql(`create index "acknowledgements_user_pending_index" on "acknowledgements" ("user_id", "acknowledged_at");`);
    this.addSql(`alter table "acknowledgements" add constraint "acknowledgements_version_user_unique" unique ("version_id", "user_id");`);

    this.addSql(`create table "approval_routes" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "document_id" uuid not null, "round" int not null, "template_id" uuid null, "template_name" varchar(200) not null, "status" text check ("status" in ('ACTIVE', 'COMPLETED', 'REJECTED', 'RECALLED', 'STOPPED')) not null, "started_by_id" uuid null, "version_id" uuid not null, "version_number" int not null, "finished_at" timestamptz null, "finish_comment" text null, "finished_by_id" uuid null, constraint "approval_routes_pkey" primary key ("id"));`);
    this.addSql(`create index "approval_routes_document_id_index" on "approval_routes" ("document_id");`);
    this.addSql(`alter table "approval_routes" add constraint "approval_routes_round_unique" unique ("document_id", "round");`);

    this.addSql(`create table "approval_stages" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "route_id" uuid not null, "position" int not null, "name" varchar(200) not null, "mode" text check ("mode" in ('SEQUENTIAL', 'PARALLEL')) not null, "rule" text check ("rule" in ('ALL', 'ANY', 'QUORUM')) not null, "quorum" int null, "sign_off" boolean not null, "status" text check ("status" in ('WAITING', 'ACTIVE', 'COMPLETED', 'REJECTED', 'CANCELLED')) not null, "completed_at" timestamptz null, constraint "approval_stages_pkey" primary key ("id"));`);
    this.addSql(`create index "approval_stages_route_index" on "approval_stages" ("route_id", "position");`);

    this.addSql(`create table "approval_steps" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "route_id" uuid not null, "stage_id" uuid not null, "document_id" uuid not null, "position" int not null, "role" varchar(50) null, "assignee_ids" uuid[] not null, "delegated_by_id" uuid null, "delegated_at" timestamptz null, "deadline_hours" int not null, "due_at" timestamptz null, "status" text check ("status" in ('WAITING', 'PENDING', 'APPROVED', 'REJECTED', 'SKIPPED', 'CANCELLED')) not null, "decided_by_id" uuid null, "decided_at" timestamptz null, "comment" text null, "decision_version_id" uuid null, "decision_version_number" int null, "carried_over" boolean not null default false, "overdue_notified_at" timestamptz null, constraint "approval_steps_pkey" primary key ("id"));`);
    this.addSql(`create index "approval_steps_assignees_index" on "approval_steps" using gin ("assignee_ids");`);
    this.addSql(`create index "approval_steps_pending_due_index" on "approval_steps" ("status", "due_at");`);
    this.addSql(`create index "approval_steps_document_index" on "approval_steps" ("document_id");`);
    this.addSql(`create index "approval_steps_stage_index" on "approval_steps" ("stage_id", "position");`);

    this.addSql(`create table "audit_records" ("id" uuid not null, "seq" bigint not null, "document_id" uuid not null, "action" text check ("action" in ('DOCUMENT_CREATED', 'DOCUMENT_UPDATED', 'DOCUMENT_REGISTERED', 'VERSION_ADDED', 'LINK_ADDED', 'LINK_REMOVED', 'ROUTE_STARTED', 'STEP_APPROVED', 'STEP_REJECTED', 'STEP_DELEGATED', 'ROUTE_RESUBMITTED', 'ROUTE_RECALLED', 'ROUTE_STOPPED', 'DOCUMENT_SIGNED', 'STATUS_CHANGED', 'ACKNOWLEDGEMENT_REQUESTED', 'DOCUMENT_ACKNOWLEDGED', 'FILE_DOWNLOADED')) not null, "actor_id" uuid null, "actor_kind" text check ("actor_kind" in ('user', 'apiKey', 'system')) not null, "version_id" uuid null, "details" jsonb not null, "recorded_at" timestamptz not null, "prev_hash" char(64) not null, "hash" char(64) not null, constraint "audit_records_pkey" primary key ("id"));`);
    this.addSql(`alter table "audit_records" add constraint "audit_records_seq_unique" unique ("seq");`);
    this.addSql(`create index "audit_records_document_seq_index" on "audit_records" ("document_id", "seq");`);

    this.addSql(`create table "document_journals" ("document_type" text check ("document_type" in ('INCOMING_LETTER', 'OUTGOING_LETTER', 'CONTRACT', 'SUPPLEMENTARY_AGREEMENT', 'INVOICE', 'ACT', 'PAYMENT_ORDER', 'COMMERCIAL_OFFER', 'OTHER')) not null, "year" int not null, "last_number" int not null, constraint "document_journals_pkey" primary key ("document_type", "year"));`);

    this.addSql(`create table "document_journal_settings" ("document_type" text check ("document_type" in ('INCOMING_LETTER', 'OUTGOING_LETTER', 'CONTRACT', 'SUPPLEMENTARY_AGREEMENT', 'INVOICE', 'ACT', 'PAYMENT_ORDER', 'COMMERCIAL_OFFER', 'OTHER')) not null, "prefix" varchar(10) not null, "updated_at" timestamptz not null default now(), constraint "document_journal_settings_pkey" primary key ("document_type"));`);

    this.addSql(`create table "document_links" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "source_id" uuid not null, "target_id" uuid not null, "kind" text check ("kind" in ('SUPPLEMENT_TO', 'INVOICE_FOR', 'ACT_FOR', 'PAYMENT_FOR', 'REPLY_TO', 'RELATED')) not null, "created_by_id" uuid null, constraint "document_links_pkey" primary key ("id"));`);
    this.addSql(`create index "document_links_source_id_index" on "document_links" ("source_id");`);
    this.addSql(`create index "document_links_target_id_index" on "document_links" ("target_id");`);
    this.addSql(`alter table "document_links" add constraint "document_links_unique" unique ("source_id", "target_id", "kind");`);

    this.addSql(`create table "document_versions" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "document_id" uuid not null, "number" int not null, "comment" text null, "author_id" uuid null, constraint "document_versions_pkey" primary key ("id"));`);
    this.addSql(`create index "document_versions_document_id_index" on "document_versions" ("document_id");`);
    this.addSql(`alter table "document_versions" add constraint "document_versions_number_unique" unique ("document_id", "number");`);

    this.addSql(`create table "document_version_files" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version_id" uuid not null, "stored_file_id" uuid not null, "position" int not null, constraint "document_version_files_pkey" primary key ("id"));`);
    this.addSql(`create index "document_version_files_version_id_index" on "document_version_files" ("version_id");`);
    this.addSql(`create index "document_version_files_stored_file_id_index" on "document_version_files" ("stored_file_id");`);
    this.addSql(`alter table "document_version_files" add constraint "document_version_files_unique" unique ("version_id", "stored_file_id");`);

    this.addSql(`create table "inbox_events" ("event_id" uuid not null, "consumer" varchar(100) not null, "processed_at" timestamptz not null default now(), constraint "inbox_events_pkey" primary key ("event_id", "consumer"));`);

    this.addSql(`create table "mail_outbox" ("id" uuid not null, "notification_id" uuid not null, "user_id" uuid not null, "to_address" varchar(320) not null, "subject" varchar(500) not null, "text" text not null, "html" text not null, "status" text check ("status" in ('PENDING', 'SENT', 'FAILED')) not null default 'PENDING', "attempts" int not null default 0, "next_attempt_at" timestamptz not null default now(), "sent_at" timestamptz null, "last_error" text null, "message_id" varchar(255) not null, "created_at" timestamptz not null default now(), constraint "mail_outbox_pkey" primary key ("id"));`);
    this.addSql(`create index "mail_outbox_notification_id_index" on "mail_outbox" ("notification_id");`);
    this.addSql(`alter table "mail_outbox" add constraint "mail_outbox_message_id_unique" unique ("message_id");`);
    this.addSql(`create index "mail_outbox_due_index" on "mail_outbox" ("next_attempt_at") where "status" = 'PENDING';`);

    this.addSql(`create table "notifications" ("id" uuid not null, "user_id" uuid not null, "kind" text check ("kind" in ('APPROVAL_TASK', 'REWORK_NEEDED', 'ACKNOWLEDGEMENT_REQUESTED', 'DEADLINE_PASSED', 'DOCUMENT_SIGNED', 'DECISION_MADE')) not null, "document_id" uuid not null, "params" jsonb not null, "created_at" timestamptz not null default now(), "read_at" timestamptz null, constraint "notifications_pkey" primary key ("id"));`);
    this.addSql(`create index "notifications_unread_index" on "notifications" ("user_id", "created_at") where "read_at" is null;`);
    this.addSql(`create index "notifications_inbox_index" on "notifications" ("user_id", "created_at", "id");`);

    this.addSql(`create table "notification_preferences" ("id" uuid not null, "user_id" uuid not null, "kind" text check ("kind" in ('APPROVAL_TASK', 'REWORK_NEEDED', 'ACKNOWLEDGEMENT_REQUESTED', 'DEADLINE_PASSED', 'DOCUMENT_SIGNED', 'DECISION_MADE')) not null, "email_muted" boolean not null default false, "updated_at" timestamptz not null default now(), constraint "notification_preferences_pkey" primary key ("id"));`);
    this.addSql(`alter table "notification_preferences" add constraint "notification_preferences_user_kind_unique" unique ("user_id", "kind");`);

    this.addSql(`create table "outbox_events" ("id" uuid not null, "topic" varchar(200) not null, "payload" jsonb not null, "created_at" timestamptz not null default now(), "published_at" timestamptz null, constraint "outbox_events_pkey" primary key ("id"));`);
    this.addSql(`create index "outbox_events_unpublished_index" on "outbox_events" ("created_at", "id") where "published_at" is null;`);

    this.addSql(`create table "route_templates" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(200) not null, "document_type" text check ("document_type" in ('INCOMING_LETTER', 'OUTGOING_LETTER', 'CONTRACT', 'SUPPLEMENTARY_AGREEMENT', 'INVOICE', 'ACT', 'PAYMENT_ORDER', 'COMMERCIAL_OFFER', 'OTHER')) not null, "is_default" boolean not null default false, "active" boolean not null default true, "stage_specs" jsonb not null, "created_by_id" uuid null, "version" int not null default 1, constraint "route_templates_pkey" primary key ("id"));`);
    this.addSql(`create index "route_templates_type_index" on "route_templates" ("document_type", "active");`);

    this.addSql(`create table "staff_members" ("id" uuid not null, "email" varchar(254) not null, "name" varchar(200) not null, "roles" text[] not null, "active" boolean not null default true, "updated_at" timestamptz not null, constraint "staff_members_pkey" primary key ("id"));`);
    this.addSql(`create index "staff_members_name_index" on "staff_members" ("name");`);

    this.addSql(`create table "stored_files" ("id" uuid not null, "sha256" char(64) not null, "size" bigint not null, "content_type" varchar(255) not null, "name" varchar(255) not null, "uploaded_by_id" uuid null, "created_at" timestamptz not null default now(), constraint "stored_files_pkey" primary key ("id"));`);
    this.addSql(`create index "stored_files_sha256_index" on "stored_files" ("sha256");`);

    this.addSql(`alter table "documents" add column "responsible_id" uuid null, add column "summary" text null, add column "restricted" boolean not null default false, add column "registered_at" timestamptz null, add column "signed_at" timestamptz null, add column "current_version_number" int not null default 0, add column "subject" text null, add column "vat_minor" bigint null, add column "start_date" date null, add column "end_date" date null, add column "payment_terms" text null, add column "due_date" date null, add column "period_start" date null, add column "period_end" date null, add column "payment_date" date null, add column "payer" varchar(500) null, add column "payee" varchar(500) null, add column "correspondent" varchar(500) null, add column "sender_number" varchar(100) null, add column "sender_date" date null;`);
    this.addSql(`create index "documents_responsible_id_index" on "documents" ("responsible_id");`);
    this.addSql(`create index "documents_status_index" on "documents" ("status");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "acknowledgements" cascade;`);

    this.addSql(`drop table if exists "approval_routes" cascade;`);

    this.addSql(`drop table if exists "approval_stages" cascade;`);

    this.addSql(`drop table if exists "approval_steps" cascade;`);

    this.addSql(`drop table if exists "audit_records" cascade;`);

    this.addSql(`drop table if exists "document_journals" cascade;`);

    this.addSql(`drop table if exists "document_journal_settings" cascade;`);

    this.addSql(`drop table if exists "document_links" cascade;`);

    this.addSql(`drop table if exists "document_versions" cascade;`);

    this.addSql(`drop table if exists "document_version_files" cascade;`);

    this.addSql(`drop table if exists "inbox_events" cascade;`);

    this.addSql(`drop table if exists "mail_outbox" cascade;`);

    this.addSql(`drop table if exists "notifications" cascade;`);

    this.addSql(`drop table if exists "notification_preferences" cascade;`);

    this.addSql(`drop table if exists "outbox_events" cascade;`);

    this.addSql(`drop table if exists "route_templates" cascade;`);

    this.addSql(`drop table if exists "staff_members" cascade;`);

    this.addSql(`drop table if exists "stored_files" cascade;`);

    this.addSql(`drop index "documents_responsible_id_index";`);
    this.addSql(`drop index "documents_status_index";`);
    this.addSql(`alter table "documents" drop column "responsible_id", drop column "summary", drop column "restricted", drop column "registered_at", drop column "signed_at", drop column "current_version_number", drop column "subject", drop column "vat_minor", drop column "start_date", drop column "end_date", drop column "payment_terms", drop column "due_date", drop column "period_start", drop column "period_end", drop column "payment_date", drop column "payer", drop column "payee", drop column "correspondent", drop column "sender_number", drop column "sender_date";`);
  }

}
