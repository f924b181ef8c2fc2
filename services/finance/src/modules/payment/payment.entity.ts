import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Enum, Index, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { Money, money } from '@kartoteka/kit';
import { Field, Float, GraphQLISODateTime, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Counterparty, counterpartyStub } from '../counterparty/counterparty.stub';
import { Document, documentStub } from '../document/document.stub';
import { User, userStub } from '../user/user.stub';

export enum PaymentDirection {
  INCOMING = 'INCOMING',
  OUTGOING = 'OUTGOING',
}

registerEnumType(PaymentDirection, { name: 'PaymentDirection', description: 'INCOMING: money credited to our account; OUTGOING: money we paid' });

export enum PaymentMatchStatus {
  MATCHED = 'MATCHED',
  AMBIGUOUS = 'AMBIGUOUS',
  UNMATCHED = 'UNMATCHED',
}

registerEnumType(PaymentMatchStatus, {
  name: 'PaymentMatchStatus',
  description: 'MATCHED: linked to a counterparty (and maybe an invoice); AMBIGUOUS, UNMATCHED: waiting in the review queue',
});

/**
 * A payment: one line of a bank statement, money that really moved (the one truth about payments; a signed
 * PAYMENT_ORDER document is an order, not proof). `fingerprint` makes re-imports and overlapping statements
 * idempotent. Only MATCHED payments count in balances and the rating.
 */
@ObjectType({ description: 'A payment from a bank statement, matched (or waiting to be matched) to a counterparty and an invoice' })
@Entity({ tableName: 'payments' })
@Index({ name: 'payments_date_order_index', properties: ['date', 'id'] })
export class Payment {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  /** sha256 (hex) of date|number|amount|payer account|payee account|direction. */
  @Unique()
  @Property({ type: 'string', length: 64 })
  fingerprint!: string;

  @Field(() => PaymentDirection)
  @Enum({ items: () => PaymentDirection })
  direction!: PaymentDirection;

  @Field({ description: 'The payment order\'s number' })
  @Property({ type: 'string', length: 50 })
  number!: string;

  @Field({ description: 'The payment order\'s date, YYYY-MM-DD' })
  @Property({ type: 'date' })
  date!: string;

  @Property({ type: new BigIntType('number') })
  amountMinor!: number;

  @Property({ columnType: 'char(3)', default: 'RUB' })
  currency: Opt<string> = 'RUB';

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 500, nullable: true })
  payerName: string | null = null;

  @Field(() => String, { nullable: true })
  @Index()
  @Property({ type: 'string', length: 12, nullable: true })
  payerInn: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 9, nullable: true })
  payerKpp: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 20, nullable: true })
  payerAccount: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 9, nullable: true })
  payerBic: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 500, nullable: true })
  payeeName: string | null = null;

  @Field(() => String, { nullable: true })
  @Index()
  @Property({ type: 'string', length: 12, nullable: true })
  payeeInn: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 9, nullable: true })
  payeeKpp: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 20, nullable: true })
  payeeAccount: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 9, nullable: true })
  payeeBic: string | null = null;

  @Field({ description: 'НазначениеПлатежа: the purpose as the payer wrote it' })
  @Property({ type: 'text' })
  purpose!: string;

  @Field(() => String, { nullable: true, description: 'ДатаСписано: when it left the payer\'s account, YYYY-MM-DD' })
  @Property({ type: 'date', nullable: true })
  debitedAt: string | null = null;

  @Field(() => String, { nullable: true, description: 'ДатаПоступило: when it reached the payee\'s account, YYYY-MM-DD' })
  @Property({ type: 'date', nullable: true })
  creditedAt: string | null = null;

  /** The counterparty who paid us (INCOMING) or whom we paid (OUTGOING); null while unmatched. */
  @Index()
  @Property({ type: 'uuid', nullable: true })
  counterpartyId: string | null = null;

  @Field(() => ID, { nullable: true, description: 'The CONTRACT document the payment counts against (directly or through its invoice)' })
  @Index()
  @Property({ type: 'uuid', nullable: true })
  contractId: string | null = null;

  /** The INVOICE document the payment pays. */
  @Index()
  @Property({ type: 'uuid', nullable: true })
  invoiceId: string | null = null;

  @Field(() => PaymentMatchStatus)
  @Index()
  @Enum({ items: () => PaymentMatchStatus })
  matchStatus!: PaymentMatchStatus;

  @Field(() => Float, { description: '0–1: how sure the match is (1 for a match made by hand)' })
  @Property({ type: 'real', default: 0 })
  matchConfidence: Opt<number> = 0;

  @Field(() => [String], { description: 'Why it was matched this way (or why not), codes such as inn, kpp, account, invoice.number, invoice.amount, invoice.date, invoice.ambiguous, inn.unknown, candidate:<id>, manual' })
  @Property({ type: 'jsonb', default: '[]' })
  matchReasons: Opt<string[]> = [];

  /** Who matched it by hand (identity subgraph); null: matched automatically. */
  @Property({ type: 'uuid', nullable: true })
  matchedById: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  matchedAt: Date | null = null;

  @Field(() => ID, { nullable: true, description: 'The statement import that brought the payment' })
  @Index()
  @Property({ type: 'uuid', nullable: true })
  statementImportId: string | null = null;

  @Field(() => GraphQLISODateTime)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();

  @Field(() => Money)
  get amount(): Opt<Money> {
    return money(this.amountMinor, this.currency) as Money;
  }

  @Field(() => Counterparty, { nullable: true, description: 'Null while unmatched' })
  get counterparty(): Counterparty | null {
    return counterpartyStub(this.counterpartyId);
  }

  @Field(() => Document, { nullable: true, description: 'The invoice it pays' })
  get invoice(): Document | null {
    return documentStub(this.invoiceId);
  }

  @Field(() => User, { nullable: true, description: 'Who matched it by hand; null: matched automatically (or not matched)' })
  get matchedBy(): User | null {
    return userStub(this.matchedById);
  }
}
