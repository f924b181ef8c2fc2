import { Field, Int, ObjectType } from 'type-graphql';

/** The navigation's counts of the caller's work owned by the deals service. */
@ObjectType({
  description:
    'Counts of the calling staff member\'s work in the deals service, for the navigation: open general tasks and deal actions waiting on them. Approvals and acknowledgements are counted by the documents service',
})
export class MyWorkCounts {
  @Field(() => Int, { description: 'Open general tasks assigned to me (OPEN, IN_PROGRESS)' })
  openTasks!: number;

  @Field(() => Int, { description: 'Of those, past their due time' })
  overdueTasks!: number;

  @Field(() => Int, { description: 'Actions of the current stage of open deals assigned to me, to do (TODO or FAILED; REQUESTED ones wait on documents)' })
  dealActions!: number;

  @Field(() => Int, { description: 'Of those, past their due time' })
  overdueDealActions!: number;
}
