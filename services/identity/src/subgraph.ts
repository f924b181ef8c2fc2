import { join } from 'node:path';
import { OutboxEvent, OutboxRelay, PgEventBus, type SubgraphDefinition } from '@kartoteka/kit';
import type { IdentityConfig } from './config';
import { migrationsList } from './migrations';
import { ApiKey } from './modules/api-key/api-key.entity';
import { ApiKeyResolver } from './modules/api-key/api-key.resolver';
import { apiKeyRoutes } from './modules/api-key/api-key.routes';
import { createAuthResolver } from './modules/auth/auth.resolver';
import { LoginFailure } from './modules/auth/login-failure.entity';
import { User } from './modules/user/user.entity';
import { userReference } from './modules/user/user.reference';
import { UserResolver } from './modules/user/user.resolver';

export type IdentitySettings = Pick<IdentityConfig, 'jwtSecret' | 'jwtTtlSeconds'> & {
  /** The event bus the outbox relay publishes to; without it (tests that do not need it) no relay runs. */
  eventBusUrl?: string | null;
};

/** Everything that makes this service: entities, migrations, resolvers, references, internal routes, workers. */
export function identitySubgraph(config: IdentitySettings): SubgraphDefinition {
  const { eventBusUrl } = config;
  return {
    service: 'identity',
    entities: [User, ApiKey, LoginFailure, OutboxEvent],
    migrationsList,
    migrationsDir: join(__dirname, '..', 'src', 'migrations'),
    resolvers: [UserResolver, createAuthResolver(config), ApiKeyResolver],
    references: userReference,
    internalRoutes: apiKeyRoutes,
    workers: eventBusUrl ? ({ orm, logger }) => [new OutboxRelay({ producer: 'identity', orm, logger, bus: new PgEventBus({ url: eventBusUrl, logger }) })] : undefined,
  };
}
