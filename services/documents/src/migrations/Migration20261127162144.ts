import { Migration } from '@mikro-orm/migrations';

export class Migration20261127162144 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "documents" add column "source_action_id" uuid null;`);
    this.addSql(`alter table "documents" add constraint "documents_source_action_unique" unique ("source_action_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "documents" drop constraint "documents_source_action_unique";`);
    this.addSql(`alter table "documents" drop column "source_action_id";`);
  }

}
