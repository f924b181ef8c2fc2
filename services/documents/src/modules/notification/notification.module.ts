import type { BackgroundWorker, Logger, SubgraphDefinition } from '@kartoteka/kit';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { DocumentsSettings } from '../../config';
import { MailOutboxMessage } from './mail-outbox.entity';
import { mailRelayWorker } from './mail-relay.worker';
import { liveChannelOf } from './notification.events';
import { Notification } from './notification.entity';
import { NotificationPreference } from './notification-preference.entity';
import { NotificationResolver } from './notification.resolver';
import { registerNotificationRoutes } from './notification.routes';
import { bindNotificationSettings } from './notification.service';
import { type OverdueCheck, overdueCheckWorker } from './overdue-check.worker';

/** How the notification module plugs into the subgraph definition (see subgraph.ts). */
export const NOTIFICATION_ENTITIES = [Notification, MailOutboxMessage, NotificationPreference];
export const NOTIFICATION_RESOLVERS = [NotificationResolver];

type InternalRoutes = NonNullable<SubgraphDefinition['internalRoutes']>;

/** The live stream route; also binds the e-mail settings to this service's ORM. */
export function notificationRoutes(settings: Pick<DocumentsSettings, 'portalUrl' | 'mail'>): InternalRoutes {
  return (router, deps) => {
    bindNotificationSettings(deps.orm, { portalUrl: settings.portalUrl, mail: settings.mail });
    registerNotificationRoutes(router, deps);
  };
}

/** The mail relay (when SMTP_URL is set) and the overdue job (when there is something to check). */
export function notificationWorkers(
  deps: { orm: MikroORM; logger: Logger },
  settings: Pick<DocumentsSettings, 'mail'>,
  overdueChecks: readonly OverdueCheck[],
): BackgroundWorker[] {
  const workers: BackgroundWorker[] = [];
  if (settings.mail.smtpUrl) {
    workers.push(mailRelayWorker({ orm: deps.orm, logger: deps.logger, smtpUrl: settings.mail.smtpUrl, from: settings.mail.from, live: liveChannelOf(deps.orm, deps.logger) }));
  } else {
    deps.logger.warn('SMTP_URL is not set: notification e-mail stays in the outbox until a relay with SMTP_URL runs');
  }
  if (overdueChecks.length > 0) workers.push(overdueCheckWorker(deps, overdueChecks));
  return workers;
}
