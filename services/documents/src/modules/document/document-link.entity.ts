import { Entity, Enum, Index, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '@kartoteka/kit';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum DocumentLinkKind {
  SUPPLEMENT_TO = 'SUPPLEMENT_TO',
  INVOICE_FOR = 'INVOICE_FOR',
  ACT_FOR = 'ACT_FOR',
  PAYMENT_FOR = 'PAYMENT_FOR',
  REPLY_TO = 'REPLY_TO',
  RELATED = 'RELATED',
}

registerEnumType(DocumentLinkKind, {
  name: 'DocumentLinkKind',
  description: 'Meaning of a link from one document to another',
  valuesConfig: {
    SUPPLEMENT_TO: { description: 'Supplementary agreement → its contract' },
    INVOICE_FOR: { description: 'Invoice → the contract it bills' },
    ACT_FOR: { description: 'Act → the contract or invoice it closes' },
    PAYMENT_FOR: { description: 'Payment order → the invoice it pays' },
    REPLY_TO: { description: 'Letter → the letter it answers' },
    RELATED: { description: 'Any other relation' },
  },
});

/** A directed, typed link between two documents of the same counterparty. */
@ObjectType({ description: 'A link from this document (source) to another (target)' })
@Entity({ tableName: 'document_links' })
@Unique({ name: 'document_links_unique', properties: ['sourceId', 'targetId', 'kind'] })
export class DocumentLink extends BaseEntity {
  @Field(() => ID)
  @Index()
  @Property({ type: 'uuid' })
  sourceId!: string;

  @Field(() => ID)
  @Index()
  @Property({ type: 'uuid' })
  targetId!: string;

  @Field(() => DocumentLinkKind)
  @Enum({ items: () => DocumentLinkKind })
  kind!: DocumentLinkKind;

  @Property({ type: 'uuid', nullable: true })
  createdById: string | null = null;
}
