import { Entity, Index, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '@kartoteka/kit';
import { Field, ID, Int, ObjectType } from 'type-graphql';

/**
 * A version of a document: an immutable set of files with a comment. Decisions and acknowledgements are
 * recorded against the version they were made on.
 */
@ObjectType({ description: 'A version of a document: its files at one point of its life' })
@Entity({ tableName: 'document_versions' })
@Unique({ name: 'document_versions_number_unique', properties: ['documentId', 'number'] })
export class DocumentVersion extends BaseEntity {
  @Field(() => ID)
  @Index()
  @Property({ type: 'uuid' })
  documentId!: string;

  @Field(() => Int, { description: '1, 2, 3… within the document' })
  @Property({ type: 'integer' })
  number!: number;

  @Field(() => String, { nullable: true, description: 'What changed in this version' })
  @Property({ type: 'text', nullable: true })
  comment: string | null = null;

  /** The staff member who added the version; null for a partner system. */
  @Property({ type: 'uuid', nullable: true })
  authorId: string | null = null;
}

/** A file of a version: a stored (content-addressed) file under the name it has in this version. */
@Entity({ tableName: 'document_version_files' })
@Unique({ name: 'document_version_files_unique', properties: ['versionId', 'storedFileId'] })
export class DocumentVersionFile extends BaseEntity {
  @Index()
  @Property({ type: 'uuid' })
  versionId!: string;

  @Index()
  @Property({ type: 'uuid' })
  storedFileId!: string;

  @Property({ type: 'integer' })
  position!: number;
}
