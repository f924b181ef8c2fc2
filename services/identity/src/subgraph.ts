import { join } from 'node:path';
import { OutboxEvent, OutboxRelay, createEventBus, type SubgraphDefinition } from '@kartoteka/kit';
import type { IdentityConfig } from './config';
import { migrationsList } from './migrations';
import { ApiKey } from './modules/api-key/api-key.entity';
import { ApiKeyResolver } from './modules/api-key/api-key.resolver';
import { apiKeyRoutes } from './modules/api-key/api-key.routes';
import { createAuthResolver } from './modules/auth/auth.resolver';
import type { AuthSettings } from './modules/auth/auth.service';
import { LoginFailure } from './modules/auth/login-failure.entity';
import { DEFAULT_LOGIN_THROTTLE, type LoginThrottleSettings } from './modules/auth/login-throttle';
import { RefreshToken } from './modules/session/refresh-token.entity';
import { Session } from './modules/session/session.entity';
import { DEFAULT_REFRESH_TTL_SECONDS, DEFAULT_SESSION_MAX_SECONDS } from './modules/session/session.service';
import { User } from './modules/user/user.entity';
import { userReference } from './modules/user/user.reference';
import { UserResolver } from './modules/user/user.resolver';
import { RolePermissionsResolver } from './modules/user/role-permissions.resolver';

/** Session lifetimes and login throttling default to the configuration's defaults when left out (tests). */
export type IdentitySettings = Pick<IdentityConfig, 'jwtSecret' | 'jwtTtlSeconds'> &
  Partial<Pick<IdentityConfig, 'refreshTtlSeconds' | 'sessionMaxSeconds'>> & {
  loginThrottle?: Partial<LoginThrottleSettings>;
  /** The event bus the outbox relay publishes to; without it (tests that do not need it) no relay runs. */
  eventBusUrl?: string | null;
};

/** Everything that makes this service: entities, migrations, resolvers, references, internal routes, workers. */
export function identitySubgraph(config: IdentitySettings): SubgraphDefinition {
  const { eventBusUrl } = config;
  const auth: AuthSettings = {
    jwtSecret: config.jwtSecret,
    jwtTtlSeconds: config.jwtTtlSeconds,
    refreshTtlSeconds: config.refreshTtlSeconds ?? DEFAULT_REFRESH_TTL_SECONDS,
    sessionMaxSeconds: config.sessionMaxSeconds ?? DEFAULT_SESSION_MAX_SECONDS,
    loginThrottle: { ...DEFAULT_LOGIN_THROTTLE, ...config.loginThrottle },
  };
  return {
    service: 'identity',
    entities: [User, ApiKey, LoginFailure, Session, RefreshToken, OutboxEvent],
    migrationsList,
    migrationsDir: join(__dirname, '..', 'src', 'migrations'),
    resolvers: [UserResolver, RolePermissionsResolver, createAuthResolver(auth), ApiKeyResolver],
    references: userReference,
    internalRoutes: apiKeyRoutes,
    workers: eventBusUrl ? ({ orm, logger }) => [new OutboxRelay({ producer: 'identity', orm, logger, bus: createEventBus({ url: eventBusUrl, logger }) })] : undefined,
  };
}
