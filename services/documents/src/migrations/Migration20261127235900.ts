import { Migration } from '@mikro-orm/migrations';
import { auditAppendOnlySql } from '../modules/audit/audit.sql';

/**
 * What the entity diff cannot express (hand-written, runs after the generated EDMS migration): the audit
 * trail is append-only (triggers), and the registry's number/text search uses trigram indexes.
 */
export class Migration20261127235900 extends Migration {
  override async up(): Promise<void> {
    for (const statement of auditAppendOnlySql.up) this.addSql(statement);
    this.addSql('create extension if not exists pg_trgm;');
    this.addSql('create index if not exists "documents_title_trgm_index" on "documents" using gin ("title" gin_trgm_ops);');
    this.addSql('create index if not exists "documents_number_trgm_index" on "documents" using gin ("number" gin_trgm_ops);');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "documents_number_trgm_index";');
    this.addSql('drop index if exists "documents_title_trgm_index";');
    for (const statement of auditAppendOnlySql.down) this.addSql(statement);
  }
}
