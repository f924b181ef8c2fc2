import type { SubgraphContext } from '@kartoteka/kit';
import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Counterparty } from '../counterparty/counterparty.stub';
import { RatingService } from './rating.service';
import { RatingMethodType, RatingPointType, RatingType, SetRatingWeightsInput } from './rating.type';

/** Adds the reliability rating to the counterparties subgraph's entity. */
@Resolver(() => Counterparty)
export class CounterpartyRatingResolver {
  @Authorized('finance:read')
  @FieldResolver(() => RatingType, { nullable: true, description: 'The reliability rating; null until the counterparty has a verified fact. Batched across counterparties' })
  rating(@Root() counterparty: Counterparty, @Ctx() context: SubgraphContext): Promise<RatingType | null> {
    return new RatingService(context).ratingOf(counterparty.id);
  }
}

@Resolver(() => RatingType)
export class RatingResolver {
  @FieldResolver(() => [RatingPointType], { description: 'The score over time, oldest first (a point whenever score, grade or method changed); batched' })
  history(@Root() rating: RatingType, @Ctx() context: SubgraphContext): Promise<RatingPointType[]> {
    return new RatingService(context).historyOf(rating.counterpartyId);
  }
}

@Resolver(() => RatingMethodType)
export class RatingMethodResolver {
  @Authorized('finance:read')
  @Query(() => [RatingMethodType], { description: 'Every version of the rating method, newest (current) first' })
  ratingMethods(@Ctx() context: SubgraphContext): Promise<RatingMethodType[]> {
    return new RatingService(context).methods();
  }

  @Authorized('rating:configure')
  @Mutation(() => RatingMethodType, { description: 'New weights: a new method version; every rating is recomputed with it, old history points keep their version' })
  setRatingWeights(@Arg('input', () => SetRatingWeightsInput) input: SetRatingWeightsInput, @Ctx() context: SubgraphContext): Promise<RatingMethodType> {
    return new RatingService(context).setWeights(input.weights);
  }
}
