import { Entity, Enum, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';
import { DocumentType } from '../document/document.entity';

/**
 * The registration journal of one document type in one year: the last number taken. JournalService takes
 * the next number with one upsert whose row lock serialises registrations until the caller commits.
 */
@Entity({ tableName: 'document_journals' })
export class DocumentJournal {
  [PrimaryKeyProp]?: ['documentType', 'year'];

  @Enum({ items: () => DocumentType, primary: true })
  documentType!: DocumentType;

  @PrimaryKey({ type: 'integer' })
  year!: number;

  @Property({ type: 'integer' })
  lastNumber!: number;
}
