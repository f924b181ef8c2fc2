import { Migration } from '@mikro-orm/migrations';

export class Migration20261206120346 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "mailing_delivery_attempts" ("id" uuid not null, "mailing_id" uuid not null, "recipient_id" uuid not null, "attempt" int not null, "claimed_at" timestamptz not null, "finished_at" timestamptz null, "outcome" varchar(20) null, "response_code" int null, constraint "mailing_delivery_attempts_pkey" primary key ("id"));`);
    this.addSql(`create index "mailing_delivery_attempts_recipient_index" on "mailing_delivery_attempts" ("recipient_id");`);
    this.addSql(`create index "mailing_delivery_attempts_mailing_claimed_index" on "mailing_delivery_attempts" ("mailing_id", "claimed_at");`);
    this.addSql(`create index "mailing_delivery_attempts_claimed_index" on "mailing_delivery_attempts" ("claimed_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "mailing_delivery_attempts" cascade;`);
  }

}
