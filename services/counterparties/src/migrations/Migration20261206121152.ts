import { Migration } from '@mikro-orm/migrations';

/**
 * Contacts' mailing consent (issue 12). Generated, then reviewed: the generator also proposed dropping the hash chain
 * columns of counterparty_changes and two hand-written indexes, which no entity declares but earlier migrations
 * created on purpose — those lines were removed.
 */
export class Migration20261206121152 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "counterparty_contacts" add column "mailing_consent" boolean not null default false, add column "mailing_consent_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "counterparty_contacts" drop column "mailing_consent", drop column "mailing_consent_at";`);
  }

}
