import { Migration } from '@mikro-orm/migrations';

/** The staff read model of responsible managers (kit's UserRef, from identity's events) and the consumer's inbox. */
export class Migration20261206014249 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "inbox_events" ("event_id" uuid not null, "consumer" varchar(100) not null, "processed_at" timestamptz not null default now(), constraint "inbox_events_pkey" primary key ("event_id", "consumer"));`);

    this.addSql(`create table "user_refs" ("id" uuid not null, "email" varchar(254) not null, "name" varchar(200) not null, "roles" text[] not null, "active" boolean not null default true, "updated_at" timestamptz not null, constraint "user_refs_pkey" primary key ("id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "inbox_events" cascade;`);

    this.addSql(`drop table if exists "user_refs" cascade;`);
  }

}
