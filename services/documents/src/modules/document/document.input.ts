import { ConnectionArgs, IsoDateField, SortDirection, OptionalAmountMinorField, OptionalCurrencyField, OptionalIsoDateField } from '@kartoteka/kit';
import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, MaxLength, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { DocumentLinkKind } from './document-link.entity';
import { DocumentStatus, DocumentType } from './document.entity';

/** Columns the documents registry sorts by. */
export enum DocumentSort {
  NUMBER = 'NUMBER',
  DATE = 'DATE',
  TITLE = 'TITLE',
  AMOUNT = 'AMOUNT',
  STATUS = 'STATUS',
}

registerEnumType(DocumentSort, {
  name: 'DocumentSort',
  description: 'Column of the documents registry\'s order; ties are broken by id, empty values come last',
  valuesConfig: {
    NUMBER: { description: 'By registration number (text order); ascending by default' },
    DATE: { description: 'By the document\'s date; newest first by default' },
    TITLE: { description: 'By title; A→Z by default' },
    AMOUNT: { description: 'By amount in minor units (currencies are not converted); largest first by default' },
    STATUS: { description: 'By the life cycle: DRAFT, ON_APPROVAL, REJECTED (rework), APPROVED, SIGNED, IN_FORCE, EXECUTED, TERMINATED, CANCELLED; in that order by default' },
  },
});

@InputType({ description: 'Fields of a CONTRACT' })
export class ContractDetailsInput {
  @Field() @IsString() @MaxLength(2000) subject!: string;
  @IsoDateField('YYYY-MM-DD') startDate!: string;
  @OptionalIsoDateField('End of the term, YYYY-MM-DD') endDate?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) paymentTerms?: string | null;
}

@InputType({ description: 'Fields of a SUPPLEMENTARY_AGREEMENT' })
export class SupplementaryAgreementDetailsInput {
  @Field() @IsString() @MaxLength(2000) subject!: string;
  @OptionalIsoDateField('Effective date, YYYY-MM-DD') effectiveDate?: string | null;
}

@InputType({ description: 'Fields of an INVOICE (the amount is required on the document)' })
export class InvoiceDetailsInput {
  @OptionalAmountMinorField('VAT in minor units') vatMinor?: number | null;
  @IsoDateField('YYYY-MM-DD') dueDate!: string;
}

@InputType({ description: 'Fields of an ACT (the amount is required on the document)' })
export class ActDetailsInput {
  @OptionalAmountMinorField('VAT in minor units') vatMinor?: number | null;
  @IsoDateField('YYYY-MM-DD') periodStart!: string;
  @IsoDateField('YYYY-MM-DD') periodEnd!: string;
}

@InputType({ description: 'Fields of a PAYMENT_ORDER (the amount is required on the document)' })
export class PaymentOrderDetailsInput {
  @IsoDateField('YYYY-MM-DD') paymentDate!: string;
  @Field() @IsString() @MaxLength(500) payer!: string;
  @Field() @IsString() @MaxLength(500) payee!: string;
  @Field() @IsString() @MaxLength(2000) purpose!: string;
}

@InputType({ description: 'Fields of an INCOMING_LETTER or OUTGOING_LETTER' })
export class LetterDetailsInput {
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) subject?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(500) correspondent?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(100) senderNumber?: string | null;
  @OptionalIsoDateField('Incoming letter: the sender\'s date') senderDate?: string | null;
}

@InputType({ description: 'Fields of a COMMERCIAL_OFFER' })
export class CommercialOfferDetailsInput {
  @OptionalIsoDateField('Valid until, YYYY-MM-DD') validUntil?: string | null;
}

@InputType()
export class DocumentLinkInput {
  @Field(() => DocumentLinkKind) @IsEnum(DocumentLinkKind) kind!: DocumentLinkKind;
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid document id' }) targetId!: string;
}

/** Fields shared by create and update; every one optional here, create requires some of them. */
@InputType({ description: "Fields shared by createDocument and updateDocument" })
export class DocumentFieldsInput {
  @OptionalIsoDateField('Date of the document, YYYY-MM-DD') date?: string | null;

  @Field(() => String, { nullable: true, description: 'Short description or content' })
  @IsOptional() @IsString() @MaxLength(10000, { message: 'Summary must be at most 10000 characters long' })
  summary?: string | null;

  @OptionalAmountMinorField() amountMinor?: number | null;
  @OptionalCurrencyField() currency?: string | null;

  @Field(() => ID, { nullable: true, description: 'The employee responsible; the author when omitted' })
  @IsOptional() @IsUUID('all', { message: 'Not a valid user id' })
  responsibleId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Visible only to participants and admins' })
  @IsOptional() @IsBoolean()
  restricted?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'The deal this document belongs to' })
  @IsOptional() @IsUUID('all', { message: 'Not a valid deal id' })
  dealId?: string | null;

  @Field(() => ContractDetailsInput, { nullable: true }) @IsOptional() @ValidateNested() contract?: ContractDetailsInput | null;
  @Field(() => SupplementaryAgreementDetailsInput, { nullable: true }) @IsOptional() @ValidateNested() supplementaryAgreement?: SupplementaryAgreementDetailsInput | null;
  @Field(() => InvoiceDetailsInput, { nullable: true }) @IsOptional() @ValidateNested() invoice?: InvoiceDetailsInput | null;
  @Field(() => ActDetailsInput, { nullable: true }) @IsOptional() @ValidateNested() act?: ActDetailsInput | null;
  @Field(() => PaymentOrderDetailsInput, { nullable: true }) @IsOptional() @ValidateNested() paymentOrder?: PaymentOrderDetailsInput | null;
  @Field(() => LetterDetailsInput, { nullable: true }) @IsOptional() @ValidateNested() letter?: LetterDetailsInput | null;
  @Field(() => CommercialOfferDetailsInput, { nullable: true }) @IsOptional() @ValidateNested() commercialOffer?: CommercialOfferDetailsInput | null;
}

@InputType()
export class CreateDocumentInput extends DocumentFieldsInput {
  @Field(() => DocumentType)
  type!: DocumentType;

  @Field(() => ID)
  @IsUUID('all', { message: 'Choose a counterparty' })
  counterpartyId!: string;

  @Field({ description: 'E.g. «Договор поставки № 15/24-П»' })
  @IsString()
  @MaxLength(500, { message: 'Title must be at most 500 characters long' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'An external number (e.g. the number printed by the other side); the registration number is assigned by registerDocument' })
  @IsOptional()
  @IsString()
  @MaxLength(100, { message: 'Number must be at most 100 characters long' })
  number?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Uploaded files (POST /rest/documents/files) that become version 1' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true, message: 'Not a valid file id' })
  fileIds?: string[] | null;

  @Field(() => [DocumentLinkInput], { nullable: true, description: 'Links to other documents of the same counterparty' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true })
  links?: DocumentLinkInput[] | null;
}

@InputType()
export class UpdateDocumentInput extends DocumentFieldsInput {
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid document id' }) id!: string;

  @Field(() => Int, { description: 'The version you edited (optimistic lock)' }) @IsInt() @Min(1) version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional() @IsString() @MaxLength(500, { message: 'Title must be at most 500 characters long' })
  title?: string | null;
}

@InputType()
export class RegisterDocumentInput {
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid document id' }) id!: string;
}

@InputType()
export class AddDocumentVersionInput {
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid document id' }) documentId!: string;

  @Field(() => [ID], { description: 'Uploaded files (POST /rest/documents/files)' })
  @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true, message: 'Not a valid file id' })
  fileIds!: string[];

  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) comment?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Ask everyone who acknowledged an earlier version to acknowledge this one' })
  @IsOptional() @IsBoolean()
  requireReacknowledgement?: boolean | null;
}

@InputType()
export class LinkDocumentsInput {
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid document id' }) sourceId!: string;
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid document id' }) targetId!: string;
  @Field(() => DocumentLinkKind) @IsEnum(DocumentLinkKind) kind!: DocumentLinkKind;
}

@InputType()
export class UnlinkDocumentsInput {
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid link id' }) linkId!: string;
}

@InputType()
export class SetDocumentStatusInput {
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid document id' }) id!: string;
  @Field(() => DocumentStatus, { description: 'CANCELLED; for a signed contract IN_FORCE, EXECUTED or TERMINATED' }) @IsEnum(DocumentStatus) status!: DocumentStatus;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) comment?: string | null;
}

@ArgsType()
export class DocumentsArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid counterparty id' })
  counterpartyId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid deal id' })
  dealId?: string | null;

  @Field(() => DocumentType, { nullable: true })
  @IsOptional()
  @IsEnum(DocumentType)
  type?: DocumentType | null;

  @Field(() => DocumentStatus, { nullable: true })
  @IsOptional()
  @IsEnum(DocumentStatus)
  status?: DocumentStatus | null;

  @OptionalIsoDateField('Documents dated on or after, YYYY-MM-DD') dateFrom?: string | null;
  @OptionalIsoDateField('Documents dated on or before, YYYY-MM-DD') dateTo?: string | null;

  @Field(() => String, { nullable: true, description: 'Registration or external number, title or summary' })
  @IsOptional() @IsString() @MaxLength(200)
  search?: string | null;

  @Field(() => DocumentSort, { nullable: true, description: 'Sort column (empty values last); the newest date first when omitted' })
  @IsOptional()
  @IsEnum(DocumentSort)
  sort?: DocumentSort | null;

  @Field(() => SortDirection, { nullable: true, description: 'Direction with `sort`; the column\'s own default when omitted (see DocumentSort)' })
  @IsOptional()
  @IsEnum(SortDirection)
  direction?: SortDirection | null;
}
