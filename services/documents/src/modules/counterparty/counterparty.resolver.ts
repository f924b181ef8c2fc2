import { ConnectionArgs, type SubgraphContext } from '@kartoteka/kit';
import { Args, Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { DocumentConnection } from '../document/document-connection.resolver';
import { DocumentService } from '../document/document.service';
import { Counterparty } from './counterparty.stub';

/** Adds the counterparty's documents to the counterparties subgraph's entity. */
@Resolver(() => Counterparty)
export class CounterpartyDocumentsResolver {
  @Authorized('documents:read')
  @FieldResolver(() => DocumentConnection, {
    nullable: true,
    description: 'Documents of this counterparty, newest date first; batched across counterparties',
  })
  documents(@Root() counterparty: Counterparty, @Args() { first, after }: ConnectionArgs, @Ctx() context: SubgraphContext) {
    return new DocumentService(context).pageOfCounterparty(counterparty.id, { first, after });
  }
}
