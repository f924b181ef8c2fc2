import { ConnectionType, type SubgraphContext } from '@kartoteka/kit';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Counterparty, counterpartyStub } from '../counterparty/counterparty.stub';
import { User, userStub } from '../user/user.stub';
import { Document } from './document.entity';
import { CreateDocumentInput, DocumentsArgs } from './document.input';
import { DocumentService } from './document.service';

export const DocumentConnection = ConnectionType(Document, 'Document');

@Resolver(() => Document)
export class DocumentResolver {
  @Authorized('documents:read')
  @Query(() => DocumentConnection, { description: 'Documents, newest date first (undated drafts before them)' })
  documents(@Args() { counterpartyId, type, status, first, after }: DocumentsArgs, @Ctx() context: SubgraphContext) {
    return new DocumentService(context).list({ counterpartyId, type, status }, { first, after });
  }

  @Authorized('documents:read')
  @Query(() => Document, { nullable: true, description: 'A document by id; null if there is none' })
  document(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<Document | null> {
    return new DocumentService(context).findById(id);
  }

  @Authorized('documents:write')
  @Mutation(() => Document, { description: 'Creates a draft document of a counterparty' })
  createDocument(@Arg('input') input: CreateDocumentInput, @Ctx() context: SubgraphContext): Promise<Document> {
    return new DocumentService(context).create(input);
  }

  @FieldResolver(() => Counterparty)
  counterparty(@Root() document: Document): Counterparty {
    return counterpartyStub(document.counterpartyId);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The staff member who created the document' })
  author(@Root() document: Document): User | null {
    return userStub(document.authorId);
  }
}
