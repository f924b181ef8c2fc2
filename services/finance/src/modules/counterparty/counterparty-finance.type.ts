import { Money } from '@kartoteka/kit';
import { Field, Int, ObjectType } from 'type-graphql';
import { ContractExecution } from '../execution/contract-execution.type';

@ObjectType({ description: 'Invoiced and paid in one calendar month' })
export class FinanceMonth {
  @Field({ description: 'YYYY-MM' }) month!: string;
  @Field(() => Money, { description: 'Signed invoices dated in the month' }) invoiced!: Money;
  @Field(() => Money, { description: 'Matched payments dated in the month' }) paid!: Money;
}

@ObjectType({ description: 'The money side of a counterparty: balances, what is overdue, payments and contracts' })
export class CounterpartyFinance {
  @Field({ description: 'The currency of the figures (RUB; accounts in other currencies are not summed here)' }) currency!: string;
  @Field(() => Money, { description: 'What the counterparty still has to pay us (outstanding on RECEIVABLE contracts and invoices)' }) receivable!: Money;
  @Field(() => Money, { description: 'What we still have to pay the counterparty (outstanding on PAYABLE contracts)' }) payable!: Money;
  @Field(() => Money, { description: 'Of receivable and payable, what is past due' }) overdue!: Money;
  @Field(() => Int, { description: 'Days the oldest overdue obligation is late (0 when nothing is overdue)' }) overdueDays!: number;
  @Field(() => [ContractExecution], { description: 'Its signed contracts, newest first' }) contracts!: ContractExecution[];
  @Field(() => [FinanceMonth], { description: 'The last 12 months, oldest first (the current month last)' }) months!: FinanceMonth[];
  /** The newest matched payment (resolved in one batch per request by the resolver). */
  lastPaymentId!: string | null;
}
