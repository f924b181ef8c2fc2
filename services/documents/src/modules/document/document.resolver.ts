import { listCountsOf, type SubgraphContext } from '@kartoteka/kit';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Counterparty, counterpartyStub } from '../counterparty/counterparty.stub';
import { User, userStub } from '../user/user.stub';
import { DocumentDetails, detailsOf } from './document-details.type';
import { DocumentFile } from './document-file.type';
import { DocumentLink } from './document-link.entity';
import { DocumentLinkService } from './document-link.service';
import { DocumentVersion } from './document-version.entity';
import { DocumentVersionService } from './document-version.service';
import { DocumentConnection } from './document-connection.resolver';
import { Document } from './document.entity';
import {
  AddDocumentVersionInput,
  CreateDocumentInput,
  DocumentsArgs,
  LinkDocumentsInput,
  RegisterDocumentInput,
  SetDocumentStatusInput,
  UnlinkDocumentsInput,
  UpdateDocumentInput,
} from './document.input';
import { DocumentReader } from './document.reader';
import { DocumentService } from './document.service';

@Resolver(() => Document)
export class DocumentResolver {
  @Authorized('documents:read')
  @Query(() => DocumentConnection, { description: 'The documents registry: filters, number/text search; newest date first (undated drafts before them)' })
  documents(@Args() { first, after, ...filter }: DocumentsArgs, @Ctx() context: SubgraphContext, @Info() info: GraphQLResolveInfo) {
    return new DocumentService(context).list(filter, { first, after, ...listCountsOf(info) });
  }

  @Authorized('documents:read')
  @Query(() => Document, { nullable: true, description: 'A document by id; null if there is none or it is restricted from you' })
  document(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<Document | null> {
    return new DocumentReader(context).findById(id);
  }

  @Authorized('documents:write')
  @Mutation(() => Document, { description: 'Creates a draft document of a counterparty (with its type\'s details, optional files and links)' })
  createDocument(@Arg('input') input: CreateDocumentInput, @Ctx() context: SubgraphContext): Promise<Document> {
    return new DocumentService(context).create(input);
  }

  @Authorized('documents:write')
  @Mutation(() => Document, { description: 'Edits a draft or a rejected document; stale version → CONFLICT' })
  updateDocument(@Arg('input') input: UpdateDocumentInput, @Ctx() context: SubgraphContext): Promise<Document> {
    return new DocumentService(context).update(input);
  }

  @Authorized('documents:write')
  @Mutation(() => Document, { description: 'Assigns the next registration number of the document\'s journal (type and year)' })
  registerDocument(@Arg('input') input: RegisterDocumentInput, @Ctx() context: SubgraphContext): Promise<Document> {
    return new DocumentService(context).register(input.id);
  }

  @Authorized('documents:write')
  @Mutation(() => Document, { description: 'Cancels a document, or moves a signed contract to in force / executed / terminated' })
  setDocumentStatus(@Arg('input') input: SetDocumentStatusInput, @Ctx() context: SubgraphContext): Promise<Document> {
    return new DocumentService(context).setStatus(input.id, input.status, input.comment ?? null);
  }

  @Authorized('documents:write')
  @Mutation(() => DocumentVersion, { description: 'Adds a version with uploaded files (refused on approval and after signature)' })
  addDocumentVersion(@Arg('input') input: AddDocumentVersionInput, @Ctx() context: SubgraphContext): Promise<DocumentVersion> {
    return new DocumentVersionService(context).add(input.documentId, input.fileIds, input.comment ?? null, input.requireReacknowledgement ?? false);
  }

  @Authorized('documents:write')
  @Mutation(() => Document, { description: 'Links a document (source) to another of the same counterparty; returns the source' })
  linkDocuments(@Arg('input') input: LinkDocumentsInput, @Ctx() context: SubgraphContext): Promise<Document> {
    return new DocumentLinkService(context).link(input.sourceId, input.targetId, input.kind);
  }

  @Authorized('documents:write')
  @Mutation(() => Document, { description: 'Removes a link; returns its source document' })
  unlinkDocuments(@Arg('input') input: UnlinkDocumentsInput, @Ctx() context: SubgraphContext): Promise<Document> {
    return new DocumentLinkService(context).unlink(input.linkId);
  }

  @FieldResolver(() => Counterparty, {
    nullable: true,
    description: 'The counterparty (resolved by the counterparties service); null when it cannot be resolved, so one broken reference never blanks a list',
  })
  counterparty(@Root() document: Document): Counterparty {
    return counterpartyStub(document.counterpartyId);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The staff member who created the document' })
  author(@Root() document: Document): User | null {
    return userStub(document.authorId);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The employee responsible for the document' })
  responsible(@Root() document: Document): User | null {
    return userStub(document.responsibleId);
  }

  @FieldResolver(() => ID, { nullable: true })
  responsibleId(@Root() document: Document): string | null {
    return document.responsibleId;
  }

  @FieldResolver(() => DocumentDetails, { nullable: true, description: 'The fields of this document\'s type; null for OTHER' })
  details(@Root() document: Document) {
    return detailsOf(document);
  }

  @FieldResolver(() => Boolean, { description: 'Signed (or later): the document counts as verified data' })
  verified(@Root() document: Document): boolean {
    return document.signedAt !== null && document.status !== 'CANCELLED';
  }

  @FieldResolver(() => [DocumentVersion], { description: 'Versions, newest first' })
  versions(@Root() document: Document, @Ctx() context: SubgraphContext): Promise<DocumentVersion[]> {
    return new DocumentVersionService(context).versionsOf(document.id);
  }

  @FieldResolver(() => DocumentVersion, { nullable: true })
  async currentVersion(@Root() document: Document, @Ctx() context: SubgraphContext): Promise<DocumentVersion | null> {
    return (await new DocumentVersionService(context).versionsOf(document.id))[0] ?? null;
  }

  @FieldResolver(() => [DocumentLink], { description: 'Links from this document to others' })
  links(@Root() document: Document, @Ctx() context: SubgraphContext): Promise<DocumentLink[]> {
    return new DocumentLinkService(context).outgoing(document.id);
  }

  @FieldResolver(() => [DocumentLink], { description: 'Links from other documents to this one' })
  linkedFrom(@Root() document: Document, @Ctx() context: SubgraphContext): Promise<DocumentLink[]> {
    return new DocumentLinkService(context).incoming(document.id);
  }
}

@Resolver(() => DocumentVersion)
export class DocumentVersionResolver {
  @FieldResolver(() => [DocumentFile])
  files(@Root() version: DocumentVersion, @Ctx() context: SubgraphContext): Promise<DocumentFile[]> {
    return new DocumentVersionService(context).filesOf(version.id);
  }

  @FieldResolver(() => User, { nullable: true })
  author(@Root() version: DocumentVersion): User | null {
    return userStub(version.authorId);
  }
}

@Resolver(() => DocumentLink)
export class DocumentLinkResolver {
  @FieldResolver(() => Document, { nullable: true, description: 'The linking document (null if restricted from you)' })
  source(@Root() link: DocumentLink, @Ctx() context: SubgraphContext): Promise<Document | null> {
    return new DocumentReader(context).readableById(link.sourceId);
  }

  @FieldResolver(() => Document, { nullable: true, description: 'The linked document (null if restricted from you)' })
  target(@Root() link: DocumentLink, @Ctx() context: SubgraphContext): Promise<Document | null> {
    return new DocumentReader(context).readableById(link.targetId);
  }
}
