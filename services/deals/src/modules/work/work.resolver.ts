import type { SubgraphContext } from '@kartoteka/kit';
import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { WorkService } from './work.service';
import { MyWorkCounts } from './work.type';

@Resolver()
export class WorkResolver {
  @Authorized('tasks:read')
  @Query(() => MyWorkCounts, { description: 'Counts of my open tasks and deal actions for the navigation (a staff member only)' })
  myWorkCounts(@Ctx() context: SubgraphContext): Promise<MyWorkCounts> {
    return new WorkService(context).countsOfCaller();
  }
}
