import { Migration } from '@mikro-orm/migrations';

export class Migration20261127153845 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "outbox_events" ("id" uuid not null, "topic" varchar(200) not null, "payload" jsonb not null, "created_at" timestamptz not null default now(), "published_at" timestamptz null, constraint "outbox_events_pkey" primary key ("id"));`);
    this.addSql(`create index "outbox_events_unpublished_index" on "outbox_events" ("created_at", "id") where "published_at" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "outbox_events" cascade;`);
  }

}
