import { join } from 'node:path';
import type { BackgroundWorker, SubgraphDefinition } from '@kartoteka/kit';
import { defaultDocumentsSettings, type DocumentsSettings } from './config';
import { migrationsList } from './migrations';
import { CounterpartyDocumentsResolver } from './modules/counterparty/counterparty.resolver';
import { Counterparty } from './modules/counterparty/counterparty.stub';
import { Document } from './modules/document/document.entity';
import { documentReference } from './modules/document/document.reference';
import { DocumentResolver } from './modules/document/document.resolver';
import { User } from './modules/user/user.stub';

/** Everything that makes this service: entities, migrations, resolvers, references. */
export function documentsSubgraph(settings: DocumentsSettings = defaultDocumentsSettings(), options: { workers?: boolean } = {}): SubgraphDefinition {
  const workers = (): BackgroundWorker[] => [];
  return {
    service: 'documents',
    entities: [Document],
    migrationsList,
    migrationsDir: join(__dirname, '..', 'src', 'migrations'),
    resolvers: [DocumentResolver, CounterpartyDocumentsResolver],
    orphanedTypes: [Counterparty, User],
    references: documentReference,
    workers: options.workers === false ? undefined : workers,
  };
}
