import { ConnectionType, listCountsOf, Money, money, type SubgraphContext } from '@kartoteka/kit';
import type { GraphQLResolveInfo } from 'graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, Info, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { CaseTemplateVersion } from '../case-template/case-template-version.entity';
import { CaseTemplateService } from '../case-template/case-template.service';
import { CaseStage, caseStage } from '../case-template/case-template.type';
import { Counterparty, counterpartyStub } from '../counterparty/counterparty.stub';
import { User, userStub } from '../user/user.stub';
import { DealAction } from './deal-action.entity';
import { DealChange } from './deal-change.entity';
import { DealConnection } from './deal-connection.resolver';
import { Deal } from './deal.entity';
import { CompleteDealActionInput, CreateDealInput, DealHistoryArgs, DealsArgs, MoveDealInput, UpdateDealInput } from './deal.input';
import { DealService, versionIdOf } from './deal.service';

export const DealChangeConnection = ConnectionType(DealChange, 'DealChange');

@ObjectType({ description: 'A changed field of a deal: `from` and `to` are JSON values (form fields are `formData.<key>`)' })
export class DealFieldChange {
  @Field() field!: string;
  @Field(() => GraphQLJSON, { nullable: true }) from!: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) to!: unknown;
}

@Resolver(() => Deal)
export class DealResolver {
  @Authorized('deals:read')
  @Query(() => DealConnection, { description: 'Deals, newest first unless sorted by a column (sort, direction)' })
  deals(@Args() { templateId, stageKey, status, ownerId, counterpartyId, search, stage, sort, direction, first, after }: DealsArgs, @Ctx() context: SubgraphContext, @Info() info: GraphQLResolveInfo) {
    return new DealService(context).list({ templateId, stageKey, status, ownerId, counterpartyId, search, stage, sort, direction }, { first, after, ...listCountsOf(info) });
  }

  @Authorized('deals:read')
  @Query(() => Deal, { nullable: true, description: 'A deal by id; null if there is none' })
  deal(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<Deal | null> {
    return new DealService(context).findById(id);
  }

  @Authorized('deals:write')
  @Mutation(() => Deal, { description: 'Opens a deal with a counterparty on a published case template' })
  createDeal(@Arg('input') input: CreateDealInput, @Ctx() context: SubgraphContext): Promise<Deal> {
    return new DealService(context).create(input);
  }

  @Authorized('deals:write')
  @Mutation(() => Deal, { description: 'Changes a deal\'s fields and form values (owner, manager or administrator)' })
  updateDeal(@Arg('input') input: UpdateDealInput, @Ctx() context: SubgraphContext): Promise<Deal> {
    return new DealService(context).update(input);
  }

  @Authorized('deals:write')
  @Mutation(() => Deal, {
    description: 'Moves a deal to another stage. Moving on is refused (BAD_USER_INPUT on stageKey, with extensions missingFields and missingActions) while the current stage\'s required fields or actions are missing; a lost stage needs closeReason',
  })
  moveDeal(@Arg('input') input: MoveDealInput, @Ctx() context: SubgraphContext): Promise<Deal> {
    return new DealService(context).move(input);
  }

  @Authorized('deals:read')
  @Mutation(() => DealAction, { description: 'Runs an action: done at once, or REQUESTED from the documents service (offers, contracts, approval). Its assignee may run it without deals:write' })
  completeDealAction(@Arg('input') input: CompleteDealActionInput, @Ctx() context: SubgraphContext): Promise<DealAction> {
    return new DealService(context).completeAction(input);
  }

  @FieldResolver(() => Counterparty, {
    nullable: true,
    description: 'The counterparty (resolved by the counterparties service); null when it cannot be resolved, so one broken reference never blanks a list',
  })
  counterparty(@Root() deal: Deal): Counterparty {
    return counterpartyStub(deal.counterpartyId);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The staff member responsible for the deal' })
  owner(@Root() deal: Deal): User | null {
    return userStub(deal.ownerId);
  }

  @FieldResolver(() => CaseTemplateVersion, { description: 'The template version the deal runs on' })
  templateVersion(@Root() deal: Deal, @Ctx() context: SubgraphContext): Promise<CaseTemplateVersion | null> {
    return new CaseTemplateService(context).versionById(versionIdOf(deal));
  }

  @FieldResolver(() => CaseStage, { nullable: true, description: 'The current stage as its version defines it' })
  async currentStage(@Root() deal: Deal, @Ctx() context: SubgraphContext): Promise<CaseStage | null> {
    const stage = await new DealService(context).currentStageOf(deal);
    return stage ? caseStage(stage) : null;
  }

  @FieldResolver(() => [DealAction], { description: 'Actions of the stages the deal has been in, in the order they came up' })
  actions(@Root() deal: Deal, @Ctx() context: SubgraphContext): Promise<DealAction[]> {
    return new DealService(context).actionsOf(deal.id);
  }

  @FieldResolver(() => DealAction, { nullable: true, description: 'The current stage\'s next action not done yet' })
  nextAction(@Root() deal: Deal, @Ctx() context: SubgraphContext): Promise<DealAction | null> {
    return new DealService(context).nextActionOf(deal);
  }

  @FieldResolver(() => DealChangeConnection, { description: 'What happened to the deal, newest first' })
  history(@Root() deal: Deal, @Args() { first, after }: DealHistoryArgs, @Ctx() context: SubgraphContext) {
    return new DealService(context).historyOf(deal.id, { first, after });
  }

  @FieldResolver(() => Money, { nullable: true, description: 'The amount weighted by the current stage\'s probability' })
  async weightedAmount(@Root() deal: Deal, @Ctx() context: SubgraphContext): Promise<Money | null> {
    return money(await new DealService(context).weightedAmountOf(deal), deal.currency);
  }
}

@Resolver(() => DealAction)
export class DealActionResolver {
  @FieldResolver(() => User, { nullable: true })
  assignee(@Root() action: DealAction): User | null {
    return userStub(action.assigneeId);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who ran the action (null when done by the system on the documents service\'s answer)' })
  doneBy(@Root() action: DealAction): User | null {
    return userStub(action.doneById);
  }

  @FieldResolver(() => Deal)
  deal(@Root() action: DealAction, @Ctx() context: SubgraphContext): Promise<Deal | null> {
    return new DealService(context).dealById(action.dealId);
  }
}

@Resolver(() => DealChange)
export class DealChangeResolver {
  @FieldResolver(() => User, { nullable: true, description: 'The staff member who made the change; null for partner systems and the system' })
  actor(@Root() change: DealChange): User | null {
    return change.actorKind === 'user' ? userStub(change.actorId) : null;
  }

  @FieldResolver(() => [DealFieldChange])
  changes(@Root() change: DealChange): DealFieldChange[] {
    return (change.details.changes ?? []).map((item) => Object.assign(new DealFieldChange(), item));
  }

  @FieldResolver(() => String, { nullable: true })
  fromStageKey(@Root() change: DealChange): string | null {
    return change.details.fromStageKey ?? null;
  }

  @FieldResolver(() => String, { nullable: true })
  toStageKey(@Root() change: DealChange): string | null {
    return change.details.toStageKey ?? null;
  }

  @FieldResolver(() => ID, { nullable: true })
  actionId(@Root() change: DealChange): string | null {
    return change.details.actionId ?? null;
  }

  @FieldResolver(() => String, { nullable: true })
  actionTitle(@Root() change: DealChange): string | null {
    return change.details.actionTitle ?? null;
  }

  @FieldResolver(() => String, { nullable: true })
  closeReason(@Root() change: DealChange): string | null {
    return change.details.closeReason ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The comment left on an action, or why it failed' })
  comment(@Root() change: DealChange): string | null {
    return change.details.comment ?? change.details.reason ?? null;
  }

  @FieldResolver(() => ID, { nullable: true })
  documentId(@Root() change: DealChange): string | null {
    return change.details.documentId ?? null;
  }
}
