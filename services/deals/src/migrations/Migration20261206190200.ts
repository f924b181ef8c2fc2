import { Migration } from '@mikro-orm/migrations';

/**
 * Slotted board totals (issue 10): `deal_stage_totals` (Migration20261206153000) had one row per (template, stage,
 * currency), so every new deal of a template's first stage updated the same row and held its lock until commit —
 * concurrent createDeal calls queued on it (p95 154–156 ms with 4 clients on the benchmark dataset). Each
 * (template, stage, currency) now has up to 16 rows, `slot` 0..15 taken from the deal id's last byte (random in a
 * v4 uuid; `uuid_send` is immutable and, unlike `hashtext`, the same on every PostgreSQL version), so concurrent
 * writers mostly touch different rows. A deal keeps its slot for life (its id), so each slot row counts its own
 * deals — and should an id ever change, the sum over a stage's slots, all the board reads, stays right. The board
 * sums over slots (it groups by stage, which the previous release's board query does too, so both releases read the
 * slotted table right during a rolling update). Moves update the two rows in key order — now compared as a
 * row value including the slot rather than as a joined string, which two keys could spell alike — so concurrent
 * opposite moves cannot deadlock.
 * Hand-written: no entity declares the table, so a generated migration that proposes dropping it must be edited.
 * The slotted table is built beside the old one from `deals` while writes to `deals` are locked out (about a second
 * per 300 000 deals; reads go on, the board included), then swapped in: the board waits only for the swap.
 * `down` sums the slots back into the unslotted table and the previous functions (same swap).
 */
export class Migration20261206190200 extends Migration {

  override async up(): Promise<void> {
    // no deal may change between the rebuild and the new trigger function: writes wait, reads do not
    this.addSql(`lock table "deals" in share row exclusive mode;`);
    this.addSql(`create table "deal_stage_totals_slotted" ("template_id" uuid not null, "stage" text not null, "currency" text not null, "slot" smallint not null, "deal_count" int not null, "amount_minor" bigint not null, constraint "deal_stage_totals_slot_check" check ("slot" between 0 and 15), constraint "deal_stage_totals_slotted_pkey" primary key ("template_id", "stage", "currency", "slot"));`);
    this.addSql(`create function deal_stage_totals_slot(p_id uuid) returns smallint language sql immutable parallel safe as $$
      select (get_byte(uuid_send(p_id), 15) % 16)::smallint
    $$;`);
    this.addSql(`insert into "deal_stage_totals_slotted" ("template_id", "stage", "currency", "slot", "deal_count", "amount_minor")
      select "template_id", "stage", coalesce("currency", ''), deal_stage_totals_slot("id"), count(*), coalesce(sum("amount_minor"), 0)
      from "deals" where "template_id" is not null group by 1, 2, 3, 4;`);
    // the swap (the board waits from here to the commit); the functions below are checked against the new table
    this.addSql(`drop table "deal_stage_totals";`);
    this.addSql(`alter table "deal_stage_totals_slotted" rename to "deal_stage_totals";`);
    this.addSql(`alter table "deal_stage_totals" rename constraint "deal_stage_totals_slotted_pkey" to "deal_stage_totals_pkey";`);
    this.addSql(`create function deal_stage_totals_add(p_template uuid, p_stage text, p_currency text, p_slot smallint, p_count int, p_amount bigint) returns void language sql as $$
      insert into deal_stage_totals as t (template_id, stage, currency, slot, deal_count, amount_minor) values (p_template, p_stage, p_currency, p_slot, p_count, p_amount)
      on conflict (template_id, stage, currency, slot) do update set deal_count = t.deal_count + excluded.deal_count, amount_minor = t.amount_minor + excluded.amount_minor
    $$;`);
    // the trigger keeps calling the function by its oid: replacing it needs no new trigger (which would lock out reads)
    this.addSql(`create or replace function deal_stage_totals_apply() returns trigger language plpgsql as $$
      declare
        old_slot smallint;
        new_slot smallint;
      begin
        if tg_op in ('UPDATE', 'DELETE') then
          old_slot := deal_stage_totals_slot(old.id);
        end if;
        if tg_op in ('INSERT', 'UPDATE') then
          new_slot := deal_stage_totals_slot(new.id);
        end if;
        -- deals without a template (before templates) are on no board
        if tg_op in ('UPDATE', 'DELETE') and old.template_id is null then
          if new.template_id is not null then
            perform deal_stage_totals_add(new.template_id, new.stage, coalesce(new.currency, ''), new_slot, 1, coalesce(new.amount_minor, 0));
          end if;
          return null;
        end if;
        if tg_op in ('INSERT', 'UPDATE') and new.template_id is null then
          if tg_op = 'UPDATE' then
            perform deal_stage_totals_add(old.template_id, old.stage, coalesce(old.currency, ''), old_slot, -1, -coalesce(old.amount_minor, 0));
          end if;
          return null;
        end if;
        if tg_op = 'INSERT' then
          perform deal_stage_totals_add(new.template_id, new.stage, coalesce(new.currency, ''), new_slot, 1, coalesce(new.amount_minor, 0));
        elsif tg_op = 'DELETE' then
          perform deal_stage_totals_add(old.template_id, old.stage, coalesce(old.currency, ''), old_slot, -1, -coalesce(old.amount_minor, 0));
        elsif (old.template_id, old.stage::text, coalesce(old.currency, ''), old_slot) = (new.template_id, new.stage::text, coalesce(new.currency, ''), new_slot) then
          perform deal_stage_totals_add(new.template_id, new.stage, coalesce(new.currency, ''), new_slot, 0, coalesce(new.amount_minor, 0) - coalesce(old.amount_minor, 0));
        elsif (old.template_id, old.stage::text, coalesce(old.currency, ''), old_slot) < (new.template_id, new.stage::text, coalesce(new.currency, ''), new_slot) then
          perform deal_stage_totals_add(old.template_id, old.stage, coalesce(old.currency, ''), old_slot, -1, -coalesce(old.amount_minor, 0));
          perform deal_stage_totals_add(new.template_id, new.stage, coalesce(new.currency, ''), new_slot, 1, coalesce(new.amount_minor, 0));
        else
          perform deal_stage_totals_add(new.template_id, new.stage, coalesce(new.currency, ''), new_slot, 1, coalesce(new.amount_minor, 0));
          perform deal_stage_totals_add(old.template_id, old.stage, coalesce(old.currency, ''), old_slot, -1, -coalesce(old.amount_minor, 0));
        end if;
        return null;
      end
    $$;`);
    this.addSql(`drop function deal_stage_totals_add(uuid, text, text, int, bigint);`);
  }

  override async down(): Promise<void> {
    this.addSql(`lock table "deals" in share row exclusive mode;`);
    this.addSql(`create table "deal_stage_totals_unslotted" ("template_id" uuid not null, "stage" text not null, "currency" text not null, "deal_count" int not null, "amount_minor" bigint not null, constraint "deal_stage_totals_unslotted_pkey" primary key ("template_id", "stage", "currency"));`);
    this.addSql(`insert into "deal_stage_totals_unslotted" ("template_id", "stage", "currency", "deal_count", "amount_minor")
      select "template_id", "stage", "currency", sum("deal_count"), sum("amount_minor") from "deal_stage_totals" group by 1, 2, 3;`);
    this.addSql(`drop table "deal_stage_totals";`);
    this.addSql(`alter table "deal_stage_totals_unslotted" rename to "deal_stage_totals";`);
    this.addSql(`alter table "deal_stage_totals" rename constraint "deal_stage_totals_unslotted_pkey" to "deal_stage_totals_pkey";`);
    this.addSql(`create function deal_stage_totals_add(p_template uuid, p_stage text, p_currency text, p_count int, p_amount bigint) returns void language sql as $$
      insert into deal_stage_totals as t (template_id, stage, currency, deal_count, amount_minor) values (p_template, p_stage, p_currency, p_count, p_amount)
      on conflict (template_id, stage, currency) do update set deal_count = t.deal_count + excluded.deal_count, amount_minor = t.amount_minor + excluded.amount_minor
    $$;`);
    // Migration20261206153000's function, as it was
    this.addSql(`create or replace function deal_stage_totals_apply() returns trigger language plpgsql as $$
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
    this.addSql(`drop function deal_stage_totals_add(uuid, text, text, smallint, int, bigint);`);
    this.addSql(`drop function deal_stage_totals_slot(uuid);`);
  }

}
