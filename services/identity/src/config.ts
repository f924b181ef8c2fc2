import { readEventBusEnv, readSubgraphEnv, type EventBusConfig, type SubgraphConfig, strictEnvReporter } from '@kartoteka/kit';
import { bool, cleanEnv, email, num, str } from 'envalid';

export type IdentityConfig = SubgraphConfig & EventBusConfig & {
  /** HS256 secret shared with the gateway, which verifies staff tokens. */
  jwtSecret: string;
  jwtTtlSeconds: number;
  /** Seeding: demo users (demo mode), or the first admin from ADMIN_EMAIL / ADMIN_PASSWORD. */
  demo: boolean;
  bootstrapAdmin: { email: string; password: string; name: string } | null;
};

/** The only reader of process.env in this service. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  const own = cleanEnv(env, {
    JWT_SECRET: str({ devDefault: 'dev-only-jwt-secret-change-me', desc: 'Secret for signing staff session tokens (shared with the gateway)' }),
    JWT_TTL_SECONDS: num({ default: 8 * 3600 }),
    DEMO: bool({ default: false, desc: 'Seed demo users (admin@kartoteka.local / admin and one per role)' }),
    ADMIN_EMAIL: email({ default: undefined }),
    ADMIN_PASSWORD: str({ default: undefined }),
    ADMIN_NAME: str({ default: 'Administrator' }),
  }, { reporter: strictEnvReporter });
  const bootstrapAdmin = own.ADMIN_EMAIL && own.ADMIN_PASSWORD ? { email: own.ADMIN_EMAIL, password: own.ADMIN_PASSWORD, name: own.ADMIN_NAME } : null;
  return { ...readSubgraphEnv(env, 'identity', { port: 4101 }), ...readEventBusEnv(env), jwtSecret: own.JWT_SECRET, jwtTtlSeconds: own.JWT_TTL_SECONDS, demo: own.DEMO, bootstrapAdmin };
}
