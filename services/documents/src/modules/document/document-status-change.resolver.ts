import type { SubgraphContext } from '@kartoteka/kit';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { User, userStub } from '../user/user.stub';
import { Document } from './document.entity';
import { DocumentStatusChange } from './document-status-change.entity';
import { DocumentStatusHistoryService } from './document-status-change.service';

@Resolver(() => Document)
export class DocumentStatusHistoryResolver {
  @FieldResolver(() => [DocumentStatusChange], {
    description: 'Every status the document took, oldest first (its last entry is the current status); a contract signed on or after its start date shows SIGNED, then IN_FORCE',
  })
  statusHistory(@Root() document: Document, @Ctx() context: SubgraphContext): Promise<DocumentStatusChange[]> {
    return new DocumentStatusHistoryService(context).historyOf(document.id);
  }
}

@Resolver(() => DocumentStatusChange)
export class DocumentStatusChangeResolver {
  @FieldResolver(() => User, { nullable: true, description: 'The staff member who made the change; null for partner systems and the system' })
  by(@Root() change: DocumentStatusChange): User | null {
    return change.actorKind === 'user' ? userStub(change.actorId) : null;
  }
}
