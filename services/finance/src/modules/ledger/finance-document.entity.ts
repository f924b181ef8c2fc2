import { BigIntType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** The document types finance keeps (only signed ones ever reach it). A signed PAYMENT_ORDER is an order, not a payment: not kept. */
export const FINANCE_DOCUMENT_TYPES = ['CONTRACT', 'INVOICE', 'ACT', 'SUPPLEMENTARY_AGREEMENT'] as const;
export type FinanceDocumentType = (typeof FINANCE_DOCUMENT_TYPES)[number];

/**
 * A signed document of the EDMS as finance sees it: the verified fact (contract, invoice, act, supplementary
 * agreement) with the figures it carries. Filled only from documents' events (`documents.document.signed`,
 * `documents.document.verified-changed`); the id is the EDMS document's id. `updatedAt` is the version of this
 * state: an older event arriving late never overwrites a newer one.
 */
@Entity({ tableName: 'finance_documents' })
@Index({ name: 'finance_documents_counterparty_type_index', properties: ['counterpartyId', 'type'] })
export class FinanceDocument {
  /** The EDMS document's id. */
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'string', length: 50 })
  type!: FinanceDocumentType;

  /** Owned by the counterparties subgraph: a plain uuid, no cross-database foreign key. */
  @Index()
  @Property({ type: 'uuid' })
  counterpartyId!: string;

  /** The CONTRACT this invoice, act or supplementary agreement belongs to (null for a contract or an unlinked document). */
  @Index()
  @Property({ type: 'uuid', nullable: true })
  contractId: string | null = null;

  /** ACT: the invoice it closes, when linked. */
  @Index()
  @Property({ type: 'uuid', nullable: true })
  invoiceId: string | null = null;

  @Property({ type: 'string', length: 100, nullable: true })
  number: string | null = null;

  @Property({ type: 'string', length: 500, nullable: true })
  title: string | null = null;

  /** The document's date (YYYY-MM-DD); the sign-off date when the document has none. */
  @Property({ type: 'date' })
  date!: string;

  /** Amount in minor units; null when the document carries none. */
  @Property({ type: new BigIntType('number'), nullable: true })
  amountMinor: number | null = null;

  @Property({ columnType: 'char(3)', default: 'RUB' })
  currency: string = 'RUB';

  /** INVOICE: when it must be paid. */
  @Property({ type: 'date', nullable: true })
  dueDate: string | null = null;

  /** CONTRACT: its term. */
  @Property({ type: 'date', nullable: true })
  startDate: string | null = null;

  @Property({ type: 'date', nullable: true })
  endDate: string | null = null;

  /** ACT: the end of the period it closes. */
  @Property({ type: 'date', nullable: true })
  periodEnd: string | null = null;

  /** The document status as the EDMS last reported it (SIGNED, IN_FORCE, EXECUTED, TERMINATED, CANCELLED…). */
  @Property({ type: 'string', length: 50 })
  status!: string;

  /** Whether it counts as a verified fact: false once CANCELLED. */
  @Property({ type: 'boolean', default: true })
  verified: boolean = true;

  /** The staff member responsible for the document (notified when its obligations fall overdue). */
  @Property({ type: 'uuid', nullable: true })
  responsibleId: string | null = null;

  @Property({ type: 'timestamptz' })
  signedAt!: Date;

  /** Version of this state: when documents made the change the newest applied event reports. */
  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
