import { type SubgraphContext, UserInputError } from '@kartoteka/kit';
import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import { DealAction } from '../deal/deal-action.entity';
import { WorkService } from './work.service';
import { MyWorkCounts } from './work.type';

@Resolver()
export class WorkResolver {
  @Authorized('tasks:read')
  @Query(() => MyWorkCounts, { description: 'Counts of my open tasks and deal actions for the navigation (a staff member only)' })
  myWorkCounts(@Ctx() context: SubgraphContext): Promise<MyWorkCounts> {
    return new WorkService(context).countsOfCaller();
  }

  @Authorized('tasks:read')
  @Query(() => [DealAction], { description: 'The deal actions waiting on me (the ones myWorkCounts.dealActions counts), by due time (none last); a staff member only' })
  myDealActions(@Arg('first', () => Int, { defaultValue: 20, description: 'How many, 1..100' }) first: number, @Ctx() context: SubgraphContext): Promise<DealAction[]> {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw new UserInputError('first', 'Must be between 1 and 100');
    return new WorkService(context).dealActionsOfCaller(first);
  }
}
