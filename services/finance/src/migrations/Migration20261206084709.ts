import { Migration } from '@mikro-orm/migrations';

/**
 * "Overdue invoices of my counterparties" (My day): finance keeps who is responsible for each counterparty, from
 * the counterparties service's events (`responsibleManagerId`, now part of kit's counterparty contract). Filled by the
 * consumer from the next event of each counterparty on; for the existing ones run counterparties' `events republish`,
 * or finance's `events rebuild-counterparties`.
 */
export class Migration20261206084709 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "counterparty_managers" ("counterparty_id" uuid not null, "responsible_manager_id" uuid null, "updated_at" timestamptz not null, constraint "counterparty_managers_pkey" primary key ("counterparty_id"));`);
    this.addSql(`create index "counterparty_managers_manager_index" on "counterparty_managers" ("responsible_manager_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "counterparty_managers" cascade;`);
  }

}
