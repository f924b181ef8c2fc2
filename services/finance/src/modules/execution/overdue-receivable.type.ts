import { Money, PageInfo } from '@kartoteka/kit';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Counterparty } from '../counterparty/counterparty.stub';
import { Document } from '../document/document.stub';

@ObjectType({ description: 'A receivable payment obligation past due and not fully paid: an invoice, or a line of a contract\'s schedule' })
export class OverdueReceivable {
  @Field(() => ID, { description: 'The obligation: `invoice:<invoice id>` or `schedule:<schedule item id>`' }) key!: string;
  @Field(() => Counterparty) counterparty!: Counterparty;
  @Field({ description: 'The counterparty\'s short name (or full name) as finance knows it' }) counterpartyName!: string;
  @Field(() => Document, { description: 'The document to open: the invoice, or the contract of a schedule line' }) document!: Document;
  @Field(() => ID, { description: 'Id of that document' }) documentId!: string;
  @Field({ description: 'INVOICE or CONTRACT' }) documentType!: string;
  @Field(() => String, { nullable: true, description: 'Its number as signed' }) documentNumber!: string | null;
  @Field(() => ID, { nullable: true, description: 'The contract the obligation belongs to (null for an invoice outside contracts)' }) contractId!: string | null;
  @Field(() => String, { nullable: true, description: 'The contract\'s number as signed' }) contractNumber!: string | null;
  @Field({ description: 'The due date, YYYY-MM-DD' }) dueDate!: string;
  @Field(() => Int, { description: 'Days past the due date (today in UTC)' }) daysOverdue!: number;
  @Field(() => Money, { description: 'What is still to be paid' }) outstanding!: Money;
}

@ObjectType()
export class OverdueReceivableEdge {
  @Field(() => OverdueReceivable) node!: OverdueReceivable;
  @Field() cursor!: string;
}

@ObjectType({ description: 'Overdue receivables, the longest overdue first, with their totals' })
export class OverdueReceivableConnection {
  @Field(() => [OverdueReceivableEdge]) edges!: OverdueReceivableEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
  @Field(() => [Money], { description: 'What is outstanding on all of them (not only this page), one sum per currency, RUB first' }) totals!: Money[];
}
