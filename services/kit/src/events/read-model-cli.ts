import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { createOrmOptions, type OrmDefinition } from '../orm/orm-config';
import { createLogger } from '../server/logger';
import type { EventHandlers } from './event-consumer';
import { runEventBusCli } from './event-bus-cli';
import { createEventBus } from './event-bus-factory';
import { findDanglingReferences, formatDanglingReferences, type ReferenceCheck } from './read-models/reference-check';
import { replayHistory } from './replay-history';

/** A read model a command can rebuild from the bus's history: its handlers and how to empty it. */
export type RebuildableReadModel = { handlers: EventHandlers; reset: (em: EntityManager) => Promise<void> };

export type ServiceEventsCliOptions = {
  /** The service, also its consumer name on the bus. */
  service: string;
  definition: OrmDefinition;
  databaseUrl: string;
  eventBusUrl: string | null;
  /** By command, e.g. `rebuild-counterparties`. */
  rebuild: Record<string, RebuildableReadModel>;
  /** The columns `check-references` checks. */
  references: readonly ReferenceCheck[];
};

async function withOrm<T>(options: ServiceEventsCliOptions, task: (orm: MikroORM) => Promise<T>): Promise<T> {
  const orm = await MikroORM.init(createOrmOptions(options.definition, { databaseUrl: options.databaseUrl, poolMax: 2 }));
  try {
    return await task(orm);
  } finally {
    await orm.close(true);
  }
}

/**
 * A service's `pnpm events …` commands:
 * - `parked` / `requeue [eventId…]`: its parked deliveries (see {@link runEventBusCli});
 * - `rebuild-<model>`: empties a read model and applies the bus's whole history of its topics again, in one
 *   transaction (the service may keep running);
 * - `check-references`: lists stored rows whose reference the local read models do not know.
 */
export async function runServiceEventsCli(options: ServiceEventsCliOptions, argv: readonly string[]): Promise<string> {
  const [command] = argv;
  const model = command ? options.rebuild[command] : undefined;
  if (model) {
    if (!options.eventBusUrl) throw new Error('EVENT_BUS_URL is not configured');
    const bus = createEventBus({ url: options.eventBusUrl, logger: createLogger(`${options.service}-events-cli`, 'warn') });
    const result = await withOrm(options, (orm) => replayHistory({ orm, bus, ...model }));
    return `${options.service}: ${command}: ${result.applied} events applied${result.malformed ? `, ${result.malformed} malformed skipped` : ''}`;
  }
  if (command === 'check-references') {
    return withOrm(options, async (orm) => formatDanglingReferences(options.service, await findDanglingReferences(orm.em.fork(), options.references)));
  }
  if (command === 'parked' || command === 'requeue') return runEventBusCli(options.service, options.eventBusUrl, argv);
  throw new Error(`usage: events parked | events requeue [eventId…] | events check-references | ${Object.keys(options.rebuild).map((name) => `events ${name}`).join(' | ')}`);
}
