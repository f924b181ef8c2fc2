import { Migration } from '@mikro-orm/migrations';

export class Migration20261206010116 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "api_keys" add column "rate_limit_per_minute" int null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_keys" drop column "rate_limit_per_minute";`);
  }

}
