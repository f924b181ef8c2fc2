import { OptionalIsoDateField } from '@kartoteka/kit';
import { IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { PaymentDirection, PaymentMatchStatus } from './payment.entity';

@InputType({ description: 'Filters of the payments registry; all optional, combined with AND' })
export class PaymentFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid counterparty id' })
  counterpartyId?: string | null;

  @Field(() => PaymentDirection, { nullable: true })
  @IsOptional()
  @IsEnum(PaymentDirection)
  direction?: PaymentDirection | null;

  @Field(() => PaymentMatchStatus, { nullable: true })
  @IsOptional()
  @IsEnum(PaymentMatchStatus)
  matchStatus?: PaymentMatchStatus | null;

  @OptionalIsoDateField('Payments on or after this date, YYYY-MM-DD')
  dateFrom?: string | null;

  @OptionalIsoDateField('Payments on or before this date, YYYY-MM-DD')
  dateTo?: string | null;

  @Field(() => ID, { nullable: true, description: 'Payments brought by this statement import' })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid statement import id' })
  statementImportId?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the purpose, a party\'s name, INN or account, or the order number' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string | null;
}

@InputType({ description: 'A match made by hand: the counterparty, and optionally the invoice or contract the payment counts against' })
export class MatchPaymentInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not a valid payment id' })
  paymentId!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'Choose a counterparty' })
  counterpartyId!: string;

  @Field(() => ID, { nullable: true, description: 'A signed INVOICE of that counterparty' })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid invoice id' })
  invoiceId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A signed CONTRACT of that counterparty; the invoice\'s contract when omitted' })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid contract id' })
  contractId?: string | null;
}
