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
@Index({ name: 'documents_status_index', properties: ['status'] })
// Trigram indexes of the registry's number/text search (created by Migration20261127235900, pg_trgm).
@Index({ name: 'documents_title_trgm_index', expression: 'create index if not exists "documents_title_trgm_index" on "documents" using gin ("title" gin_trgm_ops)' })
@Index({ name: 'documents_number_trgm_index', expression: 'create index if not exists "documents_number_trgm_index" on "documents" using gin ("number" gin_trgm_ops)' })
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

  /** The deal action this document was created for (deals' SEND_OFFER / PREPARE_CONTRACT); one document per action. */
  @Property({ type: 'uuid', nullable: true, unique: 'documents_source_action_unique' })
  sourceActionId: string | null = null;

  /** The staff member who created the document (identity subgraph); null when a partner system created it. */
  @Index()
  @Property({ type: 'uuid', nullable: true })
  authorId: string | null = null;

  /** The employee responsible for the document (defaults to the author). */
  @Index()
  @Property({ type: 'uuid', nullable: true })
  responsibleId: string | null = null;

  @Field(() => String, { nullable: true, description: 'Short description or content of the document' })
  @Property({ type: 'text', nullable: true })
  summary: string | null = null;

  @Field(() => Boolean, { description: 'Restricted documents are visible only to their author, responsible, route participants, acknowledgement recipients and admins' })
  @Property({ type: 'boolean', default: false })
  restricted: Opt<boolean> = false;

  @Field(() => Date, { nullable: true, description: 'When the registration number was assigned' })
  @Property({ type: 'timestamptz', nullable: true })
  registeredAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'When the final sign-off was given; only signed documents count as verified' })
  @Property({ type: 'timestamptz', nullable: true })
  signedAt: Date | null = null;

  /** Who gave the final sign-off (the last approver of the sign-off stage); exposed as `signedBy`. */
  @Property({ type: 'uuid', nullable: true })
  signedById: string | null = null;

  @Field(() => Int, { description: 'Number of the current version; 0 while the document has no files' })
  @Property({ type: 'integer', default: 0 })
  currentVersionNumber: Opt<number> = 0;

  // Type-specific details (see document-details.type.ts): nullable columns, each used by some types.
  /** Contract, supplementary agreement, letter: subject; payment order: purpose of payment. */
  @Property({ type: 'text', nullable: true })
  subject: string | null = null;

  /** VAT of an invoice or act, minor units in `currency`. */
  @Property({ type: new BigIntType('number'), nullable: true })
  vatMinor: number | null = null;

  /** Contract: start; supplementary agreement: effective date. */
  @Property({ type: 'date', nullable: true })
  startDate: string | null = null;

  /** Contract: end of term. */
  @Property({ type: 'date', nullable: true })
  endDate: string | null = null;

  @Property({ type: 'text', nullable: true })
  paymentTerms: string | null = null;

  /** Invoice: payment due date; commercial offer: valid until. */
  @Property({ type: 'date', nullable: true })
  dueDate: string | null = null;

  /** Act: the period of work performed. */
  @Property({ type: 'date', nullable: true })
  periodStart: string | null = null;

  @Property({ type: 'date', nullable: true })
  periodEnd: string | null = null;

  /** Payment order: date of payment. */
  @Property({ type: 'date', nullable: true })
  paymentDate: string | null = null;

  @Property({ type: 'string', length: 500, nullable: true })
  payer: string | null = null;

  @Property({ type: 'string', length: 500, nullable: true })
  payee: string | null = null;

  /** Letter: the person or department on the other side. */
  @Property({ type: 'string', length: 500, nullable: true })
  correspondent: string | null = null;

  /** Incoming letter: the sender's own number and date. */
  @Property({ type: 'string', length: 100, nullable: true })
  senderNumber: string | null = null;

  @Property({ type: 'date', nullable: true })
  senderDate: string | null = null;

  @Field(() => Int, { description: 'Optimistic lock: increases with every change' })
  @Property({ version: true, type: 'integer' })
  version!: Opt<number>;

  @Field(() => Money, { nullable: true })
  get amount(): Money | null {
    return money(this.amountMinor, this.currency);
  }
}
