import { join } from 'node:path';
import type { SubgraphDefinition } from '@kartoteka/kit';
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

/** Everything that makes this service: entities, migrations, resolvers, references, internal routes. */
export function identitySubgraph(config: Pick<IdentityConfig, 'jwtSecret' | 'jwtTtlSeconds'>): SubgraphDefinition {
  return {
    service: 'identity',
    entities: [User, ApiKey, LoginFailure],
    migrationsList,
    migrationsDir: join(__dirname, '..', 'src', 'migrations'),
    resolvers: [UserResolver, createAuthResolver(config), ApiKeyResolver],
    references: userReference,
    internalRoutes: apiKeyRoutes,
  };
}
