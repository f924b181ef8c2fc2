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
import { CounterpartyConnectionResolver } from './modules/counterparty/counterparty-connection.resolver';
import { knownUsers, User } from './modules/user/user.stub';
import { CounterpartyHistoryChainResolver } from './modules/counterparty/counterparty-history.chain';
import { TimelineEntry, TimelinePending, TimelineRef } from './modules/timeline/timeline-entry.entity';
import { timelineHandlers } from './modules/timeline/timeline.projection';
import { CounterpartyTimelineResolver, TimelineEntryResolver } from './modules/timeline/timeline.resolver';
import { ImportJob, ImportRow } from './modules/import/import-job.entity';
import { ImportJobResolver } from './modules/import/import.resolver';
import { importRoutes } from './modules/import/import.routes';
import { ImportWorker } from './modules/import/import.worker';
import { exportRoute, type ExportSettings } from '@kartoteka/kit/export';
import { counterpartiesExport } from './modules/counterparty/counterparty.export';

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
  /** Largest import file in bytes (default 50 MB). */
  importMaxBytes?: number;
  /** Runs the import worker (previews and runs of imports); by default where the event bus runs, i.e. not in specs that drive it by hand. */
  importWorker?: boolean;
  /** Registry exports (XLSX / CSV): the row cap and page size; kit's defaults without it. */
  export?: ExportSettings;
};

/** Everything that makes this service: entities, migrations, resolvers, references, the outbox relay. */
export function counterpartiesSubgraph(settings: CounterpartiesSettings = {}): SubgraphDefinition {
  const { eventBusUrl } = settings;
  const runImports = settings.importWorker ?? Boolean(eventBusUrl);
  return {
    service: 'counterparties',
    entities: [Counterparty, CounterpartyContact, CounterpartyBankAccount, CounterpartyChange, CounterpartyRating, TimelineEntry, TimelineRef, TimelinePending, ImportJob, ImportRow, UserRef, InboxEvent, OutboxEvent],
    migrationsList,
    migrationsDir: join(__dirname, '..', 'src', 'migrations'),
    resolvers: [CounterpartyResolver, CounterpartyConnectionResolver, CounterpartyChangeResolver, CounterpartyTimelineResolver, TimelineEntryResolver, CounterpartyHistoryChainResolver, ImportJobResolver, parkedEventsResolver({ service: 'counterparties', eventBusUrl })],
    orphanedTypes: [User],
    knownUsers,
    references: counterpartyReference,
    internalRoutes: (router, deps) => {
      importRoutes(router, deps, { maxBytes: settings.importMaxBytes ?? 50 * 1024 * 1024 });
      exportRoute(router, deps, counterpartiesExport, settings.export);
    },
    workers:
      eventBusUrl || runImports
        ? ({ orm, logger }) => {
            const imports = runImports ? [new ImportWorker({ orm, logger })] : [];
            if (!eventBusUrl) return imports;
            const bus = createEventBus({ url: eventBusUrl, logger });
            return [new OutboxRelay({ producer: 'counterparties', orm, logger, bus }), new EventConsumer({ consumer: 'counterparties', orm, bus, logger, handlers: counterpartiesEventHandlers() }), ...imports];
          }
        : undefined,
  };
}
