import { ConnectionArgs, ConnectionType, type ConnectionShape, type SubgraphContext } from '@kartoteka/kit';
import { Args, ArgsType, Authorized, Ctx, Field, FieldResolver, GraphQLISODateTime, Resolver, Root } from 'type-graphql';
import { Counterparty } from '../counterparty/counterparty.entity';
import { User, userStub } from '../user/user.stub';
import { TimelineEntry, TimelineKindEnum, type TimelineKind } from './timeline-entry.entity';
import { TimelineService } from './timeline.service';

export const TimelineEntryConnection = ConnectionType(TimelineEntry, 'TimelineEntry');

@ArgsType()
export class TimelineArgs extends ConnectionArgs {
  @Field(() => [TimelineKindEnum], { nullable: true, description: 'Only these kinds (all when left out)' })
  kinds?: TimelineKind[] | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Only entries at or after this time' })
  from?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Only entries at or before this time' })
  to?: Date | null;
}

@Resolver(() => Counterparty)
export class CounterpartyTimelineResolver {
  @Authorized('counterparties:read')
  @FieldResolver(() => TimelineEntryConnection, {
    description: 'Everything that happened with the counterparty across services, newest first (a projection of domain events)',
  })
  timeline(@Root() counterparty: Counterparty, @Args() args: TimelineArgs, @Ctx() context: SubgraphContext): Promise<ConnectionShape<TimelineEntry>> {
    return new TimelineService(context.em, context.loaders).page(counterparty.id, args);
  }
}

@Resolver(() => TimelineEntry)
export class TimelineEntryResolver {
  @FieldResolver(() => User, { nullable: true, description: 'The staff member who acted; null for the system and partner systems' })
  actor(@Root() entry: TimelineEntry): User | null {
    return userStub(entry.actorId);
  }
}
