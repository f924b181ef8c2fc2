import { join } from 'node:path';
import { parkedEventsResolver } from '@kartoteka/kit';
import { CounterpartyRef, counterpartyRefHandlers, EventConsumer, InboxEvent, OutboxEvent, OutboxRelay, createEventBus, UserRef, userRefHandlers, type BackgroundWorker, type EventHandlers, type Logger, type SubgraphDefinition } from '@kartoteka/kit';
import type { MikroORM } from '@mikro-orm/postgresql';
import { defaultDealsSettings, type DealsSettings } from './config';
import { migrationsList } from './migrations';
import { CaseTemplateVersion } from './modules/case-template/case-template-version.entity';
import { CaseTemplate } from './modules/case-template/case-template.entity';
import { CaseTemplateResolver, CaseTemplateVersionResolver } from './modules/case-template/case-template.resolver';
import { CounterpartyDealsResolver } from './modules/counterparty/counterparty.resolver';
import { Counterparty } from './modules/counterparty/counterparty.stub';
import { DealAction } from './modules/deal/deal-action.entity';
import { DealAnalyticsResolver } from './modules/deal/deal-analytics.resolver';
import { DealChange } from './modules/deal/deal-change.entity';
import { DealHistoryChainResolver } from './modules/deal/deal-history.chain';
import { DealStageVisit } from './modules/deal/deal-stage-visit.entity';
import { dealEventHandlers } from './modules/deal/deal.consumer';
import { Deal } from './modules/deal/deal.entity';
import { dealReference } from './modules/deal/deal.reference';
import { DealActionResolver, DealChangeResolver, DealResolver } from './modules/deal/deal.resolver';
import { DealConnectionResolver } from './modules/deal/deal-connection.resolver';
import { ProjectChange } from './modules/project/project-change.entity';
import { Project } from './modules/project/project.entity';
import { projectReference } from './modules/project/project.reference';
import { CounterpartyProjectsResolver, ProjectChangeResolver, ProjectResolver } from './modules/project/project.resolver';
import { TaskComment } from './modules/task/task-comment.entity';
import { taskReminderJob } from './modules/task/task-reminder.job';
import { Task } from './modules/task/task.entity';
import { taskReference } from './modules/task/task.reference';
import { TaskCommentResolver, TaskResolver } from './modules/task/task.resolver';
import { knownUsers, User } from './modules/user/user.stub';
import { WorkResolver } from './modules/work/work.resolver';
import { exportRoute } from '@kartoteka/kit/export';
import { dealsExport } from './modules/deal/deal.export';

/**
 * Everything the `deals` consumer handles: the read models of counterparties and staff (their owners' events)
 * and documents' answers to deal actions. The rebuild commands replay the first two.
 */
export function dealsEventHandlers(): EventHandlers {
  return { ...counterpartyRefHandlers(), ...userRefHandlers(), ...dealEventHandlers };
}

/** Domain events, when a bus is configured: the `deals` consumer (documents' answers to deal actions) and this service's outbox relay. */
function eventWorkers({ orm, logger }: { orm: MikroORM; logger: Logger }, eventBusUrl: string | null): BackgroundWorker[] {
  if (!eventBusUrl) return [];
  const bus = createEventBus({ url: eventBusUrl, logger });
  return [new EventConsumer({ consumer: 'deals', orm, bus, logger, handlers: dealsEventHandlers() }), new OutboxRelay({ producer: 'deals', orm, bus, logger })];
}

/** Everything that makes this service: entities, migrations, resolvers, references, workers. */
export function dealsSubgraph(settings: DealsSettings = defaultDealsSettings(), options: { workers?: boolean } = {}): SubgraphDefinition {
  return {
    service: 'deals',
    entities: [CaseTemplate, CaseTemplateVersion, Deal, DealAction, DealStageVisit, DealChange, Project, ProjectChange, Task, TaskComment, CounterpartyRef, UserRef, InboxEvent, OutboxEvent],
    migrationsList,
    migrationsDir: join(__dirname, '..', 'src', 'migrations'),
    resolvers: [
      CaseTemplateResolver,
      CaseTemplateVersionResolver,
      DealResolver,
      DealConnectionResolver,
      DealActionResolver,
      DealChangeResolver,
      DealAnalyticsResolver,
      DealHistoryChainResolver,
      CounterpartyDealsResolver,
      ProjectResolver,
      ProjectChangeResolver,
      CounterpartyProjectsResolver,
      TaskResolver,
      TaskCommentResolver,
      WorkResolver,
      parkedEventsResolver({ service: 'deals', eventBusUrl: settings.eventBusUrl }),
    ],
    orphanedTypes: [Counterparty, User],
    knownUsers,
    references: { ...dealReference, ...projectReference, ...taskReference },
    internalRoutes: (router, deps) => exportRoute(router, deps, dealsExport, settings.export),
    workers:
      options.workers === false
        ? undefined
        : (deps) => [
            ...eventWorkers(deps, settings.eventBusUrl),
            // task reminders go through the outbox: they are published whenever the relay runs
            ...(settings.taskReminderIntervalMs > 0 ? [taskReminderJob({ ...deps, intervalMs: settings.taskReminderIntervalMs, leadMs: settings.taskReminderLeadMs })] : []),
          ],
  };
}
