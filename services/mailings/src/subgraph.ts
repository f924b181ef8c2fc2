import { join } from 'node:path';
import {
  EventConsumer,
  InboxEvent,
  OutboxEvent,
  OutboxRelay,
  createEventBus,
  parkedEventsResolver,
  UserRef,
  userRefHandlers,
  type BackgroundWorker,
  type EventHandlers,
  type Logger,
  type SubgraphDefinition,
} from '@kartoteka/kit';
import type { MikroORM } from '@mikro-orm/postgresql';
import { defaultMailingsSettings, type MailingsSettings } from './config';
import { migrationsList } from './migrations';
import { AudienceContact } from './modules/audience/audience-contact.entity';
import { AudienceCounterparty } from './modules/audience/audience-counterparty.entity';
import { AudienceRating } from './modules/audience/audience-rating.entity';
import { audienceReadModelHandlers } from './modules/audience/audience.readmodel';
import { Counterparty } from './modules/counterparty/counterparty.stub';
import { MailingAttachmentContent } from './modules/mailing/mailing-attachment.entity';
import { MailingRecipient } from './modules/mailing/mailing-recipient.entity';
import { Mailing } from './modules/mailing/mailing.entity';
import { attachmentRoutes } from './modules/mailing/mailing-attachment.routes';
import { mailingApprovalHandlers } from './modules/mailing/mailing.consumer';
import { mailingRecipientReference, mailingReference } from './modules/mailing/mailing.reference';
import { CounterpartyMailingsResolver, MailingRecipientResolver, MailingResolver } from './modules/mailing/mailing.resolver';
import { DeliveryAttempt } from './modules/delivery/delivery-attempt.entity';
import { sendingWorker } from './modules/delivery/sending.worker';
import { Suppression } from './modules/suppression/suppression.entity';
import { SuppressionResolver } from './modules/suppression/suppression.resolver';
import { unsubscribeRoutes } from './modules/suppression/unsubscribe.routes';
import { knownUsers, User } from './modules/user/user.stub';

/**
 * Everything the `mailings` consumer handles: the read models (counterparties with their contacts and tags, staff,
 * finance's rating) and the EDMS's answers to approval requests. The rebuild commands replay the read models.
 */
export function mailingsEventHandlers(): EventHandlers {
  return { ...audienceReadModelHandlers(), ...userRefHandlers(), ...mailingApprovalHandlers };
}

/** Domain events, when a bus is configured: the `mailings` consumer and this service's outbox relay. */
function eventWorkers({ orm, logger }: { orm: MikroORM; logger: Logger }, eventBusUrl: string | null): BackgroundWorker[] {
  if (!eventBusUrl) return [];
  const bus = createEventBus({ url: eventBusUrl, logger });
  return [new EventConsumer({ consumer: 'mailings', orm, bus, logger, handlers: mailingsEventHandlers() }), new OutboxRelay({ producer: 'mailings', orm, bus, logger })];
}

export const MAILINGS_ENTITIES = [
  Mailing,
  MailingAttachmentContent,
  MailingRecipient,
  Suppression,
  DeliveryAttempt,
  AudienceCounterparty,
  AudienceContact,
  AudienceRating,
  UserRef,
  InboxEvent,
  OutboxEvent,
];

/** Everything that makes this service: entities, migrations, resolvers, references, workers, REST routes. */
export function mailingsSubgraph(settings: MailingsSettings = defaultMailingsSettings(), options: { workers?: boolean } = {}): SubgraphDefinition {
  return {
    service: 'mailings',
    entities: MAILINGS_ENTITIES,
    migrationsList,
    migrationsDir: join(__dirname, '..', 'src', 'migrations'),
    resolvers: [
      MailingResolver,
      MailingRecipientResolver,
      CounterpartyMailingsResolver,
      SuppressionResolver,
      parkedEventsResolver({ service: 'mailings', eventBusUrl: settings.eventBusUrl }),
    ],
    references: { ...mailingReference, ...mailingRecipientReference },
    orphanedTypes: [Counterparty, User],
    knownUsers,
    workers:
      options.workers === false
        ? undefined
        : (deps) => [...eventWorkers(deps, settings.eventBusUrl), ...(settings.delivery.smtp ? [sendingWorker({ ...deps, settings: settings.delivery })] : [])],
    internalRoutes: (router, deps) => {
      attachmentRoutes(router, deps);
      unsubscribeRoutes(router, deps, settings.delivery);
    },
  };
}
