import { join } from 'node:path';
import { EventConsumer, InboxEvent, OutboxEvent, OutboxRelay, createEventBus, UserRef, userRefHandlers, type EventHandlers, type SubgraphDefinition } from '@kartoteka/kit';
import { migrationsList } from './migrations';
import { Counterparty, CounterpartyBankAccount, CounterpartyContact } from './modules/counterparty/counterparty.entity';
import { CounterpartyChange } from './modules/counterparty/counterparty-change.entity';
import { CounterpartyRating } from './modules/rating/counterparty-rating.entity';
import { counterpartyRatingHandlers } from './modules/rating/counterparty-rating.readmodel';
import { counterpartyReference } from './modules/counterparty/counterparty.reference';
import { CounterpartyChangeResolver, CounterpartyResolver } from './modules/counterparty/counterparty.resolver';
import { knownUsers, User } from './modules/user/user.stub';

/**
 * What the `counterparties` consumer handles: the staff read model (responsible managers), from identity's user
 * events, and the copy of finance's reliability ratings (to filter and sort the list by them).
 */
export function counterpartiesEventHandlers(): EventHandlers {
  return { ...userRefHandlers(), ...counterpartyRatingHandlers() };
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
    entities: [Counterparty, CounterpartyContact, CounterpartyBankAccount, CounterpartyChange, CounterpartyRating, UserRef, InboxEvent, OutboxEvent],
    migrationsList,
    migrationsDir: join(__dirname, '..', 'src', 'migrations'),
    resolvers: [CounterpartyResolver, CounterpartyChangeResolver],
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
