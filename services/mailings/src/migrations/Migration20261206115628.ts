import { Migration } from '@mikro-orm/migrations';

export class Migration20261206115628 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "audience_contacts" ("id" uuid not null, "counterparty_id" uuid not null, "name" varchar(300) not null, "email" varchar(254) null, "mailing_consent" boolean not null default false, "mailing_consent_at" timestamptz null, constraint "audience_contacts_pkey" primary key ("id"));`);
    this.addSql(`create index "audience_contacts_counterparty_index" on "audience_contacts" ("counterparty_id");`);

    this.addSql(`create table "audience_counterparties" ("id" uuid not null, "name" varchar(500) not null, "short_name" varchar(200) null, "status" varchar(30) not null, "tags" text[] not null default '{}', "responsible_manager_id" uuid null, "updated_at" timestamptz not null, constraint "audience_counterparties_pkey" primary key ("id"));`);
    this.addSql(`create index "audience_counterparties_status_index" on "audience_counterparties" ("status");`);
    this.addSql(`create index "audience_counterparties_manager_index" on "audience_counterparties" ("responsible_manager_id");`);

    this.addSql(`create table "audience_ratings" ("counterparty_id" uuid not null, "score" double precision null, "computed_at" timestamptz not null, constraint "audience_ratings_pkey" primary key ("counterparty_id"));`);

    this.addSql(`create table "inbox_events" ("event_id" uuid not null, "consumer" varchar(100) not null, "processed_at" timestamptz not null default now(), constraint "inbox_events_pkey" primary key ("event_id", "consumer"));`);

    this.addSql(`create table "mailings" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(200) not null, "subject" varchar(500) not null, "body_mjml" text not null, "status" text check ("status" in ('DRAFT', 'ON_APPROVAL', 'APPROVED', 'REJECTED', 'SENDING', 'PAUSED', 'COMPLETED', 'CANCELLED')) not null default 'DRAFT', "audience" jsonb not null, "rate_per_minute" int not null default 60, "rate_per_hour" int not null default 1000, "attachment_file_name" varchar(255) null, "attachment_content_type" varchar(255) null, "attachment_size" int null, "approval_document_id" uuid null, "approval_comment" text null, "created_by_id" uuid null, "started_at" timestamptz null, "finished_at" timestamptz null, "version" int not null default 1, constraint "mailings_pkey" primary key ("id"));`);
    this.addSql(`create index "mailings_status_index" on "mailings" ("status");`);
    this.addSql(`create index "mailings_approval_document_index" on "mailings" ("approval_document_id");`);
    this.addSql(`create index "mailings_order_index" on "mailings" ("created_at", "id");`);

    this.addSql(`create table "mailing_attachments" ("mailing_id" uuid not null, "bytes" bytea not null, "sha256" varchar(64) not null, "created_at" timestamptz not null default now(), constraint "mailing_attachments_pkey" primary key ("mailing_id"));`);
    this.addSql(`comment on column "mailing_attachments"."sha256" is 'sha-256 of the bytes, hex';`);

    this.addSql(`create table "mailing_recipients" ("id" uuid not null, "mailing_id" uuid not null, "counterparty_id" uuid not null, "contact_id" uuid not null, "contact_name" varchar(300) null, "email" varchar(254) not null, "status" text check ("status" in ('QUEUED', 'SENT', 'FAILED', 'BOUNCED', 'UNSUBSCRIBED')) not null default 'QUEUED', "attempts" int not null default 0, "next_attempt_at" timestamptz null, "last_error" text null, "bounce_kind" text check ("bounce_kind" in ('HARD', 'SOFT')) null, "message_id" varchar(255) null, "sent_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "mailing_recipients_pkey" primary key ("id"));`);
    this.addSql(`create index "mailing_recipients_queue_index" on "mailing_recipients" ("next_attempt_at", "id") where "status" = 'QUEUED';`);
    this.addSql(`create index "mailing_recipients_counterparty_order_index" on "mailing_recipients" ("counterparty_id", "created_at", "id");`);
    this.addSql(`alter table "mailing_recipients" add constraint "mailing_recipients_mailing_email_unique" unique ("mailing_id", "email");`);

    this.addSql(`create table "outbox_events" ("id" uuid not null, "topic" varchar(200) not null, "payload" jsonb not null, "created_at" timestamptz not null default now(), "published_at" timestamptz null, constraint "outbox_events_pkey" primary key ("id"));`);
    this.addSql(`create index "outbox_events_unpublished_index" on "outbox_events" ("created_at", "id") where "published_at" is null;`);

    this.addSql(`create table "suppressions" ("id" uuid not null, "email" varchar(254) not null, "reason" text check ("reason" in ('UNSUBSCRIBED', 'HARD_BOUNCE', 'MANUAL')) not null, "mailing_id" uuid null, "created_at" timestamptz not null default now(), constraint "suppressions_pkey" primary key ("id"));`);
    this.addSql(`alter table "suppressions" add constraint "suppressions_email_unique" unique ("email");`);

    this.addSql(`create table "user_refs" ("id" uuid not null, "email" varchar(254) not null, "name" varchar(200) not null, "roles" text[] not null, "active" boolean not null default true, "updated_at" timestamptz not null, constraint "user_refs_pkey" primary key ("id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "audience_contacts" cascade;`);

    this.addSql(`drop table if exists "audience_counterparties" cascade;`);

    this.addSql(`drop table if exists "audience_ratings" cascade;`);

    this.addSql(`drop table if exists "inbox_events" cascade;`);

    this.addSql(`drop table if exists "mailings" cascade;`);

    this.addSql(`drop table if exists "mailing_attachments" cascade;`);

    this.addSql(`drop table if exists "mailing_recipients" cascade;`);

    this.addSql(`drop table if exists "outbox_events" cascade;`);

    this.addSql(`drop table if exists "suppressions" cascade;`);

    this.addSql(`drop table if exists "user_refs" cascade;`);
  }

}
