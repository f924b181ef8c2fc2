import { join } from 'node:path';
import type { SubgraphDefinition } from '@kartoteka/kit';
import { migrationsList } from './migrations';
import { Counterparty, CounterpartyBankAccount, CounterpartyContact } from './modules/counterparty/counterparty.entity';
import { CounterpartyChange } from './modules/counterparty/counterparty-change.entity';
import { counterpartyReference } from './modules/counterparty/counterparty.reference';
import { CounterpartyChangeResolver, CounterpartyResolver } from './modules/counterparty/counterparty.resolver';
import { User } from './modules/user/user.stub';

/** Everything that makes this service: entities, migrations, resolvers, references. */
export function counterpartiesSubgraph(): SubgraphDefinition {
  return {
    service: 'counterparties',
    entities: [Counterparty, CounterpartyContact, CounterpartyBankAccount, CounterpartyChange],
    migrationsList,
    migrationsDir: join(__dirname, '..', 'src', 'migrations'),
    resolvers: [CounterpartyResolver, CounterpartyChangeResolver],
    orphanedTypes: [User],
    references: counterpartyReference,
  };
}
