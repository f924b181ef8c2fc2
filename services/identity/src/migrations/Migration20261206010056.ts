import { Migration } from '@mikro-orm/migrations';

export class Migration20261206010056 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "refresh_tokens" ("id" uuid not null, "session_id" uuid not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "used_at" timestamptz null, constraint "refresh_tokens_pkey" primary key ("id"));`);
    this.addSql(`create index "refresh_tokens_session_id_index" on "refresh_tokens" ("session_id");`);
    this.addSql(`alter table "refresh_tokens" add constraint "refresh_tokens_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "sessions" ("id" uuid not null, "user_id" uuid not null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "revoked_at" timestamptz null, "revoke_reason" varchar(32) null, "client_address" varchar(64) null, constraint "sessions_pkey" primary key ("id"));`);
    this.addSql(`create index "sessions_user_id_index" on "sessions" ("user_id");`);

    this.addSql(`alter table "login_failures" add column "client_address" varchar(64) not null default 'unknown';`);
    this.addSql(`create index "login_failures_email_client_address_at_index" on "login_failures" ("email", "client_address", "at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "refresh_tokens" cascade;`);

    this.addSql(`drop table if exists "sessions" cascade;`);

    this.addSql(`drop index "login_failures_email_client_address_at_index";`);
    this.addSql(`alter table "login_failures" drop column "client_address";`);
  }

}
