import type { SubgraphContext } from '@kartoteka/kit';
import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Document } from '../document/document.entity';
import { DocumentService } from '../document/document.service';
import { Deal } from './deal.stub';

/** Adds the deal's documents (offers, contracts… created for it) to the deals subgraph's entity. */
@Resolver(() => Deal)
export class DealDocumentsResolver {
  @Authorized('documents:read')
  @FieldResolver(() => [Document], { nullable: true, description: 'Documents of this deal (readable ones), newest first; batched across deals' })
  documents(@Root() deal: Deal, @Ctx() context: SubgraphContext): Promise<Document[]> {
    return new DocumentService(context).ofDeal(deal.id);
  }
}
