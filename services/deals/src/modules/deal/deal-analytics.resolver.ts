import type { SubgraphContext } from '@kartoteka/kit';
import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { DealAnalyticsArgs, DealBoardArgs } from './deal-analytics.args';
import { DealAnalytics, DealBoardColumn } from './deal-analytics.type';
import { DealAnalyticsService } from './deal-analytics.service';

@Resolver()
export class DealAnalyticsResolver {
  @Authorized('deals:read')
  @Query(() => [DealBoardColumn], { description: 'The kanban board of a template: a column per stage of its latest version' })
  dealBoard(@Args() { templateId }: DealBoardArgs, @Ctx() context: SubgraphContext): Promise<DealBoardColumn[]> {
    return new DealAnalyticsService(context).board(templateId);
  }

  @Authorized('deals:read')
  @Query(() => DealAnalytics, { description: 'Funnel, conversion, time in stage, win rate and weighted amount of a template\'s deals' })
  dealAnalytics(@Args() args: DealAnalyticsArgs, @Ctx() context: SubgraphContext): Promise<DealAnalytics> {
    return new DealAnalyticsService(context).analytics(args);
  }
}
