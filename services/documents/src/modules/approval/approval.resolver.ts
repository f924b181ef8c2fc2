import { ConnectionType, type SubgraphContext } from '@kartoteka/kit';
import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Document } from '../document/document.entity';
import { DocumentReader } from '../document/document.reader';
import { User, userStub } from '../user/user.stub';
import { ApprovalRoute, ApprovalStage, ApprovalStep } from './approval-route.entity';
import { ApproveStepInput, DelegateStepInput, FinishApprovalInput, RejectStepInput, ResubmitDocumentInput, StartApprovalInput, TasksArgs } from './approval.input';
import { ApprovalService } from './approval.service';

export const ApprovalStepConnection = ConnectionType(ApprovalStep, 'ApprovalStep');

@Resolver(() => ApprovalStep)
export class ApprovalStepResolver {
  @Authorized('documents:read')
  @Query(() => ApprovalStepConnection, { description: 'My tasks: approval steps waiting for my decision, earliest deadline first' })
  myApprovalTasks(@Args() { first, after }: TasksArgs, @Ctx() context: SubgraphContext) {
    return new ApprovalService(context).myTasks(first, after ?? null);
  }

  @Authorized('documents:write')
  @Mutation(() => Document, { description: 'Sends a draft for approval along a route template (the default of its type when none is given)' })
  startApproval(@Arg('input') input: StartApprovalInput, @Ctx() context: SubgraphContext): Promise<Document> {
    return new ApprovalService(context).start(input.documentId, input.routeTemplateId ?? null);
  }

  @Authorized('documents:approve')
  @Mutation(() => ApprovalStep, { description: 'Approves my step (final). CONFLICT if it was already decided' })
  approveStep(@Arg('input') input: ApproveStepInput, @Ctx() context: SubgraphContext): Promise<ApprovalStep> {
    return new ApprovalService(context).approve(input.stepId, input.comment ?? null);
  }

  @Authorized('documents:approve')
  @Mutation(() => ApprovalStep, { description: 'Rejects my step with a comment: the document goes to rework' })
  rejectStep(@Arg('input') input: RejectStepInput, @Ctx() context: SubgraphContext): Promise<ApprovalStep> {
    return new ApprovalService(context).reject(input.stepId, input.comment);
  }

  @Authorized('documents:read')
  @Mutation(() => ApprovalStep, { description: 'Hands my step over to another approver' })
  delegateStep(@Arg('input') input: DelegateStepInput, @Ctx() context: SubgraphContext): Promise<ApprovalStep> {
    return new ApprovalService(context).delegate(input.stepId, input.toUserId, input.comment ?? null);
  }

  @Authorized('documents:write')
  @Mutation(() => Document, { description: 'After rework: a new round on the newest version, to everyone or only to those who had not approved' })
  resubmitDocument(@Arg('input') input: ResubmitDocumentInput, @Ctx() context: SubgraphContext): Promise<Document> {
    return new ApprovalService(context).resubmit(input.documentId, input.mode, input.fileIds ?? null, input.comment ?? null);
  }

  @Authorized('documents:write')
  @Mutation(() => Document, { description: 'The author recalls the document from approval; it returns to draft' })
  recallApproval(@Arg('input') input: FinishApprovalInput, @Ctx() context: SubgraphContext): Promise<Document> {
    return new ApprovalService(context).recall(input.documentId, input.comment ?? null);
  }

  @Authorized('documents:configure')
  @Mutation(() => Document, { description: 'An administrator stops the approval; the document returns to draft' })
  stopApproval(@Arg('input') input: FinishApprovalInput, @Ctx() context: SubgraphContext): Promise<Document> {
    return new ApprovalService(context).stop(input.documentId, input.comment ?? null);
  }

  @FieldResolver(() => [User], { description: 'Who may decide: one user, or the members of the role at start' })
  assignees(@Root() step: ApprovalStep): User[] {
    return step.assigneeIds.map((id) => userStub(id) as User);
  }

  @FieldResolver(() => User, { nullable: true })
  decidedBy(@Root() step: ApprovalStep): User | null {
    return userStub(step.decidedById);
  }

  @FieldResolver(() => User, { nullable: true })
  delegatedBy(@Root() step: ApprovalStep): User | null {
    return userStub(step.delegatedById);
  }

  @FieldResolver(() => [User], { description: 'Who held the step just before its last delegation (empty when it was not delegated)' })
  delegatedFrom(@Root() step: ApprovalStep): User[] {
    return step.delegatedFromIds.map((id) => userStub(id) as User);
  }

  @FieldResolver(() => Boolean, { description: 'Whether I can approve or reject this step now' })
  canDecide(@Root() step: ApprovalStep, @Ctx() context: SubgraphContext): boolean {
    return new ApprovalService(context).canDecide(step);
  }

  @FieldResolver(() => String, { description: 'Name of the stage' })
  async stageName(@Root() step: ApprovalStep, @Ctx() context: SubgraphContext): Promise<string> {
    return (await new ApprovalService(context).stageById(step.stageId))?.name ?? '';
  }

  @FieldResolver(() => Boolean, { description: 'The step belongs to the sign-off stage' })
  async signOff(@Root() step: ApprovalStep, @Ctx() context: SubgraphContext): Promise<boolean> {
    return (await new ApprovalService(context).stageById(step.stageId))?.signOff ?? false;
  }

  @FieldResolver(() => Document, { nullable: true })
  document(@Root() step: ApprovalStep, @Ctx() context: SubgraphContext): Promise<Document | null> {
    return new DocumentReader(context).readableById(step.documentId);
  }
}

@Resolver(() => ApprovalStage)
export class ApprovalStageResolver {
  @FieldResolver(() => [ApprovalStep])
  steps(@Root() stage: ApprovalStage, @Ctx() context: SubgraphContext): Promise<ApprovalStep[]> {
    return new ApprovalService(context).stepsOf(stage.id);
  }
}

@Resolver(() => ApprovalRoute)
export class ApprovalRouteResolver {
  @FieldResolver(() => [ApprovalStage])
  stages(@Root() route: ApprovalRoute, @Ctx() context: SubgraphContext): Promise<ApprovalStage[]> {
    return new ApprovalService(context).stagesOf(route.id);
  }

  @FieldResolver(() => User, { nullable: true })
  startedBy(@Root() route: ApprovalRoute): User | null {
    return userStub(route.startedById);
  }

  @FieldResolver(() => Date)
  startedAt(@Root() route: ApprovalRoute): Date {
    return route.createdAt;
  }
}

/** Approval fields of a document. */
@Resolver(() => Document)
export class DocumentApprovalResolver {
  @FieldResolver(() => ApprovalRoute, { nullable: true, description: 'The latest approval round' })
  async approvalRoute(@Root() document: Document, @Ctx() context: SubgraphContext): Promise<ApprovalRoute | null> {
    return (await new ApprovalService(context).routesOf(document.id))[0] ?? null;
  }

  @FieldResolver(() => [ApprovalRoute], { description: 'Every approval round, newest first' })
  approvalRoutes(@Root() document: Document, @Ctx() context: SubgraphContext): Promise<ApprovalRoute[]> {
    return new ApprovalService(context).routesOf(document.id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who gave the final sign-off; null until signed (and for documents signed before this was recorded)' })
  signedBy(@Root() document: Document): User | null {
    return userStub(document.signedById);
  }

  @FieldResolver(() => [ApprovalStep], { description: 'Steps of this document waiting for a decision now, by anyone (empty when it is not on approval)' })
  pendingSteps(@Root() document: Document, @Ctx() context: SubgraphContext): Promise<ApprovalStep[]> {
    return new ApprovalService(context).pendingStepsOf(document.id);
  }

  @FieldResolver(() => [User], { description: 'Who must act on this document now: the approvers of its pending steps, each once, in step order (empty when nobody must)' })
  async awaitingActionFrom(@Root() document: Document, @Ctx() context: SubgraphContext): Promise<User[]> {
    const steps = await new ApprovalService(context).pendingStepsOf(document.id);
    return [...new Set(steps.flatMap((step) => step.assigneeIds))].map((id) => userStub(id) as User);
  }

  @FieldResolver(() => [ApprovalStep], { description: 'Steps of this document waiting for my decision' })
  myPendingSteps(@Root() document: Document, @Ctx() context: SubgraphContext): Promise<ApprovalStep[]> {
    return new ApprovalService(context).myPendingStepsOf(document.id);
  }
}

