import { Money, money } from '@kartoteka/kit';
import { createUnionType, Field, ObjectType } from 'type-graphql';
import { type Document, DocumentType } from './document.entity';

@ObjectType({ description: 'Contract: subject, term and payment terms (the amount is on the document)' })
export class ContractDetails {
  @Field(() => String) subject!: string;
  @Field(() => String, { description: 'Start of the contract, YYYY-MM-DD' }) startDate!: string;
  @Field(() => String, { nullable: true, description: 'End of the term, YYYY-MM-DD; null for an open-ended contract' }) endDate!: string | null;
  @Field(() => String, { nullable: true }) paymentTerms!: string | null;
}

@ObjectType({ description: 'Supplementary agreement to a contract (linked with SUPPLEMENT_TO)' })
export class SupplementaryAgreementDetails {
  @Field(() => String) subject!: string;
  @Field(() => String, { nullable: true, description: 'Effective date, YYYY-MM-DD' }) effectiveDate!: string | null;
}

@ObjectType({ description: 'Invoice: amount (on the document), VAT, due date' })
export class InvoiceDetails {
  @Field(() => Money, { nullable: true }) vat!: Money | null;
  @Field(() => String, { description: 'Payment due date, YYYY-MM-DD' }) dueDate!: string;
}

@ObjectType({ description: 'Act of work performed / services rendered: amount (on the document), VAT, period' })
export class ActDetails {
  @Field(() => Money, { nullable: true }) vat!: Money | null;
  @Field(() => String) periodStart!: string;
  @Field(() => String) periodEnd!: string;
}

@ObjectType({ description: 'Payment order: amount (on the document), date, payer, payee, purpose' })
export class PaymentOrderDetails {
  @Field(() => String) paymentDate!: string;
  @Field(() => String) payer!: string;
  @Field(() => String) payee!: string;
  @Field(() => String) purpose!: string;
}

@ObjectType({ description: 'Incoming or outgoing letter' })
export class LetterDetails {
  @Field(() => String, { nullable: true }) subject!: string | null;
  @Field(() => String, { nullable: true, description: 'The person or department on the other side' }) correspondent!: string | null;
  @Field(() => String, { nullable: true, description: 'Incoming letter: the sender\'s own number' }) senderNumber!: string | null;
  @Field(() => String, { nullable: true, description: 'Incoming letter: the sender\'s date' }) senderDate!: string | null;
}

@ObjectType({ description: 'Commercial offer' })
export class CommercialOfferDetails {
  @Field(() => String, { nullable: true, description: 'Valid until, YYYY-MM-DD' }) validUntil!: string | null;
}

export const DocumentDetails = createUnionType({
  name: 'DocumentDetails',
  description: 'The fields of a document that depend on its type',
  types: () => [ContractDetails, SupplementaryAgreementDetails, InvoiceDetails, ActDetails, PaymentOrderDetails, LetterDetails, CommercialOfferDetails] as const,
});

/** The type-specific details of a document, or null for OTHER. */
export function detailsOf(document: Document): ContractDetails | SupplementaryAgreementDetails | InvoiceDetails | ActDetails | PaymentOrderDetails | LetterDetails | CommercialOfferDetails | null {
  const vat = money(document.vatMinor, document.currency);
  switch (document.type) {
    case DocumentType.CONTRACT:
      return Object.assign(new ContractDetails(), { subject: document.subject ?? '', startDate: document.startDate ?? '', endDate: document.endDate, paymentTerms: document.paymentTerms });
    case DocumentType.SUPPLEMENTARY_AGREEMENT:
      return Object.assign(new SupplementaryAgreementDetails(), { subject: document.subject ?? '', effectiveDate: document.startDate });
    case DocumentType.INVOICE:
      return Object.assign(new InvoiceDetails(), { vat, dueDate: document.dueDate ?? '' });
    case DocumentType.ACT:
      return Object.assign(new ActDetails(), { vat, periodStart: document.periodStart ?? '', periodEnd: document.periodEnd ?? '' });
    case DocumentType.PAYMENT_ORDER:
      return Object.assign(new PaymentOrderDetails(), { paymentDate: document.paymentDate ?? '', payer: document.payer ?? '', payee: document.payee ?? '', purpose: document.subject ?? '' });
    case DocumentType.INCOMING_LETTER:
    case DocumentType.OUTGOING_LETTER:
      return Object.assign(new LetterDetails(), { subject: document.subject, correspondent: document.correspondent, senderNumber: document.senderNumber, senderDate: document.senderDate });
    case DocumentType.COMMERCIAL_OFFER:
      return Object.assign(new CommercialOfferDetails(), { validUntil: document.dueDate });
    default:
      return null;
  }
}
