import { join } from 'node:path';
import { parkedEventsResolver } from '@kartoteka/kit';
import { EventConsumer, InboxEvent, OutboxEvent, OutboxRelay, createEventBus, UserRef, userRefHandlers, type EventHandlers, type SubgraphDefinition } from '@kartoteka/kit';
import { migrationsList } from './migrations';
import { Counterparty, CounterpartyBankAccount, CounterpartyContact } from './modules/counterparty/counterparty.entity';
import { CounterpartyChange } from './modules/counterparty/counterparty-change.entity';
import { CounterpartyRating } from './modules/rating/counterparty-rating.entity';
import { counterpartyRatingHandlers } from './modules/rating/counterparty-rating.readmodel';
import { counterpartyReference } from './modules/counterparty/counterparty.reference';
import { CounterpartyChangeResolver, CounterpartyResolver } from './modules/counterparty/counterparty.resolver';
import { knownUsers, User } from './modules/user/user.stub';
import { CounterpartyHistoryChainResolver } from './modules/counterparty/counterparty-history.chain';
import { TimelineEntry, TimelinePending, TimelineRef } from './modules/timeline/timeline-entry.entity';
import { timelineHandlers } from './modules/timeline/timeline.projection';
import { CounterpartyTimelineResolver, TimelineEntryResolver } from './modules/timeline/timeline.resolver';

/**
 * What the `counterparties` consumer handles: the staff read model (responsible managers), from identity's user
 * events, the copy of finance's reliability ratings (to filter and sort the list by them), and the timeline's
 * projection of every service's events.
 */
export function counterpartiesEventHandlers(): EventHandlers {
  return { ...userRefHandlers(), ...counterpartyRatingHandlers(), ...timelineHandlers() };
}

export type CounterpartiesSettings = {
  /** The event bus: the outbox relay publishes lifecycle events to it, the consumer keeps the staff and rating read models from it; without it (specs that do not need it) neither runs. */
  eventBusUrl?: string | null;
};

/** Everything that makes this service: entities, migrations, resolvers, references, the outbox relay. */
export function counterpartiesSubgraph(settings: CounterpartiesSettings = {}): SubgraphDefinition {
  const { eventBusUrl } = settings;
  return {
    service: 'counterparties',
    entities: [Counterparty, CounterpartyContact, CounterpartyBankAccount, CounterpartyChange, CounterpartyRating, TimelineEntry, TimelineRef, TimelinePending, UserRef, InboxEvent, OutboxEvent],
    migrationsList,
    migrationsDir: join(__dirname, '..', 'src', 'migrations'),
    resolvers: [CounterpartyResolver, CounterpartyChangeResolver, CounterpartyTimelineResolver, TimelineEntryResolver, CounterpartyHistoryChainResolver, parkedEventsResolver({ service: 'counterparties', eventBusUrl })],
    orphanedTypes: [User],
    knownUsers,
    references: counterpartyReference,
    workers: eventBusUrl
      ? ({ orm, logger }) => {
          const bus = createEventBus({ url: eventBusUrl, logger });
          return [new OutboxRelay({ producer: 'counterparties', orm, logger, bus }), new EventConsumer({ consumer: 'counterparties', orm, bus, logger, handlers: counterpartiesEventHandlers() })];
        }
      : undefined,
  };
}
