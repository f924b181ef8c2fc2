import { join } from 'node:path';
import { parkedEventsResolver } from '@kartoteka/kit';
import { CounterpartyRef, EventConsumer, InboxEvent, OutboxEvent, OutboxRelay, createEventBus, UserRef, userRefHandlers, type BackgroundWorker, type EventHandlers, type Logger, type SubgraphDefinition } from '@kartoteka/kit';
import type { MikroORM } from '@mikro-orm/postgresql';
import { defaultFinanceSettings, type FinanceSettings } from './config';
import { migrationsList } from './migrations';
import { ContractTerms } from './modules/contract/contract-terms.entity';
import { ContractTermsResolver } from './modules/contract/contract-terms.resolver';
import { ScheduleItem } from './modules/contract/schedule-item.entity';
import { CounterpartyFinanceFieldsResolver, CounterpartyFinanceResolver } from './modules/counterparty/counterparty-finance.resolver';
import { CounterpartyManager } from './modules/counterparty/counterparty-manager.entity';
import { Counterparty } from './modules/counterparty/counterparty.stub';
import { Document } from './modules/document/document.stub';
import { ContractExecutionResolver, DocumentExecutionResolver } from './modules/execution/execution.resolver';
import { OverdueReceivableResolver } from './modules/execution/overdue-receivable.resolver';
import { OverdueNotice } from './modules/execution/overdue-notice.entity';
import { overdueJob } from './modules/execution/overdue.job';
import { FinanceDocument } from './modules/ledger/finance-document.entity';
import { counterpartyHandlers, ledgerEventHandlers } from './modules/ledger/ledger.consumer';
import { KnownAccount } from './modules/payment/known-account.entity';
import { Payment } from './modules/payment/payment.entity';
import { RatingMethod } from './modules/rating/rating-method.entity';
import { RatingPoint } from './modules/rating/rating-point.entity';
import { Rating } from './modules/rating/rating.entity';
import { CounterpartyRatingResolver, RatingMethodResolver, RatingResolver } from './modules/rating/rating.resolver';
import { ProjectDocuments } from './modules/project/project-documents.entity';
import { projectDocumentsHandlers } from './modules/project/project-documents.consumer';
import { ProjectFinanceResolver } from './modules/project/project-finance.resolver';
import { Project } from './modules/project/project.stub';
import { StatementImport } from './modules/statement/statement-import.entity';
import { CounterpartyPaymentsResolver, PaymentResolver } from './modules/payment/payment.resolver';
import { PaymentConnectionResolver } from './modules/payment/payment-connection.resolver';
import { StatementImportResolver } from './modules/statement/statement-import.resolver';
import { statementImportWorker } from './modules/statement/statement-import.worker';
import { statementRoutes } from './modules/statement/statement.routes';
import { knownUsers, User } from './modules/user/user.stub';
import { exportRoute } from '@kartoteka/kit/export';
import { paymentsExport } from './modules/payment/payment.export';

/**
 * Everything the `finance` consumer handles: the read models of counterparties and staff (their owners' events)
 * documents' verified facts and the documents linked to deals' projects. The rebuild commands replay the first two.
 */
export function financeEventHandlers(): EventHandlers {
  return { ...counterpartyHandlers(), ...userRefHandlers(), ...ledgerEventHandlers, ...projectDocumentsHandlers };
}

/** Domain events, when a bus is configured: the `finance` consumer and this service's outbox relay. */
function eventWorkers({ orm, logger }: { orm: MikroORM; logger: Logger }, eventBusUrl: string | null): BackgroundWorker[] {
  if (!eventBusUrl) return [];
  const bus = createEventBus({ url: eventBusUrl, logger });
  return [new EventConsumer({ consumer: 'finance', orm, bus, logger, handlers: financeEventHandlers() }), new OutboxRelay({ producer: 'finance', orm, bus, logger })];
}

export const FINANCE_ENTITIES = [
  FinanceDocument,
  ContractTerms,
  ScheduleItem,
  Payment,
  KnownAccount,
  StatementImport,
  OverdueNotice,
  RatingMethod,
  Rating,
  RatingPoint,
  CounterpartyRef,
  CounterpartyManager,
  ProjectDocuments,
  UserRef,
  InboxEvent,
  OutboxEvent,
];

/** Everything that makes this service: entities, migrations, resolvers, references, workers. */
export function financeSubgraph(settings: FinanceSettings = defaultFinanceSettings(), options: { workers?: boolean } = {}): SubgraphDefinition {
  return {
    service: 'finance',
    entities: FINANCE_ENTITIES,
    migrationsList,
    migrationsDir: join(__dirname, '..', 'src', 'migrations'),
    resolvers: [
      DocumentExecutionResolver,
      ContractExecutionResolver,
      OverdueReceivableResolver,
      ContractTermsResolver,
      CounterpartyFinanceResolver,
      CounterpartyFinanceFieldsResolver,
      CounterpartyRatingResolver,
      RatingResolver,
      RatingMethodResolver,
      PaymentResolver,
      PaymentConnectionResolver,
      CounterpartyPaymentsResolver,
      ProjectFinanceResolver,
      StatementImportResolver,
      parkedEventsResolver({ service: 'finance', eventBusUrl: settings.eventBusUrl }),
    ],
    orphanedTypes: [Counterparty, Document, Project, User, Payment, StatementImport],
    knownUsers,
    workers:
      options.workers === false
        ? undefined
        : (deps) => [...eventWorkers(deps, settings.eventBusUrl), ...(settings.overdueIntervalMs > 0 ? [overdueJob({ ...deps, intervalMs: settings.overdueIntervalMs })] : []), statementImportWorker(deps)],
    internalRoutes: (router, deps) => {
      statementRoutes(router, deps);
      exportRoute(router, deps, paymentsExport, settings.export);
    },
  };
}
