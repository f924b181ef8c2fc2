import { SafeIntResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import { ContractDirection } from './contract-terms.entity';
import { ScheduleItemKind } from './schedule-item.entity';

@InputType({ description: 'An amount: integer minor units (kopecks) and an ISO 4217 currency code' })
export class MoneyInput {
  @Field(() => SafeIntResolver, { description: 'Minor units (kopecks), > 0' })
  minor!: number;

  @Field(() => String, { nullable: true, description: 'ISO 4217 code; the contract\'s currency when omitted' })
  currency?: string | null;
}

@InputType({ description: 'One line of a contract\'s schedule' })
export class ScheduleItemInput {
  @Field(() => ScheduleItemKind)
  kind!: ScheduleItemKind;

  @Field(() => MoneyInput)
  amount!: MoneyInput;

  @Field(() => String, { nullable: true, description: 'ADVANCE, PAYMENT, DELIVERY: the due date, YYYY-MM-DD (required); POSTPAYMENT: none' })
  dueDate?: string | null;

  @Field(() => Int, { nullable: true, description: 'POSTPAYMENT: due this many days (0–365) after its act (required); others: none' })
  daysAfterAct?: number | null;

  @Field(() => String, { nullable: true, description: 'At most 500 characters' })
  description?: string | null;
}

@InputType({ description: 'The terms of a signed contract: who pays, and the schedule (replaces the previous one)' })
export class ContractTermsInput {
  @Field(() => ID, { description: 'The signed CONTRACT document' })
  contractId!: string;

  @Field(() => ContractDirection)
  direction!: ContractDirection;

  @Field(() => [ScheduleItemInput], { description: 'At most 100 lines; money lines (ADVANCE, PAYMENT, POSTPAYMENT) may not add up to more than the contract\'s amount' })
  schedule!: ScheduleItemInput[];
}
