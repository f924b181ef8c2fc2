import { Migration } from '@mikro-orm/migrations';

export class Migration20261127134714 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "login_failures" ("id" uuid not null, "email" varchar(254) not null, "at" timestamptz not null default now(), constraint "login_failures_pkey" primary key ("id"));`);
    this.addSql(`create index "login_failures_email_at_index" on "login_failures" ("email", "at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "login_failures" cascade;`);
  }

}
