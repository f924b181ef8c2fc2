import { ConnectionType, type SubgraphContext, UserInputError } from '@kartoteka/kit';
import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { TasksArgs } from '../approval/approval.input';
import { Document } from '../document/document.entity';
import { DocumentReader } from '../document/document.reader';
import { User, userStub } from '../user/user.stub';
import { Acknowledgement } from './acknowledgement.entity';
import { AcknowledgeDocumentInput, AcknowledgementsArgs, RequestAcknowledgementInput } from './acknowledgement.input';
import { AcknowledgementService } from './acknowledgement.service';

export const AcknowledgementConnection = ConnectionType(Acknowledgement, 'Acknowledgement');

@Resolver(() => Acknowledgement)
export class AcknowledgementResolver {
  @Authorized('documents:read')
  @Query(() => AcknowledgementConnection, { description: 'My tasks: document versions I must confirm I have read' })
  myAcknowledgementTasks(@Args() { first, after }: TasksArgs, @Ctx() context: SubgraphContext) {
    return new AcknowledgementService(context).myTasks(first, after ?? null);
  }

  @Authorized('documents:write')
  @Mutation(() => Document, { description: 'Sends the current version to staff (users and/or roles) for acknowledgement' })
  requestAcknowledgement(@Arg('input') input: RequestAcknowledgementInput, @Ctx() context: SubgraphContext): Promise<Document> {
    const deadline = input.deadline ? new Date(input.deadline) : null;
    if (deadline && Number.isNaN(deadline.getTime())) throw new UserInputError('deadline', 'Enter the deadline as an ISO 8601 date-time');
    return new AcknowledgementService(context).request({ documentId: input.documentId, userIds: input.userIds ?? [], roles: input.roles ?? [], deadline, comment: input.comment ?? null });
  }

  @Authorized('documents:read')
  @Mutation(() => Acknowledgement, { description: 'I confirm I have read the version (once)' })
  acknowledgeDocument(@Arg('input') input: AcknowledgeDocumentInput, @Ctx() context: SubgraphContext): Promise<Acknowledgement> {
    return new AcknowledgementService(context).acknowledge(input.id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The staff member asked to read the version; null only for a user this service does not know' })
  user(@Root() row: Acknowledgement): User {
    return userStub(row.userId) as User;
  }

  @FieldResolver(() => User, { nullable: true })
  requestedBy(@Root() row: Acknowledgement): User | null {
    return userStub(row.requestedById);
  }

  @FieldResolver(() => Date)
  requestedAt(@Root() row: Acknowledgement): Date {
    return row.createdAt;
  }

  @FieldResolver(() => Document, { nullable: true })
  document(@Root() row: Acknowledgement, @Ctx() context: SubgraphContext): Promise<Document | null> {
    return new DocumentReader(context).readableById(row.documentId);
  }
}

/** Acknowledgement fields of a document. */
@Resolver(() => Document)
export class DocumentAcknowledgementResolver {
  @FieldResolver(() => [Acknowledgement], { description: 'Who was asked to read a version (default: the current one) and who has' })
  acknowledgements(@Root() document: Document, @Args() { versionNumber }: AcknowledgementsArgs, @Ctx() context: SubgraphContext): Promise<Acknowledgement[]> {
    return new AcknowledgementService(context).ofDocument(document, versionNumber ?? null);
  }

  @FieldResolver(() => Acknowledgement, { nullable: true, description: 'My unconfirmed acknowledgement of the current version' })
  myPendingAcknowledgement(@Root() document: Document, @Ctx() context: SubgraphContext): Promise<Acknowledgement | null> {
    return new AcknowledgementService(context).myPendingOf(document);
  }
}
