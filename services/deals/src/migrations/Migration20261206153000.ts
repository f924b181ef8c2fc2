import { Migration } from '@mikro-orm/migrations';

/**
 * The deal board's totals per (template, stage, currency), kept by a trigger on `deals` (issue 10): the board read
 * a count and a sum over every deal of the template on each request (150 000 rows per template in the benchmark
 * dataset, 190–380 ms); now it reads a dozen rows. A trigger, not the service, keeps them, so every write path —
 * the service, the previous release during a rolling update, data fixes in SQL, `bench:data` — keeps them right.
 * Moves between stages update the two rows in key order, so concurrent opposite moves cannot deadlock. Deals
 * without a template (from before templates) are on no board and have no totals.
 * Hand-written: no entity declares the table, so a generated migration that proposes dropping it must be edited.
 * Creating the trigger locks out writes to `deals` until the backfill below commits (about a second per 300 000 deals).
 */
export class Migration20261206153000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "deal_stage_totals" ("template_id" uuid not null, "stage" text not null, "currency" text not null, "deal_count" int not null, "amount_minor" bigint not null, constraint "deal_stage_totals_pkey" primary key ("template_id", "stage", "currency"));`);
    this.addSql(`create function deal_stage_totals_add(p_template uuid, p_stage text, p_currency text, p_count int, p_amount bigint) returns void language sql as $$
      insert into deal_stage_totals as t (template_id, stage, currency, deal_count, amount_minor) values (p_template, p_stage, p_currency, p_count, p_amount)
      on conflict (template_id, stage, currency) do update set deal_count = t.deal_count + excluded.deal_count, amount_minor = t.amount_minor + excluded.amount_minor
    $$;`);
    this.addSql(`create function deal_stage_totals_apply() returns trigger language plpgsql as $$
      declare
        old_key text;
        new_key text;
      begin
        -- deals without a template (before templates) are on no board
        if tg_op in ('UPDATE', 'DELETE') and old.template_id is null then
          if new.template_id is not null then
            perform deal_stage_totals_add(new.template_id, new.stage, coalesce(new.currency, ''), 1, coalesce(new.amount_minor, 0));
          end if;
          return null;
        end if;
        if tg_op in ('INSERT', 'UPDATE') and new.template_id is null then
          if tg_op = 'UPDATE' then
            perform deal_stage_totals_add(old.template_id, old.stage, coalesce(old.currency, ''), -1, -coalesce(old.amount_minor, 0));
          end if;
          return null;
        end if;
        if tg_op = 'INSERT' then
          perform deal_stage_totals_add(new.template_id, new.stage, coalesce(new.currency, ''), 1, coalesce(new.amount_minor, 0));
        elsif tg_op = 'DELETE' then
          perform deal_stage_totals_add(old.template_id, old.stage, coalesce(old.currency, ''), -1, -coalesce(old.amount_minor, 0));
        else
          old_key := old.template_id::text || '|' || old.stage || '|' || coalesce(old.currency, '');
          new_key := new.template_id::text || '|' || new.stage || '|' || coalesce(new.currency, '');
          if old_key = new_key then
            perform deal_stage_totals_add(new.template_id, new.stage, coalesce(new.currency, ''), 0, coalesce(new.amount_minor, 0) - coalesce(old.amount_minor, 0));
          elsif old_key < new_key then
            perform deal_stage_totals_add(old.template_id, old.stage, coalesce(old.currency, ''), -1, -coalesce(old.amount_minor, 0));
            perform deal_stage_totals_add(new.template_id, new.stage, coalesce(new.currency, ''), 1, coalesce(new.amount_minor, 0));
          else
            perform deal_stage_totals_add(new.template_id, new.stage, coalesce(new.currency, ''), 1, coalesce(new.amount_minor, 0));
            perform deal_stage_totals_add(old.template_id, old.stage, coalesce(old.currency, ''), -1, -coalesce(old.amount_minor, 0));
          end if;
        end if;
        return null;
      end
    $$;`);
    this.addSql(`create trigger "deals_stage_totals" after insert or delete or update of "template_id", "stage", "currency", "amount_minor" on "deals" for each row execute function deal_stage_totals_apply();`);
    this.addSql(`insert into "deal_stage_totals" ("template_id", "stage", "currency", "deal_count", "amount_minor")
      select "template_id", "stage", coalesce("currency", ''), count(*), coalesce(sum("amount_minor"), 0) from "deals" where "template_id" is not null group by 1, 2, 3;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "deals_stage_totals" on "deals";`);
    this.addSql(`drop function if exists deal_stage_totals_apply();`);
    this.addSql(`drop function if exists deal_stage_totals_add(uuid, text, text, int, bigint);`);
    this.addSql(`drop table if exists "deal_stage_totals";`);
  }

}
