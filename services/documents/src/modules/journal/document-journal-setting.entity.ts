import { Entity, Enum, Property, type Opt } from '@mikro-orm/core';
import { DocumentType } from '../document/document.entity';

/** A configured number prefix of a document type; a type without a row uses its default (journal.service.ts). */
@Entity({ tableName: 'document_journal_settings' })
export class DocumentJournalSetting {
  @Enum({ items: () => DocumentType, primary: true })
  documentType!: DocumentType;

  @Property({ type: 'string', length: 10 })
  prefix!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Opt<Date> = new Date();
}
