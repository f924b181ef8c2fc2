import { ConnectionType, type SubgraphContext } from '@kartoteka/kit';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Counterparty, counterpartyStub } from '../counterparty/counterparty.stub';
import { User, userStub } from '../user/user.stub';
import { Deal } from './deal.entity';
import { CreateDealInput, DealsArgs } from './deal.input';
import { DealService } from './deal.service';

export const DealConnection = ConnectionType(Deal, 'Deal');

@Resolver(() => Deal)
export class DealResolver {
  @Authorized('deals:read')
  @Query(() => DealConnection, { description: 'Deals, newest first' })
  deals(@Args() { counterpartyId, stage, first, after }: DealsArgs, @Ctx() context: SubgraphContext) {
    return new DealService(context).list({ counterpartyId, stage }, { first, after });
  }

  @Authorized('deals:read')
  @Query(() => Deal, { nullable: true, description: 'A deal by id; null if there is none' })
  deal(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<Deal | null> {
    return new DealService(context).findById(id);
  }

  @Authorized('deals:write')
  @Mutation(() => Deal, { description: 'Opens a deal with a counterparty' })
  createDeal(@Arg('input') input: CreateDealInput, @Ctx() context: SubgraphContext): Promise<Deal> {
    return new DealService(context).create(input);
  }

  @FieldResolver(() => Counterparty)
  counterparty(@Root() deal: Deal): Counterparty {
    return counterpartyStub(deal.counterpartyId);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The staff member responsible for the deal' })
  owner(@Root() deal: Deal): User | null {
    return userStub(deal.ownerId);
  }
}
