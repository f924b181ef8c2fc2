import { Migration } from '@mikro-orm/migrations';

/**
 * The outbox of counterparties' lifecycle events, and one `counterparties.counterparty.created` event with the
 * current state of every counterparty that existed before the service published events: other services' read
 * models, subscribing later, get every counterparty from the bus's history.
 */
export class Migration20261206010200 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "outbox_events" ("id" uuid not null, "topic" varchar(200) not null, "payload" jsonb not null, "created_at" timestamptz not null default now(), "published_at" timestamptz null, constraint "outbox_events_pkey" primary key ("id"));`);
    this.addSql(`create index "outbox_events_unpublished_index" on "outbox_events" ("created_at", "id") where "published_at" is null;`);
    this.addSql(`insert into "outbox_events" ("id", "topic", "payload", "created_at")
      select gen_random_uuid(), 'counterparties.counterparty.created',
        jsonb_build_object('id', c."id", 'name', c."name", 'shortName', c."short_name", 'inn', c."inn", 'kpp', c."kpp", 'status', c."status",
          'updatedAt', to_char(c."updated_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
        now()
      from "counterparties" c order by c."created_at", c."id";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "outbox_events" cascade;`);
  }

}
