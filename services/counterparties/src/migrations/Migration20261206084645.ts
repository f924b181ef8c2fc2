import { hashChainSql } from '@kartoteka/kit';
import { Migration } from '@mikro-orm/migrations';
import { COUNTERPARTY_HISTORY_CHAIN } from '../modules/counterparty/counterparty-history.chain';
import { OWN_HISTORY_BACKFILL_SQL } from '../modules/timeline/timeline.projection';

/**
 * Issue 11: the counterparty timeline (a projection of every service's events: entries, what it knows of other
 * services' objects, events waiting for one), filled here with the counterparties' own history; and the hash chain
 * over `counterparty_changes` (existing entries chained in order, then the chaining and append-only triggers).
 */
export class Migration20261206084645 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "timeline_entries" ("event_id" uuid not null, "counterparty_id" uuid not null, "occurred_at" timestamptz not null, "kind" varchar(40) not null, "actor_id" uuid null, "subject_type" varchar(20) not null, "subject_id" uuid not null, "subject_title" varchar(500) null, "summary" jsonb not null, "source" varchar(40) not null, constraint "timeline_entries_pkey" primary key ("event_id", "counterparty_id"));`);
    this.addSql(`create index if not exists "timeline_entries_feed_index" on "timeline_entries" ("counterparty_id", "occurred_at" desc, "event_id" desc);`);
    this.addSql(`create table if not exists "timeline_refs" ("subject_type" varchar(20) not null, "subject_id" uuid not null, "counterparty_id" uuid not null, "title" varchar(500) null, constraint "timeline_refs_pkey" primary key ("subject_type", "subject_id", "counterparty_id"));`);
    this.addSql(`create table if not exists "timeline_pending" ("event_id" uuid not null, "topic" varchar(200) not null, "producer" varchar(50) not null, "payload" jsonb not null, "occurred_at" timestamptz not null, "ref_type" varchar(20) not null, "ref_id" uuid not null, "reason" text not null, "parked_at" timestamptz not null default now(), constraint "timeline_pending_pkey" primary key ("event_id"));`);
    this.addSql(`create index if not exists "timeline_pending_ref_type_ref_id_index" on "timeline_pending" ("ref_type", "ref_id");`);
    this.addSql(OWN_HISTORY_BACKFILL_SQL);
    for (const sql of hashChainSql(COUNTERPARTY_HISTORY_CHAIN).up) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const sql of hashChainSql(COUNTERPARTY_HISTORY_CHAIN).down) this.addSql(sql);
    this.addSql(`drop table if exists "timeline_pending" cascade;`);
    this.addSql(`drop table if exists "timeline_refs" cascade;`);
    this.addSql(`drop table if exists "timeline_entries" cascade;`);
  }

}
