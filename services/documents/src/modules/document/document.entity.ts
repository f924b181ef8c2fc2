import { BigIntType, Entity, Enum, Index, Property, type Opt } from '@mikro-orm/core';
import { BaseEntity, Money, money } from '@kartoteka/kit';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum DocumentType {
  INCOMING_LETTER = 'INCOMING_LETTER',
  OUTGOING_LETTER = 'OUTGOING_LETTER',
  CONTRACT = 'CONTRACT',
  SUPPLEMENTARY_AGREEMENT = 'SUPPLEMENTARY_AGREEMENT',
  INVOICE = 'INVOICE',
  ACT = 'ACT',
  PAYMENT_ORDER = 'PAYMENT_ORDER',
  COMMERCIAL_OFFER = 'COMMERCIAL_OFFER',
  OTHER = 'OTHER',
}

registerEnumType(DocumentType, {
  name: 'DocumentType',
  description: 'Kind of document; registration journals and numbering are kept per type',
  valuesConfig: {
    INCOMING_LETTER: { description: 'Входящее письмо' },
    OUTGOING_LETTER: { description: 'Исходящее письмо' },
    CONTRACT: { description: 'Договор' },
    SUPPLEMENTARY_AGREEMENT: { description: 'Дополнительное соглашение' },
    INVOICE: { description: 'Счёт на оплату' },
    ACT: { description: 'Акт (выполненных работ, оказанных услуг)' },
    PAYMENT_ORDER: { description: 'Платёжное поручение' },
    COMMERCIAL_OFFER: { description: 'Коммерческое предложение' },
    OTHER: { description: 'Прочий документ' },
  },
});

export enum DocumentStatus {
  DRAFT = 'DRAFT',
  ON_APPROVAL = 'ON_APPROVAL',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  SIGNED = 'SIGNED',
  IN_FORCE = 'IN_FORCE',
  EXECUTED = 'EXECUTED',
  TERMINATED = 'TERMINATED',
  CANCELLED = 'CANCELLED',
}

registerEnumType(DocumentStatus, {
  name: 'DocumentStatus',
  description: 'Life-cycle state of a document',
  valuesConfig: {
    DRAFT: { description: 'Черновик' },
    ON_APPROVAL: { description: 'На согласовании' },
    APPROVED: { description: 'Согласован' },
    REJECTED: { description: 'Отклонён (на доработке)' },
    SIGNED: { description: 'Подписан' },
    IN_FORCE: { description: 'Действует' },
    EXECUTED: { description: 'Исполнен' },
    TERMINATED: { description: 'Расторгнут' },
    CANCELLED: { description: 'Аннулирован' },
  },
});

/**
 * A document of a counterparty. Lists are ordered by `date desc nulls first, createdAt desc, id desc`
 * (undated drafts first); the indexes below serve that order per counterparty and overall.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A document of the EDMS: letter, contract, supplementary agreement, invoice, act, payment order, commercial offer' })
@Entity({ tableName: 'documents' })
@Index({ name: 'documents_counterparty_order_index', properties: ['counterpartyId', 'date', 'createdAt', 'id'] })
@Index({ name: 'documents_order_index', properties: ['date', 'createdAt', 'id'] })
export class Document extends BaseEntity {
  @Field(() => DocumentType)
  @Enum({ items: () => DocumentType })
  type!: DocumentType;

  @Field(() => String, { nullable: true, description: 'Registration number; null until the document is registered' })
  @Property({ type: 'string', length: 100, nullable: true })
  number: string | null = null;

  @Field(() => String, { nullable: true, description: 'Date of the document, ISO 8601 (YYYY-MM-DD)' })
  @Property({ type: 'date', nullable: true })
  date: string | null = null;

  @Field()
  @Property({ type: 'string', length: 500 })
  title!: string;

  /** Amount in minor units; null when the document has no amount (then `currency` is null too). */
  @Property({ type: new BigIntType('number'), nullable: true })
  amountMinor: number | null = null;

  @Property({ columnType: 'char(3)', nullable: true })
  currency: string | null = null;

  @Field(() => DocumentStatus)
  @Enum({ items: () => DocumentStatus, default: DocumentStatus.DRAFT })
  status: Opt<DocumentStatus> = DocumentStatus.DRAFT;

  /** Owned by the counterparties subgraph: a plain uuid, no cross-database foreign key. */
  @Field(() => ID)
  @Property({ type: 'uuid' })
  counterpartyId!: string;

  /** Owned by the deals subgraph: a plain uuid. */
  @Field(() => ID, { nullable: true, description: 'The deal this document belongs to, if any' })
  @Index()
  @Property({ type: 'uuid', nullable: true })
  dealId: string | null = null;

  /** The staff member who created the document (identity subgraph); null when a partner system created it. */
  @Index()
  @Property({ type: 'uuid', nullable: true })
  authorId: string | null = null;

  @Field(() => Int, { description: 'Optimistic lock: increases with every change' })
  @Property({ version: true, type: 'integer' })
  version!: Opt<number>;

  @Field(() => Money, { nullable: true })
  get amount(): Money | null {
    return money(this.amountMinor, this.currency);
  }
}
