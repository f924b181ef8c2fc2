import { join } from 'node:path';
import type { SubgraphDefinition } from '@kartoteka/kit';
import { migrationsList } from './migrations';
import { CounterpartyDealsResolver } from './modules/counterparty/counterparty.resolver';
import { Counterparty } from './modules/counterparty/counterparty.stub';
import { Deal } from './modules/deal/deal.entity';
import { dealReference } from './modules/deal/deal.reference';
import { DealResolver } from './modules/deal/deal.resolver';
import { User } from './modules/user/user.stub';

/** Everything that makes this service: entities, migrations, resolvers, references. */
export function dealsSubgraph(): SubgraphDefinition {
  return {
    service: 'deals',
    entities: [Deal],
    migrationsList,
    migrationsDir: join(__dirname, '..', 'src', 'migrations'),
    resolvers: [DealResolver, CounterpartyDealsResolver],
    orphanedTypes: [Counterparty, User],
    references: dealReference,
  };
}
