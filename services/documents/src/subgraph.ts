import { join } from 'node:path';
import { parkedEventsResolver } from '@kartoteka/kit';
import { ANONYMOUS, CounterpartyRef, EventConsumer, InboxEvent, LoaderRegistry, OutboxEvent, OutboxRelay, createEventBus, type BackgroundWorker, type EventHandlers, type Logger, type SubgraphDefinition } from '@kartoteka/kit';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { defaultDocumentsSettings, type DocumentsSettings } from './config';
import { migrationsList } from './migrations';
import { AuditRecord } from './modules/audit/audit-record.entity';
import { AuditRecordResolver, DocumentAuditResolver } from './modules/audit/audit.resolver';
import { CounterpartyDetails } from './modules/counterparty/counterparty-details.entity';
import { counterpartyReadModelHandlers } from './modules/counterparty/counterparty-ref.readmodel';
import { CounterpartyDocumentsResolver } from './modules/counterparty/counterparty.resolver';
import { Counterparty } from './modules/counterparty/counterparty.stub';
import { Document } from './modules/document/document.entity';
import { DocumentStatusChange } from './modules/document/document-status-change.entity';
import { DocumentStatusChangeResolver, DocumentStatusHistoryResolver } from './modules/document/document-status-change.resolver';
import { documentReference } from './modules/document/document.reference';
import { DocumentConnectionResolver } from './modules/document/document-connection.resolver';
import { DocumentLinkResolver, DocumentResolver, DocumentVersionResolver } from './modules/document/document.resolver';
import { DocumentLink } from './modules/document/document-link.entity';
import { DocumentVersion, DocumentVersionFile } from './modules/document/document-version.entity';
import { Acknowledgement } from './modules/acknowledgement/acknowledgement.entity';
import { AcknowledgementResolver, DocumentAcknowledgementResolver } from './modules/acknowledgement/acknowledgement.resolver';
import { ApprovalRoute, ApprovalStage, ApprovalStep } from './modules/approval/approval-route.entity';
import { ApprovalRouteResolver, ApprovalStageResolver, ApprovalStepResolver, DocumentApprovalResolver } from './modules/approval/approval.resolver';
import { RouteTemplate } from './modules/approval/route-template.entity';
import { RouteTemplateResolver } from './modules/approval/route-template.resolver';
import { ApprovalService } from './modules/approval/approval.service';
import { AcknowledgementService } from './modules/acknowledgement/acknowledgement.service';
import { DocumentVersionService } from './modules/document/document-version.service';
import { todayUtc } from './modules/document/document.dates';
import { DocumentService } from './modules/document/document.service';
import { createFileStorage } from './modules/file/file-storage.factory';
import { fileRoutes } from './modules/file/file.routes';
import { StoredFile } from './modules/file/stored-file.entity';
import { DocumentJournal } from './modules/journal/document-journal.entity';
import { DocumentJournalSetting } from './modules/journal/document-journal-setting.entity';
import { JournalResolver } from './modules/journal/journal.resolver';
import { NOTIFICATION_ENTITIES, NOTIFICATION_RESOLVERS, notificationRoutes, notificationWorkers } from './modules/notification/notification.module';
import type { OverdueCheck } from './modules/notification/overdue-check.worker';
import { paymentOverdueHandlers } from './modules/notification/payment-overdue.consumer';
import { taskReminderHandlers } from './modules/notification/task-reminder.consumer';
import { StaffMemberEntity } from './modules/staff/staff-member.entity';
import { staffEventHandlers } from './modules/staff/staff.consumer';
import { StaffResolver } from './modules/staff/staff.resolver';
import { documentEventHandlers } from './modules/document/document.consumer';
import { mailingApprovalHandlers } from './modules/document/mailing-approval.consumer';
import { Deal } from './modules/deal/deal.stub';
import { DealDocumentsResolver } from './modules/deal/deal.resolver';
import { knownUsers, User } from './modules/user/user.stub';
import { exportRoute } from '@kartoteka/kit/export';
import { documentsExport } from './modules/document/document.export';
import { TEMPLATE_ENTITIES, TEMPLATE_RESOLVERS, templateRoutes, templateWorkers } from './modules/template/template.module';

/** The context of work the service does on its own (scheduled jobs): no caller, system actor. */
function systemContext(em: EntityManager) {
  return { em, identity: ANONYMOUS, loaders: new LoaderRegistry() };
}

/**
 * Everything the `documents` consumer handles: the staff directory (identity's user events), the counterparty
 * read model (counterparties' lifecycle events, plus documents' own details), deals' requests and finance's overdue obligations (notifications).
 * The rebuild commands replay the first two.
 */
export function documentsEventHandlers(): EventHandlers {
  return { ...staffEventHandlers, ...counterpartyReadModelHandlers(), ...documentEventHandlers, ...paymentOverdueHandlers, ...taskReminderHandlers, ...mailingApprovalHandlers };
}

/** Domain events, when a bus is configured: the `documents` consumer (staff directory from identity) and this service's outbox relay. */
function eventWorkers({ orm, logger }: { orm: MikroORM; logger: Logger }, eventBusUrl: string | null): BackgroundWorker[] {
  if (!eventBusUrl) return [];
  const bus = createEventBus({ url: eventBusUrl, logger });
  return [new EventConsumer({ consumer: 'documents', orm, bus, logger, handlers: documentsEventHandlers() }), new OutboxRelay({ producer: 'documents', orm, bus, logger })];
}

/** Everything that makes this service: entities, migrations, resolvers, references. */
export function documentsSubgraph(settings: DocumentsSettings = defaultDocumentsSettings(), options: { workers?: boolean } = {}): SubgraphDefinition {
  /** Deadline checks run by the overdue job, e.g. `{ name: 'approval', run: (em, now) => new ApprovalService(em).notifyOverdue(now) }`. */
  const overdueChecks: OverdueCheck[] = [
    { name: 'approval', run: async (em, now) => void (await new ApprovalService(systemContext(em)).notifyOverdue(em, now)) },
    { name: 'acknowledgement', run: async (em, now) => void (await new AcknowledgementService(systemContext(em)).notifyOverdue(em, now)) },
    { name: 'contracts-in-force', run: async (em, now) => void (await new DocumentService(systemContext(em)).activateContracts(em, todayUtc(now))) },
  ];
  const workers = (deps: { orm: MikroORM; logger: Logger }): BackgroundWorker[] => [...notificationWorkers(deps, settings, overdueChecks), ...templateWorkers(deps), ...eventWorkers(deps, settings.eventBusUrl)];
  const notificationStream = notificationRoutes(settings);
  return {
    service: 'documents',
    entities: [Document, DocumentStatusChange, DocumentVersion, DocumentVersionFile, DocumentLink, RouteTemplate, ApprovalRoute, ApprovalStage, ApprovalStep, Acknowledgement, AuditRecord, DocumentJournal, DocumentJournalSetting, StoredFile, ...NOTIFICATION_ENTITIES, StaffMemberEntity, CounterpartyRef, CounterpartyDetails, ...TEMPLATE_ENTITIES, InboxEvent, OutboxEvent],
    migrationsList,
    migrationsDir: join(__dirname, '..', 'src', 'migrations'),
    resolvers: [DocumentResolver, DocumentConnectionResolver, DocumentStatusHistoryResolver, DocumentStatusChangeResolver, DealDocumentsResolver, DocumentVersionResolver, DocumentLinkResolver, RouteTemplateResolver, ApprovalStepResolver, ApprovalStageResolver, ApprovalRouteResolver, DocumentApprovalResolver, AcknowledgementResolver, DocumentAcknowledgementResolver, CounterpartyDocumentsResolver, DocumentAuditResolver, AuditRecordResolver, JournalResolver, ...NOTIFICATION_RESOLVERS, StaffResolver, ...TEMPLATE_RESOLVERS, parkedEventsResolver({ service: 'documents', eventBusUrl: settings.eventBusUrl })],
    orphanedTypes: [Counterparty, User, Deal],
    knownUsers,
    references: documentReference,
    workers: options.workers === false ? undefined : workers,
    internalRoutes: (router, deps) => {
      const storage = createFileStorage(settings.files);
      fileRoutes(router, deps, { files: settings.files, storage, authorizeDownload: (context, fileId) => new DocumentVersionService(context).authorizeDownload(fileId) });
      templateRoutes(router, deps, { storage, files: settings.files, templates: settings.templates });
      notificationStream(router, deps);
      exportRoute(router, deps, documentsExport, settings.export);
    },
  };
}
