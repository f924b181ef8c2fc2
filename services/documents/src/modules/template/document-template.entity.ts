import { BigIntType, Entity, Enum, Index, JsonType, Property, Unique, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '@kartoteka/kit';
import { Field, GraphQLISODateTime, ID, Int, ObjectType } from 'type-graphql';
import { DocumentType } from '../document/document.entity';

/**
 * A DOCX template of a document type (a commercial offer, a supply contract…), kept in versions: generation uses
 * the current version unless asked for another, so an older generated document can always be traced to the exact
 * file it came from. Deal actions name templates by their `code`, which therefore never changes.
 */
@ObjectType({ description: 'A DOCX template of a document type, with placeholders such as {counterparty.name}' })
@Entity({ tableName: 'document_templates' })
@Unique({ name: 'document_templates_code_unique', properties: ['code'] })
@Index({ name: 'document_templates_type_index', properties: ['documentType', 'archived'] })
export class DocumentTemplate extends BaseEntity {
  @Field({ description: 'Stable code that case templates refer to, e.g. commercial-offer; never changes' })
  @Property({ type: 'string', length: 50 })
  code!: string;

  @Field()
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => DocumentType)
  @Enum({ items: () => DocumentType })
  documentType!: DocumentType;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Field(() => Int, { description: 'Number of the version used for generation; 0 until a DOCX is uploaded' })
  @Property({ type: 'integer', default: 0 })
  currentVersionNumber: Opt<number> = 0;

  @Field(() => Boolean, { description: 'An archived template stays readable but generates nothing' })
  @Property({ type: 'boolean', default: false })
  archived: Opt<boolean> = false;

  @Property({ type: 'uuid', nullable: true })
  createdById: string | null = null;

  @Field(() => Int, { description: 'Optimistic lock' })
  @Property({ version: true, type: 'integer' })
  version!: Opt<number>;
}

/** One uploaded DOCX of a template: immutable; its placeholders were checked when it was uploaded. */
@ObjectType({ description: 'A version of a document template: one DOCX file and the placeholders found in it' })
@Entity({ tableName: 'document_template_versions' })
@Unique({ name: 'document_template_versions_number_unique', properties: ['templateId', 'number'] })
export class DocumentTemplateVersion extends BaseEntity {
  @Field(() => ID)
  @Property({ type: 'uuid' })
  templateId!: string;

  @Field(() => Int, { description: '1, 2, 3… within the template' })
  @Property({ type: 'integer' })
  number!: number;

  /** The DOCX in the documents service's file storage (stored_files). */
  @Field(() => ID, { description: 'The stored DOCX (download: /rest/documents/templates/versions/{id}/file)' })
  @Property({ type: 'uuid' })
  storedFileId!: string;

  @Field(() => [String], { description: 'Placeholders used in the file, e.g. counterparty.name' })
  @Property({ type: JsonType })
  placeholders!: string[];

  @Property({ type: 'uuid', nullable: true })
  uploadedById: string | null = null;

  @Field(() => GraphQLISODateTime)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  uploadedAt: Opt<Date> = new Date();
}

/**
 * This service's copy of what template placeholders need from a deal (owned by deals), filled from
 * `deals.document.requested`, the one deal event documents consumes; rebuildable by replaying it.
 */
@Entity({ tableName: 'template_deal_refs' })
export class TemplateDealRef {
  @Property({ type: 'uuid', primary: true })
  id!: string;

  @Property({ type: 'string', length: 500 })
  title!: string;

  @Property({ type: new BigIntType('number'), nullable: true })
  amountMinor: number | null = null;

  @Property({ columnType: 'char(3)', nullable: true })
  currency: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Opt<Date> = new Date();
}
