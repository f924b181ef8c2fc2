import { join } from 'node:path';
import type { SubgraphDefinition } from '@kartoteka/kit';
import { migrationsList } from './migrations';
import { CounterpartyDocumentsResolver } from './modules/counterparty/counterparty.resolver';
import { Counterparty } from './modules/counterparty/counterparty.stub';
import { Document } from './modules/document/document.entity';
import { documentReference } from './modules/document/document.reference';
import { DocumentResolver } from './modules/document/document.resolver';
import { User } from './modules/user/user.stub';

/** Everything that makes this service: entities, migrations, resolvers, references. */
export function documentsSubgraph(): SubgraphDefinition {
  return {
    service: 'documents',
    entities: [Document],
    migrationsList,
    migrationsDir: join(__dirname, '..', 'src', 'migrations'),
    resolvers: [DocumentResolver, CounterpartyDocumentsResolver],
    orphanedTypes: [Counterparty, User],
    references: documentReference,
  };
}
