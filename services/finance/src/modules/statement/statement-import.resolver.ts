import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Money, money, type SubgraphContext } from '@kartoteka/kit';
import { Max, Min } from 'class-validator';
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, Float, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Counterparty, counterpartyStub } from '../counterparty/counterparty.stub';
import { Document, documentStub } from '../document/document.stub';
import { PaymentDirection, PaymentMatchStatus } from '../payment/payment.entity';
import { StatementImport } from './statement-import.entity';
import {
  confirmStatementImport,
  discardStatementImport,
  findStatementImport,
  listStatementImports,
  reportOf,
  stagedPayments,
  type StagedPayment,
  type StatementLineNote as LineNote,
} from './statement-import.service';

@ObjectType({ description: 'A line of a statement worth reporting: refused (not imported), a duplicate (already imported) or a warning' })
export class StatementLineNote {
  @Field(() => Int, { description: '1-based line of the file (the line of its СекцияДокумент for a payment)' })
  line!: number;

  @Field({ description: 'own-transfer, duplicate, inn.checksum, kpp.format, account.format' })
  code!: string;

  @Field()
  message!: string;
}

@ObjectType({ description: 'A payment of a statement in PREVIEW: what the import would store and the match it proposes' })
export class StatementPreviewRow {
  @Field(() => Int)
  line!: number;

  @Field({ description: 'The document kind, e.g. «Платежное поручение»' })
  section!: string;

  @Field(() => PaymentDirection)
  direction!: PaymentDirection;

  @Field()
  number!: string;

  @Field({ description: 'YYYY-MM-DD' })
  date!: string;

  @Field(() => Money)
  amount!: Money;

  @Field(() => String, { nullable: true, description: 'The other side: the payer of an incoming payment, the payee of an outgoing one' })
  counterpartyName!: string | null;

  @Field(() => String, { nullable: true })
  counterpartyInn!: string | null;

  @Field(() => String, { nullable: true })
  counterpartyAccount!: string | null;

  @Field()
  purpose!: string;

  @Field({ description: 'Already imported (or repeated in this file): the import skips it' })
  duplicate!: boolean;

  @Field(() => PaymentMatchStatus)
  matchStatus!: PaymentMatchStatus;

  @Field(() => Float)
  matchConfidence!: number;

  @Field(() => [String], { description: 'inn, kpp, account, invoice.number, invoice.amount, invoice.date, invoice.ambiguous, inn.missing, inn.unknown, kpp.mismatch, candidate:<id>' })
  matchReasons!: string[];

  @Field(() => Counterparty, { nullable: true })
  counterparty!: Counterparty | null;

  @Field(() => Document, { nullable: true, description: 'The invoice it would pay' })
  invoice!: Document | null;

  @Field(() => ID, { nullable: true })
  contractId!: string | null;
}

@ArgsType()
class PreviewArgs {
  @Field(() => Int, { defaultValue: 100, description: 'Rows, 1..500' })
  @Min(1)
  @Max(500)
  first: number = 100;

  @Field(() => Int, { defaultValue: 0, description: 'Rows to skip (file order)' })
  @Min(0)
  offset: number = 0;
}

@ArgsType()
class ImportsArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PAGE_SIZE, description: `1..${MAX_PAGE_SIZE}` })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = DEFAULT_PAGE_SIZE;
}

function previewRow(payment: StagedPayment): StatementPreviewRow {
  const side = payment.direction === 'INCOMING' ? payment.payer : payment.payee;
  return Object.assign(new StatementPreviewRow(), {
    line: payment.line,
    section: payment.section,
    direction: payment.direction as PaymentDirection,
    number: payment.number,
    date: payment.date,
    amount: money(payment.amountMinor, 'RUB') as Money,
    counterpartyName: side.name,
    counterpartyInn: side.inn,
    counterpartyAccount: side.account,
    purpose: payment.purpose,
    duplicate: payment.duplicate,
    matchStatus: payment.match.status as PaymentMatchStatus,
    matchConfidence: payment.match.confidence,
    matchReasons: payment.match.reasons,
    counterparty: counterpartyStub(payment.match.counterpartyId),
    invoice: documentStub(payment.match.invoiceId),
    contractId: payment.match.contractId,
  });
}

const notes = (list: LineNote[]): StatementLineNote[] => list.map((note) => Object.assign(new StatementLineNote(), note));

/**
 * Bank statement imports: the upload itself is REST (`POST /rest/finance/statements`, see statement.routes.ts);
 * here the preview, the confirmation that starts the background import, its progress (poll `statementImport`)
 * and the result report.
 */
@Resolver(() => StatementImport)
export class StatementImportResolver {
  @Authorized('finance:read')
  @Query(() => StatementImport, { nullable: true, description: 'One statement import: poll it for progress (processed / total) and the result' })
  statementImport(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext) {
    return findStatementImport(context.em, id);
  }

  @Authorized('finance:read')
  @Query(() => [StatementImport], { description: 'The latest statement imports, newest first' })
  statementImports(@Args() { first }: ImportsArgs, @Ctx() context: SubgraphContext) {
    return listStatementImports(context.em, first);
  }

  @Authorized('payments:import')
  @Mutation(() => StatementImport, { description: 'Starts importing a PREVIEW statement in the background (status RUNNING → DONE)' })
  confirmStatementImport(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext) {
    return confirmStatementImport(context.em, id);
  }

  @Authorized('payments:import')
  @Mutation(() => StatementImport, { description: 'Drops a PREVIEW statement: nothing of it is imported' })
  discardStatementImport(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext) {
    return discardStatementImport(context.em, id);
  }

  @FieldResolver(() => [StatementPreviewRow], { description: 'PREVIEW / RUNNING: the staged payments in file order with their proposed matches; empty once done or discarded' })
  async preview(@Root() statement: StatementImport, @Args() { first, offset }: PreviewArgs, @Ctx() context: SubgraphContext): Promise<StatementPreviewRow[]> {
    if (statement.status !== 'PREVIEW' && statement.status !== 'RUNNING') return [];
    return (await stagedPayments(context.em, statement.id, offset, first)).map(previewRow);
  }

  @FieldResolver(() => Float, { description: 'processed / total, 0–1 (1 when there is nothing to import)' })
  progress(@Root() statement: StatementImport): number {
    return statement.total === 0 ? (statement.status === 'PREVIEW' ? 0 : 1) : Math.min(statement.processed / statement.total, 1);
  }

  @FieldResolver(() => [StatementLineNote], { description: 'Lines not imported and why (e.g. transfers between our own accounts)' })
  refusedLines(@Root() statement: StatementImport): StatementLineNote[] {
    return notes(reportOf(statement).refused);
  }

  @FieldResolver(() => [StatementLineNote], { description: 'Lines already imported before (same payment): skipped, never duplicated' })
  duplicateLines(@Root() statement: StatementImport): StatementLineNote[] {
    return notes(reportOf(statement).duplicates);
  }

  @FieldResolver(() => [StatementLineNote], { description: 'Imported but worth a look: an INN with wrong control digits, an odd KPP or account' })
  warnings(@Root() statement: StatementImport): StatementLineNote[] {
    return notes(reportOf(statement).warnings);
  }
}
