import { ConnectionArgs, type SubgraphContext } from '@kartoteka/kit';
import { Args, Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { DealConnection } from '../deal/deal-connection.resolver';
import { DealService } from '../deal/deal.service';
import { Counterparty } from './counterparty.stub';

/** Adds the counterparty's deals to the counterparties subgraph's entity. */
@Resolver(() => Counterparty)
export class CounterpartyDealsResolver {
  @Authorized('deals:read')
  @FieldResolver(() => DealConnection, { nullable: true, description: 'Deals with this counterparty, newest first; batched across counterparties' })
  deals(@Root() counterparty: Counterparty, @Args() { first, after }: ConnectionArgs, @Ctx() context: SubgraphContext) {
    return new DealService(context).pageOfCounterparty(counterparty.id, { first, after });
  }
}
