import { Money, money } from '@kartoteka/kit';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ContractDirection } from '../contract/contract-terms.entity';
import { ScheduleItemKind } from '../contract/schedule-item.entity';
import { Document, documentStub } from '../document/document.stub';
import type { ContractFacts, DocumentFact, ExecutionResult, ObligationResult, ScheduleItemFact } from './execution.types';

export enum ObligationStateValue {
  PENDING = 'PENDING',
  DUE = 'DUE',
  PARTIAL = 'PARTIAL',
  PAID = 'PAID',
  OVERDUE = 'OVERDUE',
}

registerEnumType(ObligationStateValue, {
  name: 'ObligationState',
  description: 'PENDING: its due date is not known yet (a postpayment waiting for its act); DUE: due on a date not yet passed, nothing settled; PARTIAL: partly settled, not late; PAID: settled; OVERDUE: past due and not fully settled',
});

@ObjectType('ScheduleItem', { description: 'A line of a contract\'s schedule and how it is being settled (payments for money, acts for deliveries)' })
export class ScheduleItemView {
  @Field(() => ID) id!: string;
  @Field(() => ScheduleItemKind) kind!: ScheduleItemKind;
  @Field(() => Money) amount!: Money;
  @Field(() => String, { nullable: true, description: 'The fixed due date (ADVANCE, PAYMENT, DELIVERY), YYYY-MM-DD' }) dueDate!: string | null;
  @Field(() => Int, { nullable: true, description: 'POSTPAYMENT: due this many days after its act' }) daysAfterAct!: number | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => String, { nullable: true, description: 'The due date in effect (a postpayment\'s once its act is signed); null while waiting for the act' })
  resolvedDueDate!: string | null;
  @Field(() => Money, { description: 'What settled it so far: payments (money) or acts (deliveries)' }) settled!: Money;
  @Field(() => ObligationStateValue) state!: ObligationStateValue;
  @Field(() => Int, { description: 'Days late: settled late — from due to settlement; still unsettled past due — until today; otherwise 0' }) daysLate!: number;
}

@ObjectType('FinanceDocument', { description: 'A signed invoice or act as finance counts it' })
export class FinanceDocumentView {
  @Field(() => ID) id!: string;
  @Field(() => Document, { description: 'The EDMS document' }) document!: Document;
  @Field({ description: 'INVOICE or ACT' }) type!: string;
  @Field(() => String, { nullable: true }) number!: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) date!: string | null;
  @Field(() => Money, { nullable: true }) amount!: Money | null;
  @Field(() => String, { nullable: true, description: 'INVOICE: when it must be paid, YYYY-MM-DD' }) dueDate!: string | null;
}

@ObjectType({ description: 'The execution of a signed contract: what was contracted, invoiced, delivered and paid, what is outstanding and overdue' })
export class ContractExecution {
  @Field(() => ID) contractId!: string;
  @Field(() => String, { nullable: true, description: 'The contract\'s number as signed' }) number!: string | null;
  @Field(() => String, { nullable: true, description: 'The contract\'s title as signed' }) title!: string | null;
  @Field(() => String, { nullable: true, description: 'The contract\'s document date, YYYY-MM-DD' }) date!: string | null;
  @Field(() => ContractDirection, { description: 'RECEIVABLE unless staff set the terms otherwise' }) direction!: ContractDirection;
  @Field({ description: 'Whether staff entered the terms (direction and schedule)' }) termsSet!: boolean;
  @Field({ description: 'The contract\'s status in the EDMS (SIGNED, IN_FORCE, EXECUTED, TERMINATED…)' }) status!: string;
  @Field() currency!: string;
  @Field(() => Money, { description: 'The contract\'s amount (0 when it has none)' }) contracted!: Money;
  @Field(() => Money, { description: 'Sum of its signed invoices' }) invoiced!: Money;
  @Field(() => Money, { description: 'Sum of its signed acts' }) delivered!: Money;
  @Field(() => Money, { description: 'Sum of the payments counted against it' }) paid!: Money;
  @Field(() => Money, { description: 'What is still to be paid of the payment obligations' }) outstanding!: Money;
  @Field(() => Money, { description: 'Of that, what is past due' }) overdue!: Money;
  @Field(() => Int, { description: 'Days the oldest overdue obligation is late (0 when nothing is overdue)' }) overdueDays!: number;
  @Field(() => String, { nullable: true, description: 'The next due date of an unsettled obligation, YYYY-MM-DD' }) nextDueDate!: string | null;
  @Field(() => [ScheduleItemView]) schedule!: ScheduleItemView[];
  @Field(() => [FinanceDocumentView]) invoices!: FinanceDocumentView[];
  @Field(() => [FinanceDocumentView]) acts!: FinanceDocumentView[];
  /** The payments counted against it (resolved in one batch per request by ContractExecutionResolver.payments). */
  paymentIds!: string[];
}

function documentView(fact: DocumentFact, currency: string): FinanceDocumentView {
  return Object.assign(new FinanceDocumentView(), {
    id: fact.id,
    document: documentStub(fact.id),
    type: fact.type,
    number: fact.number,
    date: fact.date,
    amount: money(fact.amountMinor, currency),
    dueDate: fact.dueDate,
  });
}

function scheduleView(item: ScheduleItemFact, obligation: ObligationResult | undefined, currency: string): ScheduleItemView {
  return Object.assign(new ScheduleItemView(), {
    id: item.id,
    kind: item.kind as ScheduleItemKind,
    amount: money(item.amountMinor, currency) as Money,
    dueDate: item.dueDate,
    daysAfterAct: item.daysAfterAct,
    description: item.description,
    resolvedDueDate: obligation?.resolvedDueDate ?? item.dueDate,
    settled: money(obligation?.settledMinor ?? 0, currency) as Money,
    state: (obligation?.state ?? 'PENDING') as ObligationStateValue,
    daysLate: obligation?.daysLate ?? 0,
  });
}

/** The GraphQL view of one contract account and its computed execution. */
export function contractExecutionView(facts: ContractFacts, result: ExecutionResult): ContractExecution {
  const currency = facts.currency;
  const obligations = new Map([...result.paymentObligations, ...result.deliveryObligations].map((obligation) => [obligation.key, obligation]));
  const amount = (minor: number) => money(minor, currency) as Money;
  return Object.assign(new ContractExecution(), {
    contractId: facts.contractId ?? '',
    number: facts.number,
    title: facts.title ?? null,
    date: facts.date ?? null,
    direction: facts.direction as ContractDirection,
    termsSet: facts.termsSet,
    status: facts.status,
    currency,
    contracted: amount(result.contractedMinor),
    invoiced: amount(result.invoicedMinor),
    delivered: amount(result.deliveredMinor),
    paid: amount(result.paidMinor),
    outstanding: amount(result.outstandingMinor),
    overdue: amount(result.overdueMinor),
    overdueDays: result.overdueDays,
    nextDueDate: result.nextDueDate,
    schedule: facts.schedule.map((item) => scheduleView(item, obligations.get(`schedule:${item.id}`), currency)),
    invoices: facts.invoices.map((fact) => documentView(fact, currency)),
    acts: facts.acts.map((fact) => documentView(fact, currency)),
    paymentIds: facts.payments.map((payment) => payment.id),
  });
}
